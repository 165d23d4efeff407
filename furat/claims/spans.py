"""Spans of a sentence for the claims stage: trimmed speakers and contents, patterns searched on the
normalised text with raw offsets, the quotations a sentence closes.

Split from `furat.claims.extract` (and used by the encoder tagger, `furat.claims.tagger`) so that the
claim rules read as rules, not as offset arithmetic.
"""

from __future__ import annotations

import re

from furat.textnorm import normalise

QUOTES_OPEN = "«“\"„‹'"
QUOTES_CLOSE = "»”\"‟›'"
_STRIP = " \t\n,;:،؛—–-«»“”\"'()"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without surrounding spaces and punctuation (a final period too)."""
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and (text[end - 1] in _STRIP or (text[end - 1] == "." and end - start > 1
                                                         and not text[end - 2].isupper())):
        if text[end - 1] == ")" and "(" in text[start:end]:
            break  # "(Centcom)" keeps its bracket
        end -= 1
    return start, end


def has_any(text: str, marks: str) -> bool:
    return any(q in text for q in marks)


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Content without surrounding spaces, commas and a final period; quote marks go only when
    they enclose it."""
    while start < end and text[start] in " \t\n,;:،؛—–-":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:،؛—–-.":
        end -= 1
    if end - start >= 2 and text[start] in QUOTES_OPEN and text[end - 1] in QUOTES_CLOSE:
        start, end = start + 1, end - 1
    elif start < end and text[start] in QUOTES_OPEN and not has_any(text[start + 1:end], QUOTES_CLOSE):
        start += 1
    elif start < end and text[end - 1] in QUOTES_CLOSE and not has_any(text[start:end - 1], QUOTES_OPEN):
        end -= 1
    while start < end and text[start] in " \t\n,;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:.":
        end -= 1
    return start, end


def search_norm(pattern: re.Pattern[str], raw: str, lo: int, hi: int) -> tuple[int, int] | None:
    """`pattern` on the normalised raw[lo:hi], as raw offsets."""
    norm = normalise(raw[lo:hi])
    m = pattern.search(norm.text)
    if m is None:
        return None
    a, b = norm.to_original(m.start(), m.end())
    return lo + a, lo + b


def n_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


_PAIRS = {"«": "»", "“": "”"}


def quotations(raw: str) -> list[tuple[int, int]]:
    """The closed quotations of a sentence, outermost only: a reporting word inside one is the
    quoted speaker's own ("“The attack stresses … and it reveals …,” the statement read")."""
    stack: list[tuple[str, int]] = []
    spans = []
    for i, ch in enumerate(raw):
        # a straight quote opens after a space and before a word ('يعد "محاولة'), else it closes
        opens = ch in _PAIRS or (ch == '"' and (i == 0 or raw[i - 1] in " \t\n([")
                                 and raw[i + 1:i + 2].strip() != "")
        if not opens and stack and _PAIRS.get(stack[-1][0], '"') == ch:
            _, at = stack.pop()
            if not stack:
                spans.append((at, i + 1))
        elif opens:
            stack.append((ch, i))
    return spans


def inside(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(a < span[0] and span[1] < b for a, b in spans)


def quotation_at(raw: str, lo: int, hi: int) -> int | None:
    """Where a quotation (not a quoted name of four words or fewer) opens in [lo, hi)."""
    for m in re.finditer(r"[«“\"]", raw[lo:hi]):
        at = lo + m.start()
        close = re.search(r"[»”\"]", raw[at + 1:hi])
        if close is None or len(raw[at + 1:at + 1 + close.start()].split()) > 4:
            return at
    return None
