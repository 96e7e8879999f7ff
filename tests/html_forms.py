"""Read an HTML form as a browser would submit it: the tests of admin and portal pages post
what the page offers (its fields and their current values), changed as a person would, instead
of a dictionary typed by hand that may name fields the page no longer has."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.fields: set[str] = set()
        self._select: str | None = None
        self._select_multiple = False
        self._select_first: str | None = None
        self._select_chosen = False
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            self.fields.add(name)
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
                return
            self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self.fields.add(name)
            self._select, self._select_multiple = name, "multiple" in a
            self._select_first, self._select_chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option_value = value
            if self._select_first is None:
                self._select_first = value if value is not None else ""
            if "selected" in a:
                self._select_chosen = True
                self._add(self._select, value if value is not None else "")
        elif tag == "textarea" and name:
            self.fields.add(name)
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._select_multiple:
                self._add(self._select, self._select_first or "")
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


class FormData(dict):
    """The submitted values (a list for each name) plus the names of the page's fields."""

    fields: set[str]

    def set(self, name: str, value: object) -> None:
        """Set a field the page offers (a typo or a vanished field fails the test)."""
        if name not in self.fields:
            raise KeyError(f"the form has no field {name!r}")
        self[name] = value if isinstance(value, list) else [value]

    def add_inline_row(self, prefix: str) -> str:
        """What "Add another ..." does: a new row from the inline's empty form; returns the
        new row's prefix (``agenda-2``)."""
        total = int(self[f"{prefix}-TOTAL_FORMS"][0])
        row = f"{prefix}-{total}"
        for name in list(self.fields):
            if name.startswith(f"{prefix}-__prefix__-"):
                new = name.replace("__prefix__", str(total))
                self.fields.add(new)
                self[new] = list(self.get(name, []))
        self[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
        return row

    def for_post(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.items() if "__prefix__" not in k}


def read_form(html: str, form_id: str | None = None) -> FormData:
    parser = _Form(form_id)
    parser.feed(html)
    data = FormData(parser.data)
    data.fields = parser.fields
    if not parser.fields:
        raise AssertionError(f"no form {form_id!r} on the page")
    return data


def errors_on(html: str) -> list[str]:
    """The error messages an admin or portal page shows (for failure messages)."""
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    ]
