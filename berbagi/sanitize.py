"""What HTML a description may carry: what Markdown writes, nothing that runs (nh3's allow-list).

Organizers write class descriptions and pages in Markdown, which lets raw HTML through: a pasted
<script>, an onerror= handler, an <iframe> or a javascript: link would reach every visitor and both
feeds. The allow-list keeps headings, lists, links, images, tables, emphasis, code and footnotes.
"""

from __future__ import annotations

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Classes style code and footnotes; ids are the targets of footnotes and heading links.
ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean_html(html: str) -> str:
    """`html` with everything that is not on the allow-list removed (its text is kept)."""
    return str(
        nh3.clean(
            html,
            tags=set(TAGS),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            # Links keep what the organizer wrote; none opens a new window, so none needs rel.
            link_rel=None,
            strip_comments=True,
        )
    )
