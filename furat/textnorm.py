"""Text normalisation for matching, in one place: Arabic letter variants, diacritics, digits.

Matching runs on a normalised copy of the text; `Normalised.to_original` maps offsets back, so
every span found on the copy points into the original `Document.text`.
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
# Removed outright: tashkeel (harakat, tanwin, shadda, sukun, dagger alef) and tatweel.
_DROP = re.compile(r"[\u064B-\u065F\u0670\u0640]")


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
    keep = [i for i, ch in enumerate(folded) if not _DROP.match(ch)]
    chars = []
    offsets = []
    for i in keep:
        low = folded[i].lower() if lower else folded[i]
        if len(low) != 1:  # a few letters lower-case to two characters ("İ"): keep them as they are
            low = folded[i]
        chars.append(low)
        offsets.append(i)
    offsets.append(len(text))
    return Normalised("".join(chars), tuple(offsets))
