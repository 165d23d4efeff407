"""Inputs → `Document`s: decode, extract (HTML), clean and split, and read the metadata.

This is where `id`, `source`, `raw_sha256`, `part`, `outlet`, `url`, `title`, `author`,
`published*`, `text` and the paragraph offsets are set; later stages never change them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from furat.ingest.bound import bound_paragraphs, cap_length
from furat.ingest.dates import LANGUAGES, FoundDate, parse_date
from furat.ingest.decode import DecodeError, decode_bytes
from furat.ingest.html import extract as extract_html
from furat.ingest.read import Input, find_inputs, too_large
from furat.ingest.split import Article, split_page
from furat.ingest.unwrap import unwrap
from furat.language.detect import DETECT_CHARS, detect_latin, letter_counts
from furat.model import Document, Paragraph, content_id
from furat.report import Reporter
from furat.textnorm import strip_invisible

PARAGRAPH_SEP = "\n\n"


@dataclass
class IngestOptions:
    as_is: bool = False  # one document per input text, offsets into exactly that text
    max_file_mb: float = 20.0
    min_body_chars: int = 250
    max_doc_chars: int = 100_000  # a document's text is cut there (see furat/ingest/bound.py)
    default_language: str = "fr"  # the day/month order of a JSONL numeric date nothing else tells

    @classmethod
    def from_config(cls, section: dict[str, Any], as_is: bool = False) -> IngestOptions:
        return cls(
            as_is=as_is,
            max_file_mb=float(section.get("max_file_mb", 20)),
            min_body_chars=int(section.get("min_body_chars", 250)),
            max_doc_chars=int(section.get("max_doc_chars", 100_000)),
            default_language=str(section.get("default_language", "fr")),
        )


@dataclass
class Meta:
    """What an input says about itself (JSONL fields, HTML metadata)."""

    id: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: FoundDate | None = None
    published_source: str | None = None
    published_raw: str | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


RawSink = Callable[[str, str, bytes], None]  # (sha256, source, bytes) of each raw input


class RawCache:
    """The raw inputs of the last few batches, for the store to keep beside their documents
    (bounded: documents reach the store a batch or two after their input was read)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    def __call__(self, sha: str, source: str, data: bytes) -> None:
        self._items[sha] = (source, data)
        self._items.move_to_end(sha)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, sha: str) -> tuple[str, bytes] | None:
        return self._items.get(sha)


def documents(
    paths: list[str], options: IngestOptions, report: Reporter, on_raw: RawSink | None = None
) -> Iterator[Document]:
    """Every document of every input; problems reported one line each, never raised.
    `on_raw` receives each raw input that gave documents, before its documents."""
    for item in find_inputs(paths, report, options.max_file_mb):
        try:
            if item.kind == "jsonl":
                yield from _from_jsonl(item, options, report, on_raw)
            else:
                yield from _from_file(item, options, report, on_raw)
        except OSError as exc:
            report.error(item.source, f"cannot read ({exc.strerror or exc})")
        except Exception as exc:  # a fault of furat's on one input must not cost the others
            report.error(item.source, f"cannot read ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:200]})")


def _read_bytes(item: Input, options: IngestOptions) -> bytes:
    if item.data is not None:
        return item.data
    assert item.path is not None
    size = item.path.stat().st_size
    limit = int(options.max_file_mb * 1024 * 1024)
    if size > limit:
        raise _Skip(too_large(options.max_file_mb, size / 1048576))
    return item.path.read_bytes()


class _Skip(Exception):
    """An input that cannot give documents, with the one-line reason."""


def _from_file(
    item: Input, options: IngestOptions, report: Reporter, on_raw: RawSink | None
) -> Iterator[Document]:
    try:
        data = _read_bytes(item, options)
        decoded = decode_bytes(data)
    except (_Skip, DecodeError) as exc:
        report.error(item.source, str(exc))
        return
    if decoded.warning:
        report.warning(item.source, decoded.warning)
    text, meta = decoded.text, Meta()
    if item.kind == "html":
        text, meta = _extract_html(text)
        if not text.strip():
            report.error(item.source, "HTML page holds no article text")
            return
    docs = list(_make_documents(text, item.source, sha256(data), meta, options, report,
                                item.source))
    if not docs:
        report.error(item.source, "no article text found")
    elif on_raw is not None:
        on_raw(docs[0].raw_sha256, item.source, data)
    yield from docs


