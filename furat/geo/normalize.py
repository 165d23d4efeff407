"""The one place that normalises place names (Arabic and Latin) into lookup keys.

The gazetteer index and the text matcher both call `name_key`, so every spelling variant that
normalises alike ("Deir ez-Zor", "Deir Ezzor", "DEIR EZ ZOR", "دير الزور", "دير الزّور") meets on
one key. `skeleton` is a coarser, consonant-only key used to find candidates for fuzzy matching of
transliterations no list has ("Qamichli", "Hasaké", "Abou Kamal").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin article tokens of transliterated Arabic names ("al-", "el-", assimilated "ash-", "ez-"…).
LATIN_ARTICLES = frozenset(
    ["al", "el", "ul", "il", "ad", "ar", "as", "ash", "az", "at", "an", "ath", "adh", "ed", "er", "es",
     "esh", "ez", "et", "en"]
)
# An article glued to a following sun letter and doubled: "Ezzor" -> "zor", "Assad" -> "sad".
_GLUED_ARTICLE = re.compile(r"^[ae](t|d|r|z|s|n)(?=\1\w{2})")
_ARABIC_LETTER_MAP = str.maketrans(
    {
        "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ٱ": "ا", "ـ": None,
        "ڤ": "ف", "گ": "ك", "پ": "ب", "چ": "ج",
    }
)
_LATIN_LETTER_MAP = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe"}
)
_APOSTROPHES = re.compile(r"['’‘ʿʾʼ`´ʻ]")
_NON_WORD = re.compile(r"[^\w]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def fold(text: str) -> str:
    """Strip diacritics (Latin accents, Arabic tashkeel, hamza carriers), tatweel and case."""
    if text.isascii():  # nothing to decompose, strip or map: the full path gives text.lower()
        return text.lower()
    return _fold_word(text) if len(text) <= 32 else _fold(text)


@lru_cache(maxsize=1 << 16)  # bounded: words repeat (a matcher folds every word of every text)
def _fold_word(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_ARABIC_LETTER_MAP).translate(_LATIN_LETTER_MAP)
    return unicodedata.normalize("NFC", text).casefold()


def _strip_arabic_article(token: str) -> str:
    if token.startswith("ال") and len(token) > 3:
        return token[2:]
    return token


@lru_cache(maxsize=1 << 16)  # bounded: names repeat, n-grams do not (see `key_tokens`)
def name_key(text: str) -> str:
    """The lookup key of a name: folded, apostrophes dropped, articles stripped, spaces single."""
    return join_key(key_tokens(text))


def key_tokens(text: str) -> list[str]:
    """The words of `name_key(text)` before its rules that depend on position. Character-local,
    so the tokens of "a b" are those of "a" then those of "b": a matcher folds each word once
    and builds the key of every n-gram from them (`join_key`) instead of folding every n-gram."""
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", fold(text))).replace("_", " ").split()


def arabic_key(tokens: list[str]) -> str | None:
    """`join_key(tokens)` when every token is Arabic (no rule depends on position then), else
    None: the keys of Arabic n-grams are these fragments joined by spaces."""
    if not all(has_arabic(t) for t in tokens):
        return None
    return " ".join(_strip_arabic_article(t) for t in tokens)


def join_key(tokens: list[str]) -> str:
    """The key of a name from its `key_tokens`: articles stripped, spaces single."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if has_arabic(tok):
            out.append(_strip_arabic_article(tok))
            continue
        if tok in LATIN_ARTICLES and len(tokens) > 1 and i < len(tokens) - 1:
            continue
        if i > 0:
            tok = _GLUED_ARTICLE.sub("", tok)
        out.append(tok)
    return " ".join(out)


# Spelling families of French/English transliterations of Arabic, collapsed in the skeleton.
_SKELETON_SUBS = (
    ("ou", "u"), ("ch", "sh"), ("dj", "j"), ("kh", "k"), ("gh", "g"), ("q", "k"), ("ck", "k"),
    ("ph", "f"), ("th", "t"), ("dh", "d"), ("sh", "s"),
)
_VOWELS = re.compile(r"[aeiouyw]")


def skeleton(key: str) -> str:
    """A consonant skeleton of a Latin key, for candidate generation before a fuzzy check."""
    if has_arabic(key):
        return ""
    s = key.replace(" ", "")
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    head, tail = s[:1], s[1:]
    tail = _VOWELS.sub("", tail).replace("h", "")
    s = head + tail
    return re.sub(r"(.)\1+", r"\1", s)
