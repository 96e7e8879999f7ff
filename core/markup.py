"""Formatted text written by the secretariat (the minutes): Markdown rendered on the server,
then sanitised with nh3 to a short list of tags, so no raw HTML from a user reaches a page
(a ``<script>`` or an ``onclick`` is dropped, a ``javascript:`` link loses its address)."""

from __future__ import annotations

import re

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

#: What the minutes may use: headings, paragraphs, lists, emphasis, links, tables, quotes.
TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def _shifted(html: str, levels: int) -> str:
    """Headings ``levels`` lower (h1 to h3 for 2): a text shown inside a page's section keeps
    the page's outline (one h1, the section's h2 above the text's headings)."""
    if not levels:
        return html
    return re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(6, int(m[2]) + levels)}>", html)


def render(text: str, *, heading_shift: int = 0) -> SafeString:
    """``text`` (Markdown) as safe HTML, its headings ``heading_shift`` levels lower."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = _shifted(html, heading_shift)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised just above)
