"""Every working language, in the interface and in the content (settings.LANGUAGES).

- The demo's pages in each language: ``<html lang>`` is that language, no interface text is
  left in English (any text of the page that is an English msgid of the catalogue, translated
  differently, fails), and the union's content is shown in that language where the demo has it.
- The API: a text written plain in one language is read back in the dict, and the dict's texts
  are read plain per ``Accept-Language`` or ``?lang=``; what ``GET`` gives can be written back.
- A text not yet translated is shown in the union's default language, marked as such.
- Lists sort as people of each language read (CLDR), on PostgreSQL and on SQLite.
- Dates in e-mails follow the language's CLDR pattern.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from chambers.models import Chamber
from core import l10n
from core.demo_texts import TEXTS
from core.translated import values as translated_values
from meetings.models import Meeting, Priority
from tests.factories import by_language, make_chamber

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class _Text(HTMLParser):
    """The page's visible texts (not scripts, styles or the language menu's own names, nor a
    record's label as it was written, ``data-recorded``: the audit trail's)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "select") or any(k == "data-recorded" for k, _ in attrs):
            self._skip += 1
            self._skipping.append(tag)

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def english_msgids(lang: str) -> set[str]:
    """The catalogue's English texts that the language translates differently (a page showing
    one of them as a whole text node shows an untranslated string)."""
    po = polib.pofile(str(settings.BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"))
    texts = set()
    for entry in po:
        if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
            continue
        if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) > 3:
            texts.add(" ".join(entry.msgid.split()))
    return texts


#: Texts that are the same in every language (proper names, codes) and may appear in English.
ALLOWED = {"API", "ACCI", "TOBB", "MKIK", "CSV", "Excel", *settings.KNOWN_LANGUAGES.values()}


@pytest.fixture
def demo(db):
    call_command("load_demo", "--logins", stdout=io.StringIO())


def _pages(client) -> list[str]:
    assembly = Meeting.objects.get(session_number=3)
    return [
        "/",
        "/chambers/",
        "/chambers/atameken/",
        "/meetings/",
        f"/meetings/{assembly.pk}/",
        "/decisions/",
        "/priorities/",
        "/rotation/",
        "/secretariat/",
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_in_the_language_interface_and_content(client, demo, lang):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="secretariat"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    leftovers = english_msgids(lang) - ALLOWED if lang != "en" else set()
    for path in _pages(client):
        response = client.get(path)
        assert response.status_code == 200, (lang, path, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, (lang, path)
        english = sorted({t for t in visible_texts(html) if t in leftovers})
        assert not english, f"{lang} {path}: interface text still in English: {english}"
    # The content: the priorities as the union wrote them in this language.
    html = client.get("/priorities/").content.decode()
    title = "Reducing trade and technical barriers"
    expected = TEXTS[title].get(lang, title) if lang != "en" else title
    assert expected in html, f"{lang}: the priority {expected!r} is not on /priorities/"


def test_a_text_missing_in_the_readers_language_falls_back_and_is_marked(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="secretariat"))
    Priority.objects.filter(title_en="Reducing trade and technical barriers").update(title_hu="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hu"
    html = client.get("/priorities/").content.decode()
    assert '<span lang="en" class="fallback"' in html
    assert "Reducing trade and technical barriers" in html


# The API -------------------------------------------------------------------------------------


def test_a_title_written_in_kazakh_is_read_in_its_dict_and_the_dict_per_language(union):
    staff = union.client("staff")
    created = staff.post(
        "/api/v1/meetings/",
        {
            "kind": "board",
            "title": "Басқарма отырысы",
            "starts_at": "2027-03-01T10:00:00",
            "ends_at": "2027-03-01T12:00:00",
            "time_zone": "Asia/Almaty",
            "format": "online",
        },
        format="json",
        headers={"accept-language": "kk"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["titles"] == by_language(kk="Басқарма отырысы")
    url = f"/api/v1/meetings/{body['id']}/"
    patched = staff.patch(
        url, {"titles": {"ru": "Заседание правления", "en": "Board meeting"}}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (
        staff.get(url, headers={"accept-language": "ru"}).json()["title"] == "Заседание правления"
    )
    assert staff.get(f"{url}?lang=kk").json()["title"] == "Басқарма отырысы"
    # Hungarian has none: the union's default language (English) stands in.
    assert staff.get(url, headers={"accept-language": "hu"}).json()["title"] == "Board meeting"
    meeting = Meeting.objects.get(pk=body["id"])
    assert (meeting.title_kk, meeting.title_ru) == ("Басқарма отырысы", "Заседание правления")


def test_the_dict_wins_over_the_plain_text_for_the_same_language(union):
    staff = union.client("staff")
    response = staff.patch(
        f"/api/v1/chambers/{union.home.slug}/",
        {"city": "Алматы", "cities": {"kk": "Астана"}},
        format="json",
        headers={"accept-language": "kk"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["cities"]["kk"] == "Астана"
    bad = staff.patch(
        f"/api/v1/chambers/{union.home.slug}/", {"cities": {"xx": "Astana"}}, format="json"
    )
    assert bad.status_code == 400 and "cities" in bad.json()


def test_a_chamber_read_from_the_api_can_be_written_back(union):
    """``POST`` with the ``name`` that ``GET`` returns was refused ("names: required")."""
    staff = union.client("staff")
    read = staff.get(f"/api/v1/chambers/{union.home.slug}/", headers={"accept-language": "ru"})
    body = read.json()
    body.update(slug="home-copy")
    for key in ("logo", "status", "member_since", "country_name"):
        body.pop(key)
    created = staff.post(
        "/api/v1/chambers/", body, format="json", headers={"accept-language": "ru"}
    )
    assert created.status_code == 201, created.content
    copy = Chamber.objects.get(slug="home-copy")
    assert copy.name_en == union.home.name_en
    plain = staff.post(
        "/api/v1/chambers/",
        {"slug": "plain", "name": "Сауда палатасы", "short_name": "СП", "country": "KZ"},
        format="json",
        headers={"accept-language": "kk"},
    )
    assert plain.status_code == 201, plain.content
    assert plain.json()["names"] == by_language(kk="Сауда палатасы")


# Sorting ------------------------------------------------------------------------------------

COLLATION = {
    # Kazakh: Ә after А, Қ after К, Ө after О, Ү after У (code points put them all last).
    "kk": ["Абай", "Әлем", "Жібек", "Кеден", "Қазына", "Орда", "Өркен", "Ұлы", "Үміт"],
    # Turkish: ı before i, ç after c, ş after s.
    "tr": ["Cemal", "Çınar", "Irmak", "İpek", "Sanayi", "Şeker"],
    # Azerbaijani: ə after e, ı before i, ğ after g.
    "az": ["Elm", "Əmək", "Gəncə", "Ğ-adası", "Işıq", "İnam"],
    # Hungarian: the digraphs are letters of their own (cs after c, gy after g, sz after s).
    "hu": ["Cukor", "Csaba", "Gomb", "Gyár", "Sólyom", "Szeged"],
}


@pytest.mark.parametrize("lang", sorted(COLLATION))
def test_chambers_are_listed_in_the_languages_alphabet(union, lang):
    expected = COLLATION[lang]
    for i, name in enumerate(reversed(expected)):
        make_chamber(slug=f"sort-{i}", **{f"short_name_{lang}": name, "short_name_en": f"Z{i}"})
    listed = union.client("staff").get(f"/api/v1/chambers/?limit=200&lang={lang}").json()
    names = [c["short_name"] for c in listed["results"] if c["slug"].startswith("sort-")]
    assert names == expected


def test_country_lists_follow_the_readers_alphabet():
    from django_countries import countries

    with translation.override("kk"):
        names = [name for _code, name in countries]
    assert names.index("Қазақстан") < names.index("Түркия") < names.index("Өзбекстан") or (
        names.index("Қазақстан") < names.index("Өзбекстан") < names.index("Түркия")
    )
    assert names.index("Әзербайжан") < names.index("Бельгия")


# Dates --------------------------------------------------------------------------------------

DATES = {
    "en": "January 1, 2027",
    "ru": "1 января 2027\u202fг.",  # CLDR's narrow no-break space
    "kk": "2027\u202fж. 1 қаңтар",
    "tr": "1 Ocak 2027",
    "az": "1 yanvar 2027",
    "hu": "2027. január 1.",
}


@pytest.mark.parametrize("lang", sorted(DATES))
def test_dates_follow_the_languages_pattern(lang):
    assert l10n.format_date(dt.date(2027, 1, 1), language=lang) == DATES[lang]
    with translation.override(lang):
        assert l10n.format_date(dt.date(2027, 1, 1)) == DATES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reminders_are_rendered_in_each_language_with_its_date_pattern(db, lang):
    from reminders.messages import compose
    from reminders.models import ReminderKind
    from tests.factories import ReminderFactory

    reminder = ReminderFactory(
        kind=ReminderKind.ACTION_OVERDUE,
        language=lang,
        context={"action": 0, "due": "2027-01-01"},
    )
    message = compose(reminder)
    assert message is not None
    expected = l10n.format_date(dt.date(2027, 1, 1), language=lang)
    assert expected in message.text and expected in message.html
    assert not re.search(r"\bJan\.? 1, 2027\b", message.text) or lang == "en"


def test_erasing_a_contact_clears_its_position_in_every_language(union):
    from chambers import services as chamber_services
    from chambers.models import Contact
    from tests.factories import SYSTEM

    contact = chamber_services.contact_create(
        actor=SYSTEM,
        chamber=union.home,
        data={"name": "Aigerim", "position_en": "Adviser", "position_kk": "Кеңесші-ерекше"},
    )
    chamber_services.contact_erase(actor=SYSTEM, contact_id=contact.pk)
    contact = Contact.objects.get(pk=contact.pk)
    assert all(not text for text in translated_values(contact, "position").values())
    history = Contact.history.model.objects.filter(id=contact.pk)
    assert not history.filter(position_kk="Кеңесші-ерекше").exists()


def test_the_dashboard_lists_members_in_the_readers_alphabet(client, demo):
    """In Kazakh the countries were in code-point order: Түркия before Қазақстан, Әзербайжан
    and Өзбекстан last."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    page = client.get("/").content.decode()
    html = page[page.index('<table class="chambers">') :]  # the members, after the troika
    order = [html.index(name) for name in ("Әзербайжан", "Қазақстан", "Қырғызстан", "Өзбекстан")]
    assert order == sorted(order)
    assert html.index("Өзбекстан") < html.index("Түркия") < html.index("Түрікменстан")


# Every portal page (the URL resolver's, as the browser test visits them) -------------------


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_portal_route_is_in_the_language(union, settings, tmp_path, lang):
    """The General Assembly scene's pages as staff (who see the most): each in the language,
    without an interface text left in English."""
    from tests.scenes import build_assembly
    from tests.test_pages_browser import portal_pages, scene_values

    settings.DOCUMENTS_ROOT = tmp_path
    scene = build_assembly(union, document=False)
    paths, problems = portal_pages(scene_values(scene))
    assert not problems
    client = union.client("staff", api=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    leftovers = english_msgids(lang) - ALLOWED
    found = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, (lang, path)
        english = sorted({t for t in visible_texts(html) if t in leftovers})
        if english:
            found[path] = english
    assert not found, f"{lang}: interface texts still in English: {found}"


# One language per column in files and payloads ----------------------------------------------


def test_a_file_exported_in_one_language_imports_in_another_without_overwriting(union):
    """The export's one-language columns (short name, city) are in the union's default
    language, whoever exports: imported by a Russian-speaking officer, the file wrote the
    Kazakh city into the English column."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    Chamber.objects.filter(pk=union.home.pk).update(city_en="Astana", city_kk="Астана")
    staff = union.client("staff")
    exported = staff.get("/api/v1/exports/chambers.csv?lang=kk")
    assert exported.status_code == 200
    content = exported.getvalue()  # a stream: read once
    assert "Astana" in content.decode() and "Астана" not in content.decode()
    upload = SimpleUploadedFile("chambers.csv", content, content_type="text/csv")
    imported = staff.post(
        "/api/v1/imports/chambers/?lang=ru",
        {"file": upload, "dry_run": "false"},
        format="multipart",
    )
    assert imported.status_code == 200, imported.content
    home = Chamber.objects.get(pk=union.home.pk)
    assert (home.city_en, home.city_kk, home.city_ru or "") == ("Astana", "Астана", "")


def test_the_chamber_search_finds_a_name_in_any_language(union):
    Chamber.objects.filter(pk=union.home.pk).update(city_kk="Алматы", short_name_hu="Otthon")
    anonymous = union.client("anonymous")
    for query in ("Алматы", "Otthon"):
        found = anonymous.get(f"/api/v1/chambers/?q={query}&lang=en").json()["results"]
        assert [c["slug"] for c in found] == [union.home.slug], query


def test_a_webhook_reads_the_same_whoever_made_the_change(union, settings):
    from django.utils import translation

    from tests.webhooks.conftest import subscribe
    from webhooks.models import Delivery, EventType

    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    subscribe("http://127.0.0.1:9/hooks/union", [EventType.MEETING_CREATED])
    with translation.override("kk"):
        union.client("staff").post(
            "/api/v1/meetings/?lang=kk",
            {
                "kind": "board",
                "titles": {"en": "Board meeting", "kk": "Басқарма отырысы"},
                "starts_at": "2027-03-01T10:00:00",
                "ends_at": "2027-03-01T12:00:00",
                "time_zone": "Asia/Almaty",
                "format": "online",
            },
            format="json",
        )
    meeting = Delivery.objects.get().payload["data"]["meeting"]
    assert meeting["title"] == "Board meeting"
    assert meeting["titles"] == by_language(en="Board meeting", kk="Басқарма отырысы")
