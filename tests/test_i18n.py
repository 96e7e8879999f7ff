"""The translation catalogues: complete, correct placeholders, compiled, and used by the pages.

Workflow when strings change: ``DEBUG=true python manage.py makemessages -l ru -l kk -l tr
--no-obsolete -i ".venv/*" -i "tests/*" -i "bench/*" -i "node_modules/*" -i "var/*"``
(node_modules holds axe-core, whose .txt files makemessages would read), translate, then
``compilemessages -i .venv -i node_modules`` (the .mo files are committed; see README.md).
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
#: Every working language but English, the sources' (settings.LANGUAGES: nine by default).
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
#: Folders that makemessages is told to skip (keep in step with the documented command).
IGNORED = {".venv", "var", "tests", "locale", "node_modules", "__pycache__"}
#: File kinds makemessages reads for the ``django`` domain.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# %(name)s, %s, %d... (not "%%"), and brace placeholders: {name}, {0}, {{ name }}.
PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou]")
BRACE = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def load_po(lang: str) -> polib.POFile:
    path = po_path(lang)
    if not path.exists():
        pytest.fail(f"{path} is missing: run makemessages -l {lang} (see this module's docstring)")
    return polib.pofile(str(path))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def placeholders(text: str) -> Counter:
    text = text.replace("%%", "")
    found = [match.group(0) for match in PERCENT.finditer(text)]
    found += [re.sub(r"\s+", "", match.group(0)) for match in BRACE.finditer(text)]
    return Counter(found)


def entry_key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def translations(entry: polib.POEntry) -> dict[int, str]:
    if entry.msgid_plural:
        return {int(index): text for index, text in entry.msgstr_plural.items()}
    return {0: entry.msgstr}


def need_gettext() -> None:
    """Skip without gettext's tools, or fail in CI, where they must be installed."""
    missing = [tool for tool in ("xgettext", "msguniq", "msgmerge") if not shutil.which(tool)]
    if not missing:
        return
    message = (
        f"GNU gettext is not installed ({', '.join(missing)} not found): apt-get install gettext"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    po = load_po(lang)
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy"
    assert po.metadata.get("Language") == lang, f"{lang}: the header's Language is wrong"
    assert "Plural-Forms" in po.metadata, f"{lang}: the header has no Plural-Forms"
    entries = live_entries(po)
    assert entries, f"{lang}: the catalogue is empty"
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))
    untranslated = []
    for entry in entries:
        forms = translations(entry)
        if entry.msgid_plural and len(forms) != nplurals:
            untranslated.append(f"{entry.msgid!r} has {len(forms)} plural forms, not {nplurals}")
        untranslated += [entry.msgid for text in forms.values() if not text.strip()]
    assert not untranslated, f"{lang}: untranslated entries: {untranslated}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang):
    wrong = []
    for entry in live_entries(load_po(lang)):
        for text in translations(entry).values():
            # A plural catalogue's "singular" form serves other numbers too (21 in Russian), so
            # every form is compared with msgid_plural.
            source = entry.msgid_plural or entry.msgid
            if placeholders(text) != placeholders(source):
                wrong.append(f"{source!r} -> {text!r}")
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_matches_po(lang):
    po = load_po(lang)
    mo_path = po_path(lang).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages --ignore=.venv"
    compiled = {entry_key(entry): translations(entry) for entry in polib.mofile(str(mo_path))}
    expected = {
        entry_key(entry): translations(entry)
        for entry in po.translated_entries()
        if entry.msgid  # the header
    }
    stale = sorted(
        key[1]
        for key in expected.keys() | compiled.keys()
        if compiled.get(key) != expected.get(key)
    )
    assert not stale, (
        f"{lang}: django.mo is out of date with django.po for {stale[:10]}: "
        "run compilemessages --ignore=.venv"
    )


def copy_sources(target: Path) -> None:
    """Copy the files makemessages reads, leaving out the folders it is told to ignore."""
    for root, dirs, files in os.walk(BASE_DIR):
        dirs[:] = [name for name in dirs if name not in IGNORED and not name.startswith(".")]
        for name in files:
            source = Path(root) / name
            if source.suffix in SOURCE_SUFFIXES:
                destination = target / source.relative_to(BASE_DIR)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)


def po_path_in(project: Path) -> str:
    return str(project / "locale" / "ru" / "LC_MESSAGES" / "django.po")


