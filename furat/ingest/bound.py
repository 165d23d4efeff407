"""Bounds on what one document asks of the models: its length and its paragraphs' length.

A one-line 5 MB file or a JSONL record holding a whole book must not end the run (spaCy refuses
texts over `nlp.max_length`, and its parser needs memory in proportion to the text) nor take
hours: the text is cut at `[ingest] max_doc_chars`, and every paragraph longer than
`MAX_PARAGRAPH_CHARS` is described as several paragraphs. Cuts fall at a sentence end, else at a
space, so that no sentence or word is split when the text allows it. Only offsets are computed:
the text itself is never rewritten, so every offset stays exact.
"""

from __future__ import annotations

import re

# Longer than any real paragraph (a long one is ~2,000 characters), far below spaCy's
# max_length: stages process the text paragraph by paragraph, so this bounds each model call.
MAX_PARAGRAPH_CHARS = 5000
_SENTENCE_END = re.compile(r"[.!?؟…。][\"'»”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def cut_point(text: str, start: int, limit: int, stop: int | None = None) -> int:
    """Where to end a piece of `text[start:stop]` holding at most `limit` characters: after the
    last sentence end in its second half, else at its last space, else at the limit."""
    stop = len(text) if stop is None else stop
    end = start + limit
    if end >= stop:
        return stop
    floor = start + limit // 2
    for pattern in (_SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(text, floor, end + 1):  # noqa: B007
            pass
        if last is not None:
            return last.end()  # the piece's trailing whitespace is trimmed by the caller
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`start:end` without surrounding whitespace, or None when only whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def cap_length(text: str, limit: int) -> int:
    """The length `text` keeps under a cap of `limit` characters (all of it when shorter)."""
    if len(text) <= limit:
        return len(text)
    piece = _trim(text, 0, cut_point(text, 0, limit))
    return piece[1] if piece else limit


def bound_paragraphs(
    text: str, spans: list[tuple[int, int]], length: int | None = None,
    limit: int = MAX_PARAGRAPH_CHARS,
) -> list[tuple[int, int]]:
    """`spans` (paragraph offsets into `text`) clipped to `length` and with every paragraph
    longer than `limit` described as consecutive pieces of at most `limit` characters."""
    length = len(text) if length is None else length
    out: list[tuple[int, int]] = []
    for start, end in spans:
        end = min(end, length)
        while start < end:
            stop = max(cut_point(text, start, limit, end), start + 1)
            if piece := _trim(text, start, stop):
                out.append(piece)
            start = stop
    return out
