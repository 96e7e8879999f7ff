#!/usr/bin/env bash
# System packages the project needs beyond Python: Pango and the DejaVu fonts (the PDFs),
# Debian's chromium (browser tests; Playwright's
# own browser download does not work offline), gettext (translation catalogue checks) and npm
# (installs axe-core, pinned in package-lock.json, for the accessibility checks of the pages).
# Installs them when missing and apt-get is usable; otherwise says what is missing.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The documents of record (PDF, WeasyPrint): Pango, and fonts that cover Cyrillic, Kazakh,
# Turkish, Azerbaijani and Hungarian letters (DejaVu).
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})." >&2
  echo "Without them the browser and catalogue tests skip outside CI and fail in CI." >&2
fi