def _extract_html(html: str) -> tuple[str, Meta]:
    text, result = extract_html(html)
    if result is None:
        return text, Meta()
    published = parse_date(result.date) if result.date else None
    return text, Meta(
        url=result.url,
        title=result.title,
        author=result.author,
        outlet=result.sitename,
        published=published,
        published_source="html-meta" if published else None,
    )


def _from_jsonl(
    item: Input, options: IngestOptions, report: Reporter, on_raw: RawSink | None
) -> Iterator[Document]:
    """One document per JSON line, read as a stream: memory is bounded by a line."""
    lines = item.lines
    if lines is None and item.data is not None:
        lines = iter(item.data.splitlines(keepends=True))
    handle = None if lines is not None else open(item.path, "rb")  # noqa: SIM115
    produced = records = bad_dates = 0
    first_bad: str | None = None
    try:
        for number, raw in enumerate(lines if lines is not None else handle, start=1):
            where = f"{item.source}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                report.error(where, f"malformed JSON line ({getattr(exc, 'msg', exc)})")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                report.error(where, 'JSON line has no "text" string')
                continue
            record = {k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v
                      for k, v in record.items()}  # "\ud800" alone is no character: not storable
            meta = _jsonl_meta(record, options.default_language)
            records += 1
            if meta.published_raw and meta.published is None:
                bad_dates += 1
                first_bad = first_bad or meta.published_raw
            source = meta.url or where
            docs = list(_make_documents(record["text"], source, sha256(raw), meta, options,
                                        report, where, split=False))
            if not docs:
                report.error(where, "no article text found")
            elif on_raw is not None:
                on_raw(docs[0].raw_sha256, where, raw)
            for doc in docs:
                produced += 1
                yield doc
    finally:
        if handle is not None:
            handle.close()
    if bad_dates:  # once per file: a feed's dates are all written the same way
        report.warning(item.source, f"{bad_dates} of {records} record(s) have a date furat cannot "
                       f"read (first: {first_bad!r}); kept as published_raw, published left empty")
    if produced == 0:
        report.error(item.source, "no document in this JSONL file")


