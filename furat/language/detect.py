"""Language of a text and of each paragraph, offline.

Arabic script is decided by script (fast and certain; Persian told apart by its own letters);
Latin-script text goes to lingua, restricted to the configured candidates, whose models ship
inside its PyPI wheel.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F]")
PERSIAN_ONLY = re.compile(r"[پچژگکی]")
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
OTHER_LETTER = re.compile(r"[^\W\d_]")


# lingua's low-accuracy mode (trigrams only) is as good as the full mode on texts this long and
# four times faster; short texts need the full mode.
LOW_ACCURACY_FROM = 120
DETECT_CHARS = 400


@cache
def _detector(candidates: tuple[str, ...], low_accuracy: bool) -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def preload(candidates: tuple[str, ...]) -> None:
    """Load the detectors' models now (once per process) rather than on the first paragraph."""
    latin = _latin(candidates)
    if latin:
        _detector(latin, True)
        _detector(latin, False)


def _latin(candidates: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in candidates if c not in ("ar", "fa", "ur", "ru"))


def letter_counts(text: str) -> tuple[int, int, int]:
    """Arabic-script, Latin-script and other letters in `text`."""
    arabic = len(ARABIC_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    return arabic, latin, len(OTHER_LETTER.findall(text)) - arabic - latin


def detect_latin(text: str, candidates: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of a Latin-script text among `candidates`, or None."""
    latin = _latin(candidates)
    if not latin:
        return None
    # the first few hundred letters tell a paragraph's language as well as all of it
    sample = text[:DETECT_CHARS]
    found = _detector(latin, len(sample) >= LOW_ACCURACY_FROM).detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else None


def detect_arabic_script(text: str, candidates: tuple[str, ...]) -> str:
    if "fa" in candidates and len(PERSIAN_ONLY.findall(text)) > 0.02 * max(1, len(text)):
        return "fa"
    return "ar"


def paragraph_languages(
    paragraphs: list[str], candidates: tuple[str, ...], min_letters: int = 20
) -> tuple[list[str | None], dict[str, float]]:
    """The language of each paragraph and each language's share of the letters.

    Arabic-script letters inside a Latin paragraph (a quoted phrase) count for Arabic's share.
    Short Latin paragraphs take the language of the document's main Latin language.
    """
    langs: list[str | None] = []
    letters: Counter[str] = Counter()
    pending_short: list[int] = []
    for i, text in enumerate(paragraphs):
        arabic, latin, other = letter_counts(text)
        lang: str | None = None
        if arabic >= latin and arabic >= other and arabic:
            lang = detect_arabic_script(text, candidates)
            letters[lang] += arabic
            if latin >= min_letters and (latin_lang := detect_latin(text, candidates)):
                letters[latin_lang] += latin
        elif latin:
            if latin >= min_letters:
                lang = detect_latin(text, candidates)
            else:
                pending_short.append(i)
            if arabic:
                letters["ar"] += arabic
            if lang:
                letters[lang] += latin
        langs.append(lang)
    latin_main = next((k for k, _ in letters.most_common() if k not in ("ar", "fa")), None)
    for i in pending_short:
        langs[i] = latin_main
        if latin_main:
            letters[latin_main] += letter_counts(paragraphs[i])[1]
    total = sum(letters.values())
    shares = {k: round(v / total, 3) for k, v in letters.most_common() if v / total >= 0.001}
    return langs, shares
