"""Tokens and their matching keys for the actor dictionaries, in Latin and Arabic script.

Hand-written (about 40 lines) rather than pyarabic (GPL) or camel-tools (heavy): the same function
normalises dictionary aliases and text tokens, so clitic stripping only has to be consistent, not
linguistically exact (وللجيش and الجيش both give جيش).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Letters with their combining marks and tatweel, so that Arabic diacritics do not split a word.
TOKEN_RE = re.compile(r"[^\W_][\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]*")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_MAP = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None, "«": None, "»": None})


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, raw text) of each word; punctuation, quotes and « » are separators."""
    for m in TOKEN_RE.finditer(text):
        yield m.start(), m.end(), m.group()


def _fold(tok: str) -> str:
    """Lower case without accents or Arabic diacritics (NFKD also folds أ إ آ ؤ ئ to bare letters)."""
    decomposed = unicodedata.normalize("NFKD", tok.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def surface(tok: str) -> str:
    """Folded form without removing anything (to compare a text word with a dictionary word)."""
    return _fold(tok).translate(_AR_MAP)


def strip_arabic_clitics(tok: str) -> str:
    """Drop conjunction/preposition prefixes and the article, at most twice, keeping ≥ 3 letters."""
    for _ in range(2):
        for p in _PREFIXES:
            if tok.startswith(p) and len(tok) - len(p) >= 3:
                tok = tok[len(p):]
                break
        else:
            break
    return tok


@lru_cache(maxsize=1 << 16)  # news repeats its words: a third of the resolver's time was here
def key(tok: str) -> str:
    """The matching key of one token: folded; Arabic without clitics, ة/ي-nisba or plural endings;
    Latin without a plural -s."""
    t = _fold(tok)
    if _ARABIC.search(t):
        t = strip_arabic_clitics(t.translate(_AR_MAP))
        for suf in ("يين", "ين", "ون", "ه"):
            if t.endswith(suf) and len(t) - len(suf) >= 3:
                t = t[: -len(suf)] + ("ي" if suf == "يين" else "")
                break
        if t.endswith("يا") and len(t) >= 5:  # سوريا / سورية, روسيا / روسي: one key
            t = t[:-1]
        return t
    return t[:-1] if len(t) > 3 and t.endswith("s") else t


def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(key(t) for _, _, t in tokens(text))


def is_acronym(alias: str) -> bool:
    """Aliases in capitals ("EI", "SDF", "U.S.") match case-sensitively: "us", "ei" are words."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 7 and all(c.isupper() for c in letters) and " " not in alias


def starts_upper(tok: str) -> bool:
    return tok[:1].isupper()
