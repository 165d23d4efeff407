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


@cache
def _detector(candidates: tuple[str, ...]) -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def letter_counts(text: str) -> tuple[int, int, int]:
    """Arabic-script, Latin-script and other letters in `text`."""
    arabic = len(ARABIC_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    return arabic, latin, len(OTHER_LETTER.findall(text)) - arabic - latin


def detect_latin(text: str, candidates: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of a Latin-script text among `candidates`, or None."""
    latin = tuple(c for c in candidates if c not in ("ar", "fa", "ur", "ru"))
    if not latin:
        return None
    found = _detector(latin).detect_language_of(text)
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
