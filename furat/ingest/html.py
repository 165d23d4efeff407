"""HTML → article text and metadata: trafilatura, and a plain-text fallback when it gives up.

libxml2 stops building the tree at 256 nested elements (2048 with `huge_tree`), which
careless pages reach with a few hundred unclosed `<div>`s: whatever lies deeper is lost. So the
tree is parsed here with `huge_tree` and handed to trafilatura; when that still yields no text, or
the page nests deeper still, the page's whole text is taken by the standard library's streaming
`html.parser` (no tree, no depth limit), one line per block, and cleaned of site chrome by the same
line rules as a text page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.utils import repair_faulty_html

# Elements whose content is never text to read, and elements that end a line.
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_BLANKS = re.compile(r"[ \t\f\v\u00a0]+")


def extract(html: str) -> tuple[str, Any | None]:
    """The article text of a page and trafilatura's document (its metadata), or None when
    trafilatura could not read the page and the text is the fallback's."""
    tree, too_deep = _tree(html)
    result = None
    if tree is not None and not too_deep:
        try:
            result = trafilatura.bare_extraction(
                tree,
                with_metadata=True,
                include_comments=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except RecursionError:
            result = None
    if result is not None and (result.text or "").strip():
        return result.text, result
    return page_text(html), result


def _tree(html: str) -> tuple[Any | None, bool]:
    """The page's tree, and whether the parser stopped short of its deepest elements (parsed as
    trafilatura parses, with its repairs, but with `huge_tree`)."""
    html = repair_faulty_html(html, html[:50].lower())
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (ParserError, ValueError):
        return None, False
    too_deep = any("depth" in str(entry.message).lower() for entry in parser.error_log)
    return tree, too_deep


class _TextParser(HTMLParser):
    """The text of a page, one line per block element, without scripts, styles or head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # a head left open ends here
            self._skipping = [t for t in self._skipping if t != "head"]
        if tag in _SKIP:
            self._skipping.append(tag)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass
        elif tag in _BLOCK and tag not in _VOID:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))  # a line break in HTML source is a space


def page_text(html: str) -> str:
    """All the readable text of a page, one line per block, blank runs squeezed."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (_BLANKS.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
