"""Text normalisation, in one place: invisible characters, Arabic letter variants, diacritics,
digits.

Invisible characters (zero-width joiners and spaces, soft hyphens, bidi marks, BOM) are taken
out of a document's text at ingest, before any offset exists (`strip_invisible`): "S\u200dDF"
must resolve as "SDF". Matching runs on a normalised copy of the text; `Normalised.to_original`
maps offsets back, so every span found on the copy points into the original `Document.text`
(which still holds invisible characters when read --as-is: the copy drops them too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# One-to-one folds: Arabic alef/hamza forms, alef maqsura, ta marbuta, Persian letters, Eastern
# Arabic and Persian digits, typographic apostrophes.
_FOLD = str.maketrans(
    "أإآٱىیةک٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹’‘",
    "ااااييهك0123456789" "0123456789" "''",
)
# Characters that change nothing a reader sees but split a name for a machine: soft hyphen,
# zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings and isolates, word joiner, BOM.
INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# Removed outright from the matching copy: tashkeel (harakat, tanwin, shadda, sukun, dagger
# alef), tatweel and invisible characters.
_DROP = re.compile(f"[\u064B-\u065F\u0670\u0640{INVISIBLE}]")
_KEEP = re.compile(f"[^\u064B-\u065F\u0670\u0640{INVISIBLE}]+")


def strip_invisible(text: str) -> str:
    """`text` without invisible characters (for ingest, before offsets exist)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def fold(text: str) -> str:
    """Fold letter variants and digits without changing the length of `text`."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Normalised:
    text: str
    _offsets: Sequence[int]  # original offset of each character of `text`, plus the end

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the span `start:end` of the normalised text."""
        if end <= start:
            return self._offsets[start], self._offsets[start]
        return self._offsets[start], self._offsets[end - 1] + 1


def normalise(text: str, lower: bool = True) -> Normalised:
    """Folded text without Arabic diacritics or tatweel (lower-cased unless `lower` is False:
    regular expressions are folded so, since `\\S` is not `\\s`), with an offset map."""
    folded = fold(text)
    if not _DROP.search(folded):  # most text: one character for one, offsets unchanged
        low = folded.lower() if lower else folded
        if len(low) == len(folded):
            return Normalised(low, range(len(text) + 1))
    # runs of kept characters, each lower-cased at once (one regex pass, not a Python step per
    # character: Arabic with tashkeel takes this path for every sentence and trigger)
    chars: list[str] = []
    offsets: list[int] = []
    for m in _KEEP.finditer(folded):
        run, start = m.group(), m.start()
        low = run.lower() if lower else run
        # a few letters lower-case to two characters ("İ"): kept as they are; and a run's "Σ" would
        # become "ς" at a word's end, a single one "σ" (as the character-wise lower case before)
        if lower and (len(low) != len(run) or "Σ" in run):
            low = "".join(ch if len(lo := ch.lower()) != 1 else lo for ch in run)
        chars.append(low)
        offsets.extend(range(start, m.end()))
    offsets.append(len(text))
    return Normalised("".join(chars), tuple(offsets))