def test_catalogues_are_complete(tmp_path, monkeypatch, settings):
    """A fresh extraction (on a copy, so the repo's locale folder is untouched) finds no msgid
    that the catalogues lack, and the catalogues hold no msgid the sources no longer use."""
    need_gettext()
    project = tmp_path / "project"
    copy_sources(project)
    (project / "locale").mkdir()
    settings.LOCALE_PATHS = [str(project / "locale")]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["ru"], verbosity=0, ignore_patterns=sorted(IGNORED))
    extracted = {entry_key(entry) for entry in live_entries(polib.pofile(po_path_in(project)))}
    assert extracted, "makemessages extracted nothing: is the copy of the sources complete?"
    for lang in LANGUAGES:
        catalogue = {entry_key(entry) for entry in live_entries(load_po(lang))}
        missing = sorted(key[1] for key in extracted - catalogue)
        unused = sorted(key[1] for key in catalogue - extracted)
        assert not missing, (
            f"{lang}: strings not in django.po (re-run makemessages and translate): {missing}"
        )
        assert not unused, (
            f"{lang}: django.po has strings no source uses (re-run makemessages): {unused}"
        )


# The navigation's "Members" link and the brand, in each language.
RENDERED = {
    "ru": ["Члены", "Союз палат"],
    "kk": ["Мүшелер", "Палаталар одағы"],
    "tr": ["Üyeler", "Odalar Birliği"],
    "az": ["Üzvlər", "Palatalar Birliyi"],
    "uz": ["Aʼzolar", "Palatalar ittifoqi"],
    "ky": ["Мүчөлөр", "Палаталар бирлиги"],
    "tk": ["Agzalar", "Edaralaryň bileleşigi"],
    "hu": ["Tagok", "Kamarák szövetsége"],
}


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_render_in_each_language(client, db, lang, how):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get("/")
    else:
        response = client.get("/", headers={"accept-language": f"{lang},en;q=0.5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for label in RENDERED[lang]:
        assert label in html, f"{lang}: {label!r} missing from the dashboard"
    assert ">Members<" not in html, f"{lang}: the navigation is still in English"


# Upstream texts that our catalogues translate because Django's kk catalogue is incomplete and
# django-countries has none (see chambers/i18n_extra.py).

#: The country names of the dashboard (KZ and TR official names, RU a django-countries common
#: name), in each language; ru and tr are django-countries' own translations.
COUNTRY_NAMES = {
    "kk": ["Қазақстан", "Түркия", "Ресей"],
    "ru": ["Казахстан", "Турция", "Россия"],
    "tr": ["Kazakistan", "Türkiye", "Rusya"],
    "az": ["Qazaxıstan", "Türkiyə", "Rusiya"],
    "uz": ["Qozogʻiston", "Turkiya", "Rossiya"],
    "ky": ["Казакстан", "Түркия", "Россия"],
    "tk": ["Gazagystan", "Türkiýe", "Russiýa"],
    "hu": ["Kazahsztán", "Törökország", "Oroszország"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_directory_shows_country_names_in_the_language(client, db, lang):
    from chambers.models import MembershipStatus
    from tests.factories import make_chamber

    make_chamber(slug="kz", country="KZ")
    make_chamber(slug="tr", country="TR")
    make_chamber(slug="ru", country="RU", status=MembershipStatus.OBSERVER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = client.get("/chambers/").content.decode()  # members and observers (the dashboard:
    for name in COUNTRY_NAMES[lang]:  # the members' first page)
        assert name in html, f"{lang}: {name!r} missing from the chambers' directory"
    for english in ("Kazakhstan", "Russia"):
        assert english not in html, f"{lang}: {english!r} is still in English"


def test_failed_login_in_kazakh_says_so_in_kazakh(client, db):
    from tests.factories import make_login

    make_login(None, None, username="aigerim")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = client.post("/accounts/login/", {"username": "aigerim", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Дұрыс пайдаланушы аты мен құпиясөзді енгізіңіз." in html
    assert "Please enter a correct" not in html
    assert "Пайдаланушы аты" in html and "Құпиясөз" in html  # the labels


#: The working languages in Cyrillic: no country name may read as the English one. (In Latin
#: script many are the same, "Peru", "Malta": test_every_entry_is_translated checks those.)
CYRILLIC = [lang for lang in LANGUAGES if lang in ("ru", "kk", "ky")]


@pytest.mark.parametrize("lang", CYRILLIC)
def test_every_country_name_is_translated(lang):
    """Catches a django-countries upgrade that adds or renames a country (update i18n_extra)."""
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        english = dict(countries)
    with translation.override(lang):
        local = dict(countries)
    untranslated = sorted(name for code, name in english.items() if local[code] == name)
    assert not untranslated, f"country names not in the {lang} catalogue: {untranslated}"


def test_the_unions_preferred_country_names_are_data():
    """Kyrgyzstan is "Кыргызстан" in Russian, as the union writes it (COUNTRY_NAMES), where
    Django's and django-countries' Russian say "Киргизия"; other languages keep their own."""
    from django.utils import translation
    from django_countries import countries

    with translation.override("ru"):
        assert countries.name("KG") == "Кыргызстан"
        assert "Киргизия" not in dict(countries).values()
    with translation.override("kk"):
        assert countries.name("KG") == "Қырғызстан"


def test_the_cached_country_names_are_django_countries_in_each_language():
    """The pages name countries from a table computed once per language (a page of 150
    chambers read each name through gettext): the same names, preferred ones included."""
    from django.template import Context, Template
    from django.utils import translation
    from django_countries import countries
    from django_countries.fields import Country

    from core.country_names import names_in

    for language in ("en", "ru", "kk", "tr", "hu"):
        with translation.override(language):
            assert names_in(language) == {code: str(name) for code, name in countries}
            html = Template("{% load translated %}{{ c|country_name }}").render(
                Context({"c": Country(code="KG")})
            )
            assert html == countries.name("KG")
    assert names_in("ru")["KG"] == "Кыргызстан"


def upstream_texts() -> list[str]:
    """Django's auth and forms texts that the portal's pages can show, in the active language."""
    from django import forms
    from django.contrib.auth import forms as auth_forms
    from django.contrib.auth import get_user_model, password_validation
    from django.core import validators
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.forms.widgets import FILE_INPUT_CONTRADICTION

    user_model = get_user_model()
    user = user_model(username="aigerim", first_name="Nurzhamal", email="aigerim@example.org")
    password_change = auth_forms.PasswordChangeForm.base_fields
    texts = [
        *auth_forms.AuthenticationForm.error_messages.values(),
        auth_forms.AuthenticationForm.base_fields["password"].label,
        user_model._meta.get_field(user_model.USERNAME_FIELD).verbose_name,
        auth_forms.PasswordResetForm.base_fields["email"].label,
        *auth_forms.PasswordChangeForm.error_messages.values(),
        *(field.label for field in password_change.values()),
        password_change["new_password2"].help_text,
        *password_validation.password_validators_help_texts(),
        *(forms.ClearableFileInput.initial_text, forms.ClearableFileInput.input_text),
        forms.ClearableFileInput.clear_checkbox_label,
    ]
    # Like the user name (and short), common, numeric, like the e-mail address, like the name.
    for password in ("aigerim", "password", "73019482615", "aigerim@example.org", "Nurzhamal"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            texts += error.messages
    image = SimpleUploadedFile("logo.png", b"not an image")
    failures = [
        (forms.CharField(), ""),
        (forms.CharField(max_length=3), "abcd"),
        (forms.CharField(), "a\x00b"),
        (forms.EmailField(), "nobody"),
        (forms.URLField(assume_scheme="https"), "not a url"),
        (forms.DateField(), "31.02.x"),
        (forms.ImageField(), image),
        (forms.FileField(), "not a file"),
        (forms.FileField(), SimpleUploadedFile("empty.png", b"")),
        (forms.FileField(max_length=3), SimpleUploadedFile("long.png", b"x")),
        (forms.FileField(required=False), FILE_INPUT_CONTRADICTION),
        (forms.ChoiceField(choices=[("a", "A")]), "b"),
        (forms.MultipleChoiceField(choices=[("a", "A")]), "a"),
    ]
    for field, value in failures:
        with pytest.raises(ValidationError) as error:
            field.clean(value)
        texts += error.value.messages
    with pytest.raises(ValidationError) as error:
        validators.validate_image_file_extension(SimpleUploadedFile("logo.exe", b""))
    texts += error.value.messages
    return [str(text) for text in texts]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_django_texts_on_portal_pages_are_translated(lang):
    """Catches a Django upgrade that changes a msgid listed in chambers/i18n_extra.py."""
    from django.utils import translation

    with translation.override("en"):
        english = upstream_texts()
    with translation.override(lang):
        local = upstream_texts()
    assert len(english) == len(local) > 35
    untranslated = [en for en, text in zip(english, local, strict=True) if en == text]
    assert not untranslated, f"shown in English on {lang} pages: {untranslated}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_upstream_texts_have_a_translation(lang, domain):
    """Every text of Django's admin, auth and forms, DRF, django-filter, simple-history, axes
    and django-otp is translated into every working language: upstream's catalogue or ours in
    locale_vendor/ (scripts/vendor_catalogues.py: run it after an upgrade, then translate)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "vendor_catalogues", BASE_DIR / "scripts" / "vendor_catalogues.py"
    )
    assert spec is not None and spec.loader is not None
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    gaps = vendor.gaps(lang, domain)
    assert not gaps, f"{lang} {domain}: {len(gaps)} upstream texts untranslated: {gaps[:10]}"
