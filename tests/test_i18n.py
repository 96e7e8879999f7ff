"""The translation catalogues: complete, correct placeholders, compiled, and used by the pages.

Workflow when strings change: ``DEBUG=true python manage.py makemessages -l ru -l kk -l tr
--ignore=.venv --ignore=var --ignore=tests``, translate, then ``compilemessages --ignore=.venv``
(the .mo files are committed).
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
LANGUAGES = ["ru", "kk", "tr"]
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