def _jsonl_meta(record: dict[str, Any], default_language: str) -> Meta:
    def text_field(*names: str) -> str | None:
        for name in names:
            value = record.get(name)
            if isinstance(value, str | int) and str(value).strip():
                return str(value).strip()
        return None

    raw_date = text_field("published", "date", "published_at")
    lang = _date_language(raw_date, record, default_language) if raw_date else None
    published = parse_date(raw_date, lang) if raw_date else None
    return Meta(
        id=text_field("id"),
        url=text_field("url"),
        title=text_field("title"),
        author=text_field("author"),
        outlet=text_field("outlet", "source", "sitename"),
        published=published,
        published_source="input" if published else None,
        published_raw=raw_date,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")


def _date_language(raw_date: str, record: dict[str, Any], default: str) -> str | None:
    """The language whose order a numeric date ("05/04/2017") is read in: the record's `lang` or
    `language` field, else its text's, else `default`."""
    if not _NUMERIC_DATE.search(raw_date):
        return None  # a date with a month name or in ISO order says which part is which
    for name in ("lang", "language", "locale"):
        value = record.get(name)
        if isinstance(value, str) and (code := value.strip()[:2].lower()) in LANGUAGES:
            return code  # "fr", "fr-FR", "French", "english", "Arabic"
    return _text_language(record["text"], default)


def _text_language(text: str, default: str) -> str:
    """fr, en or ar, from the start of the longest line of `text` (script, then lingua): cheap,
    and only asked when a numeric date needs it."""
    sample = max(text.splitlines() or [""], key=len)[:DETECT_CHARS]
    arabic, latin, _ = letter_counts(sample)
    if arabic > latin:
        return "ar"
    if latin >= 20:
        return detect_latin(sample, ("fr", "en")) or default
    return default


def _make_documents(
    text: str, source: str, raw_sha: str, meta: Meta, options: IngestOptions, report: Reporter,
    where: str, split: bool = True,
) -> Iterator[Document]:
    """The documents of one input text: cleaned and split into articles, or kept as is.
    Invisible characters go before any offset exists (except --as-is: offsets into exactly the
    input); every document is bounded (`_bounded`), a cut reported on `where`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not options.as_is:
        text = unwrap(strip_invisible(text))
    # a numeric date line ("05/04/2017") is read in the page's language: day first in fr/ar
    lang = _text_language(text, options.default_language) if _NUMERIC_DATE.search(text) else None
    articles = split_page(text, options.min_body_chars, lang) if text.strip() else []
    if options.as_is:
        if text.strip():
            first = articles[0] if articles else Article()
            body, offsets = _bounded(text, _line_paragraphs(text), options, report, where)
            yield _document(body, offsets, first, source, raw_sha, 0, meta)
        return
    if not articles:
        # Too short to look like an article (a tweet, a one-line dispatch): keep the text.
        articles = [Article(paragraphs=[ln.strip() for ln in text.splitlines() if ln.strip()])]
    if not split and len(articles) > 1:
        merged = Article(**{**articles[0].__dict__})
        merged.paragraphs = [p for a in articles for p in a.paragraphs]
        articles = [merged]
    for part, article in enumerate(a for a in articles if a.paragraphs):
        body = PARAGRAPH_SEP.join(article.paragraphs)
        offsets, pos = [], 0
        for paragraph in article.paragraphs:
            offsets.append((pos, pos + len(paragraph)))
            pos += len(paragraph) + len(PARAGRAPH_SEP)
        body, offsets = _bounded(body, offsets, options, report, where)
        yield _document(body, offsets, article, source, raw_sha, part, meta)


def _bounded(
    text: str, offsets: list[tuple[int, int]], options: IngestOptions, report: Reporter, where: str
) -> tuple[str, list[tuple[int, int]]]:
    """`text` cut at `[ingest] max_doc_chars` (said once, on stderr) and its paragraphs bounded,
    so that no model is handed more than it can take (furat/ingest/bound.py)."""
    length = cap_length(text, options.max_doc_chars)
    if length < len(text):
        report.warning(where, f"text of {len(text):,} characters cut to its first {length:,} "
                       "([ingest] max_doc_chars); the raw input is kept whole")
    return text[:length], bound_paragraphs(text, offsets, length)


def _line_paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-blank lines of `text`, trimmed of surrounding spaces."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


def _document(
    text: str,
    offsets: list[tuple[int, int]],
    article: Article,
    source: str,
    raw_sha: str,
    part: int,
    meta: Meta,
) -> Document:
    published, published_source = meta.published, meta.published_source
    if published is None and article.date is not None:
        published = article.date
        published_source = "page" if article.date_is_page else "text"
    if published is None and article.post_dates:
        # A quoted post's date only bounds the publication from below: keep its month.
        latest = max(article.post_dates, key=lambda d: d.value)
        published, published_source = FoundDate(latest.value[:7], "month"), "embedded-post"
    return Document(
        id=meta.id or content_id(text),
        source=source,
        raw_sha256=raw_sha,
        part=part,
        outlet=meta.outlet or article.outlet,
        url=meta.url,
        title=meta.title if part == 0 and meta.title else article.title,
        author=meta.author or article.author,
        published=published.value if published else None,
        published_precision=published.precision if published else None,  # type: ignore[arg-type]
        published_source=published_source,  # type: ignore[arg-type]
        published_raw=meta.published_raw,
        paragraphs=[Paragraph(start=s, end=e) for s, e in offsets],
        text=text,
    )
