"""The upstream texts our pages show that upstream has not translated: Django's (the admin, auth,
forms, validators), Django REST framework's, django-filter's, simple-history's, django-axes'
and django-otp's. Their catalogues ship in some working languages only, or half done (Django's
Kazakh admin had 105 of its 200 texts); ours fill the gaps in ``locale_vendor/<lang>/``, which
``LOCALE_PATHS`` reads after ``locale/`` and before the packages' own.

``python scripts/vendor_catalogues.py`` (re)writes each working language's
``locale_vendor/<lang>/LC_MESSAGES/{django,djangojs}.po`` with exactly the entries upstream
lacks, keeping the translations already made; translate the empty ones, then
``compilemessages``. After upgrading a package, run it again: new upstream texts appear empty,
texts upstream now translates drop out. ``tests/test_i18n.py`` fails on any gap
(:func:`gaps`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = BASE_DIR / "locale_vendor"
#: Upstream catalogues: (importable package, path of its ``locale`` folder inside it).
PACKAGES = [
    ("django", "conf/locale"),
    ("django", "contrib/admin/locale"),
    ("django", "contrib/auth/locale"),
    ("django", "contrib/contenttypes/locale"),
    ("rest_framework", "locale"),
    ("django_filters", "locale"),
    ("simple_history", "locale"),
    ("axes", "locale"),
    ("django_otp", "locale"),
]
DOMAINS = ("django", "djangojs")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin).parent


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _load(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path)) if path.exists() else None


def _sources(domain: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """Every upstream msgid of ``domain``: the English catalogue's, or (where a package ships
    none) the union of its catalogues'."""
    found: dict[tuple[str | None, str], polib.POEntry] = {}
    for package, folder in PACKAGES:
        locale = _package_dir(package) / folder
        english = _load(locale / "en" / "LC_MESSAGES" / f"{domain}.po")
        catalogues = (
            [english]
            if english
            else [_load(p) for p in sorted(locale.glob(f"*/LC_MESSAGES/{domain}.po"))]
        )
        for po in catalogues:
            for entry in po or []:
                if not entry.obsolete and entry.msgid:
                    found.setdefault(_key(entry), entry)
    return found


def _translated_upstream(lang: str, domain: str) -> set[tuple[str | None, str]]:
    done: set[tuple[str | None, str]] = set()
    for package, folder in PACKAGES:
        po = _load(_package_dir(package) / folder / lang / "LC_MESSAGES" / f"{domain}.po")
        done |= {_key(e) for e in po or [] if e.translated() and "fuzzy" not in e.flags}
    ours = _load(BASE_DIR / "locale" / lang / "LC_MESSAGES" / f"{domain}.po")
    done |= {_key(e) for e in ours or [] if e.translated()}
    return done


def wanted(lang: str, domain: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """The upstream entries of ``domain`` that nobody translates into ``lang``."""
    done = _translated_upstream(lang, domain)
    return {key: entry for key, entry in _sources(domain).items() if key not in done}


def vendor_path(lang: str, domain: str) -> Path:
    return VENDOR_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def gaps(lang: str, domain: str) -> list[str]:
    """The upstream texts still untranslated in ``lang`` (the vendor file's empty entries, and
    any it lacks)."""
    vendor = _load(vendor_path(lang, domain))
    have = {_key(e): e for e in vendor or [] if e.translated() and "fuzzy" not in e.flags}
    return sorted(msgid for (ctx, msgid) in wanted(lang, domain) if (ctx, msgid) not in have)


def write(lang: str, domain: str, plural_forms: str) -> int:
    """Rewrite the vendor catalogue of ``lang``: the wanted entries, translations kept."""
    path = vendor_path(lang, domain)
    old = {_key(e): e for e in _load(path) or []}
    po = polib.POFile(wrapwidth=100)
    po.metadata = {
        "Project-Id-Version": "union-secretariat vendor",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    for key, source in sorted(
        wanted(lang, domain).items(), key=lambda kv: (kv[0][0] or "", kv[0][1])
    ):
        kept = old.get(key)
        entry = polib.POEntry(
            msgctxt=source.msgctxt,
            msgid=source.msgid,
            msgid_plural=source.msgid_plural,
            occurrences=[],
            comment=source.comment,
        )
        if source.msgid_plural:
            count = int(plural_forms.split("nplurals=")[1].split(";")[0])
            entry.msgstr_plural = {
                i: (kept.msgstr_plural.get(i, "") if kept and kept.msgstr_plural else "")
                for i in range(count)
            }
        else:
            entry.msgstr = kept.msgstr if kept else ""
        po.append(entry)
    if not len(po):
        if path.exists():
            path.unlink()
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return len(po)


def main() -> None:
    sys.path.insert(0, str(BASE_DIR))
    for lang in sys.argv[1:]:
        ours = polib.pofile(str(BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"))
        plural = ours.metadata["Plural-Forms"]
        for domain in DOMAINS:
            count = write(lang, domain, plural)
            missing = len(gaps(lang, domain))
            print(f"{lang} {domain}: {count} upstream texts vendored, {missing} to translate")


if __name__ == "__main__":
    main()
