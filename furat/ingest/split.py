"""Turn a raw news page into articles: drop site chrome, find where each article starts.

Pages copied from blogs and partisan outlets glue several articles together, between menus,
"Related Articles" lists, share counters and author bios. No library splits such text pages
(trafilatura works on HTML and keeps one main article), so this is rule-based, over lines:

1. each line is classified (chrome, article-end marker, source, byline, bio, date line, text)
   by the per-language patterns in `furat/data/ingest/`;
2. an article starts at a headline: a short line after a blank line, without final punctuation,
   followed within a few header lines (date, byline, outlet, subtitle) by body text;
3. a headline opens a *new* article only when the current one is closed (an end marker such as
   "Related Articles" or "Source: X", a bio), or already has a body and the new one brings a
   header (date, byline), a change of script, or a headline-cased title; otherwise it is a
   subheading of the current article;
4. between an end marker and the next headline, lines are junk (link lists, credits) and dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from furat.ingest.dates import FoundDate, date_line, embedded_post_date, leading_date
from furat.ingest.lexicon import full_match, lexicon


class Kind(Enum):
    BLANK = "blank"
    DROP = "drop"
    END = "end"
    SOURCE = "source"
    BYLINE = "byline"
    BIO = "bio"
    DATE = "date"
    POST = "post"  # a quoted post's signature: kept in the text, its date a weak hint
    TEXT = "text"


@dataclass
class Line:
    text: str
    kind: Kind
    date: FoundDate | None = None
    value: str | None = None  # the author of a byline, the outlet of a source line


@dataclass
class Article:
    """One article found on a page: its paragraphs and the metadata its header gave."""

    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    date: FoundDate | None = None
    date_is_page: bool = False
    post_dates: list[FoundDate] = field(default_factory=list)

    @property
    def body_chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


_END_PUNCT = tuple(".,;:،؛")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")
_NAME_WORD = re.compile(r"^[A-ZÀ-Ý][\w.’'-]*$")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 25
BODY_LINE_CHARS = 120
HEADER_MAX_LINES = 7


def classify(raw: str, lang: str | None = None) -> list[Line]:
    """Classify every line of a page (a line glued to its date is split in two); `lang`, the
    page's language when known, orders the day and month of numeric date lines."""
    lex = lexicon()
    out: list[Line] = []
    for text in raw.splitlines():
        line = _SPACES.sub(" ", text).replace("\u200b", "").strip()
        if not line:
            out.append(Line("", Kind.BLANK))
            continue
        if lead := leading_date(line):
            out.append(Line(line[: len(line) - len(lead[1])].strip(), Kind.DATE, date=lead[0]))
            line = lead[1].strip()
        if post := embedded_post_date(line):
            out.append(Line(line, Kind.POST, date=post))
        elif found := date_line(line, lang):
            out.append(Line(line, Kind.DATE, date=found, value=found.outlet))
        elif m := full_match(lex.source, line):
            out.append(Line(line, Kind.SOURCE, value=(m.groupdict().get("outlet") or "").strip() or None))
        elif m := full_match(lex.byline, line):
            out.append(Line(line, Kind.BYLINE, value=m.group("author").strip()))
        elif full_match(lex.bio, line):
            out.append(Line(line, Kind.BIO))
        elif full_match(lex.end, line):
            out.append(Line(line, Kind.END))
        elif full_match(lex.drop, line):
            out.append(Line(line, Kind.DROP))
        else:
            out.append(Line(line, Kind.TEXT))
    return out


def script(text: str) -> str:
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    return "arabic" if arabic > latin else "latin"


def _is_body(line: Line) -> bool:
    return line.kind in (Kind.TEXT, Kind.POST) and (
        len(line.text) >= BODY_LINE_CHARS or (len(line.text) >= 60 and line.text.endswith(_END_PUNCT))
    )


def _is_headline_shaped(line: Line) -> bool:
    t = line.text
    return (
        line.kind is Kind.TEXT
        and len(t) <= TITLE_MAX_CHARS
        and len(t.split()) <= TITLE_MAX_WORDS
        and not t.endswith(_END_PUNCT)
    )


def _headline_cased(title: str) -> bool:
    """Title Case or ALL CAPS, as English headlines are (a subheading rarely is)."""
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ’']+", title) if len(w) >= 4]
    if len(words) < 3:
        return False
    return title.isupper() or sum(w[0].isupper() for w in words) / len(words) >= 0.6


@dataclass
class _Header:
    body_at: int  # index of the first body line
    date: FoundDate | None
    author: str | None
    outlet: str | None
    headlines: list[str]  # headline-shaped lines of the header, the first one included


def _name_shaped(text: str) -> bool:
    """Two or three capitalised words ("Anoosha Boralessa"), or two to four Arabic words: a
    person's name more likely than a headline."""
    words = text.split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in text):
        return False
    if script(text) == "arabic":
        return not any(ch in text for ch in ":؟?!«»\"")
    return len(words) <= 3 and all(_NAME_WORD.match(w) for w in words)


def _header(lines: list[Line], i: int) -> _Header | None:
    """If a headline at `i` is followed by body within a few header lines, describe its header.

    Header lines in another script than the body (links of a "Related Articles" list in
    another language) are ignored."""
    body_at, seen = None, 0
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if line.kind in (Kind.BLANK, Kind.DROP, Kind.SOURCE, Kind.END):
            continue
        if _is_body(line):
            body_at = j
            break
        seen += 1
        if seen > HEADER_MAX_LINES or line.kind is Kind.BIO:
            return None
    if body_at is None:
        return None
    body_script = script(lines[body_at].text)
    date = author = outlet = None
    headlines: list[str] = []
    for line in lines[i:body_at]:
        if line.kind is Kind.DATE:
            date = date or line.date
            outlet = outlet or line.value
        elif line.kind is Kind.BYLINE:
            author = author or line.value
        elif line.kind is Kind.TEXT and script(line.text) == body_script:
            words = {w.lower().strip(".,:") for w in line.text.split()}
            if len(words) <= 5 and words & lexicon().outlet_words:
                outlet = outlet or line.text
            elif _name_shaped(line.text) and headlines:
                author = author or line.text
            elif _is_headline_shaped(line) and date is None and author is None:
                headlines.append(line.text)  # the headline comes before the date and byline
    return _Header(body_at, date, author, outlet, headlines or [lines[i].text])


def _pick_title(headlines: list[str]) -> str:
    """The last headline before the date, byline and body that is neither a bare name nor a
    photo caption: earlier ones are links of a "Related Articles" list or a translator's credit."""
    captions = lexicon().caption
    return next(
        (h for h in reversed(headlines) if not _name_shaped(h) and not full_match(captions, h)),
        headlines[0],
    )


def split_page(raw: str, min_body_chars: int = 250, lang: str | None = None) -> list[Article]:
    """The articles of a page, each with its paragraphs and header metadata."""
    lines = classify(raw, lang)
    articles: list[Article] = []
    current: Article | None = None
    closed = True  # at the top of a page, or after an end marker: no article is open
    in_bio = False
    page_date: FoundDate | None = None
    pending_date: FoundDate | None = None  # a date line just before a headline or body
    i = 0
    while i < len(lines):
        line = lines[i]
        prev_blank = i == 0 or lines[i - 1].kind in (Kind.BLANK, Kind.DROP, Kind.DATE, Kind.END)
        if line.kind is Kind.DATE and (current is None or closed):
            pending_date = line.date
            if not articles:
                page_date = page_date or line.date
            i += 1
            continue
        if _is_headline_shaped(line) and prev_blank and (header := _header(lines, i)):
            body_script = script(lines[header.body_at].text)
            title = _pick_title(header.headlines)
            starts = current is None or closed or in_bio
            repeated = current is not None and _same(title, current.title)
            if not starts and not repeated and current is not None \
                    and current.body_chars >= min_body_chars:
                starts = (
                    header.date is not None
                    or header.author is not None
                    or body_script != script(" ".join(current.paragraphs[-3:]))
                    or _headline_cased(title)
                )
            if starts:
                current = Article(title=title, author=header.author, outlet=header.outlet)
                current.date = header.date or pending_date
                articles.append(current)
                closed = in_bio = False
                pending_date = None
                i = header.body_at
                continue
        if line.kind in (Kind.END, Kind.SOURCE, Kind.BIO):
            if current is not None and not closed:
                if line.kind is Kind.SOURCE and line.value and not current.outlet:
                    current.outlet = line.value
                closed = True
            in_bio = in_bio or line.kind is Kind.BIO
        elif line.kind is Kind.BYLINE and current is not None and not closed:
            current.author = current.author or line.value
        elif line.kind in (Kind.TEXT, Kind.POST, Kind.DATE):
            if current is None and _is_body(line):
                current = Article(date=pending_date)
                articles.append(current)
                closed = False
                pending_date = None
            if current is not None and not closed and not in_bio \
                    and not _same(line.text, current.title):  # a repeated headline: image alt text
                current.paragraphs.append(line.text)
                if line.kind is Kind.POST and line.date:
                    current.post_dates.append(line.date)
        i += 1
    kept = [a for a in articles if a.body_chars > 0]
    for article in kept:
        _drop_author_bio(article)
        if article.date is None and page_date is not None and len(kept) > 1:
            article.date, article.date_is_page = page_date, True
    return kept


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.casefold().strip(" .") == b.casefold().strip(" .")


def _drop_author_bio(article: Article) -> None:
    """Drop a closing paragraph that introduces the author ("Finian Cunningham has written…")."""
    if not article.author or len(article.paragraphs) < 3:
        return
    for k in (-1, -2):
        if article.paragraphs[k].startswith(article.author):
            del article.paragraphs[k]
            return
