"""Event triggers and cues per language, from `furat/data/events/<lang>.toml`.

Each trigger names a PLOVER type (and mode) and the ACLED type/subtype it implies. Patterns run
on text normalised by `furat.textnorm` (lower case, Arabic letter variants folded, diacritics
dropped); Arabic patterns may carry the usual proclitics and suffixes. Adding a language is adding
a file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from re._casefix import _EXTRA_CASES  # the case pairs re.IGNORECASE adds to lower/upper case

from furat.textnorm import normalise

# Event types that are things done, and statements (which merge only by the same speaker and
# have a place only when the sentence attaches one to them).
MATERIAL = {"ASSAULT", "MOBILIZE", "RETREAT", "PROTEST", "AID", "SANCTION", "COERCE"}
VERBAL = {"ACCUSE", "THREATEN", "REQUEST", "REJECT", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE"}

# Arabic proclitics (conjunction, preposition, article) and pronoun/plural suffixes a trigger may carry.
_AR_PREFIX = r"(?:[وف])?(?:[بلك])?(?:ال)?"
_AR_SUFFIX = r"(?:ه|ها|هم|هما|ت|وا|ا|ات|ين|ون|تها|تهم)?"


@dataclass(frozen=True)
class Trigger:
    plover: str
    mode: str | None
    acled: str | None
    subtype: str | None
    pattern: re.Pattern[str]
    rank: int  # position in the file: earlier triggers win ties
    # Lower-case strings one of which every match holds (each word's literal start), or None when
    # a word starts with a group or class: `find_triggers` scans a sentence only for the triggers
    # whose strings it holds (a regex scan per trigger per sentence was most of the trigger time).
    keys: tuple[str, ...] | None = None


MAX_COUNT = 1000  # acts counted in a sentence; a larger number before a trigger is a year


@dataclass(frozen=True)
class Lexicon:
    language: str
    triggers: tuple[Trigger, ...]
    reporting: re.Pattern[str] | None
    reporter_intro: re.Pattern[str] | None
    anaphora: re.Pattern[str] | None = None  # "the attack": an event already told
    definite: re.Pattern[str] | None = None  # "الهجوم": a trigger carrying its own article
    toll_trigger: re.Pattern[str] | None = None  # "killed", "tués", "مقتل": a death, not an act
    # word sets read on the parse (`[roles]`): case words of doers and targets, pronouns, time nouns
    roles: dict[str, frozenset[str]] = field(default_factory=dict)
    light: re.Pattern[str] | None = None  # "نفذت", "شنت": a verb whose object names the act
    locative: re.Pattern[str] | None = None  # "in", "au nord de", "في": a place named as where
    abbreviation: re.Pattern[str] | None = None  # "Lt.", "Gen.": a period that ends no sentence
    unsafe: re.Pattern[str] | None = None  # characters that make trigger keys unsafe (`_unsafe`)
    agent: re.Pattern[str] | None = None  # "by X", "من قبل X": ends right before the doer
    killed: tuple[re.Pattern[str], ...] = ()
    # "45 deaths …, while 26 ISIS fighters were killed": the other side's toll, added to the first
    other_side: re.Pattern[str] | None = None
    injured: tuple[re.Pattern[str], ...] = ()
    numbers: dict[str, int] | None = None
    # "trois attaques", "a series of strikes", "عدة غارات": a count of acts right before the trigger
    summary: re.Pattern[str] | None = None
    # "Par ailleurs, …", "In a separate attack", "une autre frappe", "هجوم آخر": an act apart from
    # those told before, never folded into them
    # "من سيطرة", "من قبضة": the actor after them is the one the ground is taken from
    ground_lost: re.Pattern[str] | None = None
    # "استهدف", "طال": a verb after the act whose object is what the act hit
    target_verb: re.Pattern[str] | None = None
    # "على", "ضد": a preposition after a violent act whose object is what it hit
    target_prep: re.Pattern[str] | None = None
    # "a Syrian bombing mission", "une nouvelle frappe": an article that tells an act as new (before
    # the trigger, with at most two words between)
    indefinite: re.Pattern[str] | None = None
    # "dirigée par", "led by", "بقيادة": the actor after it backs or leads another, it does not act
    relation_before: re.Pattern[str] | None = None
    # "la ville", "the town", "المدينة": a town named earlier in the story, where no name is given
    town_anaphora: re.Pattern[str] | None = None
    opens_other: re.Pattern[str] | None = None
    other_before: re.Pattern[str] | None = None
    other_after: re.Pattern[str] | None = None

    def another(self, sentence: str, start: int, end: int) -> bool:
        """Whether the sentence tells the act at [start, end) as one more, apart from those before:
        it opens with "par ailleurs", "separately", "في سياق آخر", or the trigger is "another"."""
        return bool(
            (self.opens_other is not None and self.opens_other.match(sentence[:start]))
            or (self.other_before is not None and self.other_before.search(sentence[:start]))
            or (self.other_after is not None and self.other_after.match(sentence[end:]))
        )

    def toll_word(self, word: str) -> bool:
        """Whether `word` (as written) only tells deaths ("killed", "tués", "مقتل")."""
        return self.toll_trigger is not None and bool(self.toll_trigger.fullmatch(normalise(word).text))

    def several(self, before: str) -> bool:
        """Whether the text right before a trigger counts several acts ("three attacks", "une série
        de frappes"): a summary of occurrences told one by one elsewhere, not one occurrence."""
        m = self.summary.search(before) if self.summary is not None else None
        if m is None:
            return False
        if m.group("n") is None:
            return True
        word = re.search(r"(\w+)\.?\s*$", before[: m.start("n")])
        if m.group("n")[0].isdigit() and word and word.group(1).lower() in self.roles.get("time_nouns", ()):
            return False  # "September 21 clashes", "le 3 frappes": a day, not a count
        value = self.number(m.group("n"))
        return value is not None and 2 <= value < MAX_COUNT  # "2021 ضربات": a year, not a count

    def date_number(self, text: str, start: int, end: int) -> bool:
        """Whether the digits at [start, end) of `text` are part of a date, not a count: a year
        ("2015") or a day next to a month or day name ("30 Jul", "July 21", "le 3 janvier")."""
        digits = text[start:end]
        if not digits.isdigit():
            return False
        if len(digits) == 4 and 1900 <= int(digits) <= 2100:
            return True
        times = self.roles.get("time_nouns", frozenset())
        after = re.match(r"\s*(\w+)", text[end:end + 20])
        before = re.search(r"(\w+)\.?\s*$", text[max(0, start - 20):start])
        return any(m is not None and m.group(1).lower() in times for m in (after, before))

    def number(self, word: str) -> int | None:
        """The value of a number written in digits or in words of this language; hyphenated words
        add up ("dix-neuf", "twenty-five")."""
        word = word.strip(" ,.")
        if re.fullmatch(r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+", word):
            word = re.sub(r"\D", "", word)
        if word.isdigit():
            return int(word)
        table = self.numbers or {}
        parts = [table.get(normalise(p).text) for p in word.split("-")] if "-" in word else []
        if parts and None not in parts:
            return sum(p for p in parts if p is not None)
        return table.get(normalise(word).text)


def _words(words: list[str], arabic: bool) -> str:
    body = "|".join(normalise(w, lower=False).text if arabic else w for w in words)
    if arabic:
        return rf"(?<![\w]){_AR_PREFIX}(?:{body}){_AR_SUFFIX}(?![\w])"
    return rf"(?<![\w])(?:{body})(?![\w])"


_META = set("\\.^$*+?{}[]|()")


def _keys(words: list[str], arabic: bool) -> tuple[str, ...] | None:
    """The literal start of each word (what any match of it holds), lower-cased; None when a word
    has none of two characters or more."""
    out = []
    for w in words:
        w = normalise(w, lower=False).text if arabic else w
        if _bare_alternative(w):  # "a|b" as one word: its second branch would not be covered
            return None
        n = 0
        while n < len(w) and w[n] not in _META:
            n += 1
        if n < len(w) and w[n] in "?*{":  # the last character is optional
            n -= 1
        if n < 2:
            return None
        out.append(w[:n].lower())
    return tuple(dict.fromkeys(out))


def _bare_alternative(word: str) -> bool:
    """Whether `word` holds a "|" outside parentheses (or is too irregular to tell)."""
    depth, escaped, in_class = 0, False, False
    for ch in word:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth <= 0:
            return True
    return depth != 0 or in_class


def _unsafe(triggers: tuple[Trigger, ...]) -> re.Pattern[str]:
    """The characters that re.IGNORECASE matches with a character of a key beyond lower/upper case
    ("ſ" for "s", "ı" for "i"): where a sentence holds one, every trigger is scanned."""
    chars = {ch for t in triggers for k in t.keys or () for ch in k}
    extra = {chr(c) for ch in chars for c in _EXTRA_CASES.get(ord(ch), ()) if chr(c) != ch}
    return re.compile("[" + re.escape("".join(sorted(extra))) + "]" if extra else "(?!)")


def _cue(words: list[str], arabic: bool) -> re.Pattern[str] | None:
    return re.compile(_words(words, arabic), re.IGNORECASE) if words else None


@cache
def lexicon(language: str) -> Lexicon | None:
    """The lexicon of `language`, or None when furat has no event rules for it."""
    path = resources.files("furat").joinpath(f"data/events/{language}.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    arabic = language == "ar"
    triggers = tuple(
        Trigger(
            plover=t["plover"],
            mode=t.get("mode"),
            acled=t.get("acled"),
            subtype=t.get("subtype"),
            pattern=re.compile(_words(t["words"], arabic), re.IGNORECASE),
            rank=rank,
            keys=_keys(t["words"], arabic),
        )
        for rank, t in enumerate(data.get("trigger", []))
    )
    cues = data.get("cues", {})
    tolls = data.get("casualties", {})

    numbers = {normalise(k).text: int(v) for k, v in data.get("numbers", {}).items()}
    # {N}: digits, or number words (possibly hyphenated), longest first so "dix-neuf" beats "dix"
    words = "|".join(sorted(map(re.escape, numbers), key=len, reverse=True)) or "(?!)"
    # a number word is a whole word: not the "a" that ends "militia"; Arabic numbers may carry a
    # clitic ("وثلاثة"), so there the left edge stays open
    edge = "" if arabic else r"(?<![\w])"
    # "a number of", "une dizaine de": an article before a vague quantity counts no one
    vague = "|".join(normalise(w).text for w in tolls.get("vague", []))
    unsure = rf"(?! (?:{vague})(?![\w]))" if vague else ""
    # digits, in thousands groups as the three languages write them ("1,200", "380.000", "12 500")
    digits = r"(?<![\d,.])(?:\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?!\d)|\d+)"
    number = rf"(?:{digits}|{edge}(?:{words})(?:-(?:{words}))*(?![\w]){unsure})(?![\w])"

    def toll_patterns(key: str) -> tuple[re.Pattern[str], ...]:
        patterns = (normalise(p, lower=False).text if arabic else p for p in tolls.get(key, []))
        return tuple(re.compile(p.replace("{N2}", f"(?P<n2>{number})").replace("{N}", f"(?P<n>{number})"),
                                re.IGNORECASE) for p in patterns)

    anaphora = cues.get("anaphora", [])
    def alternatives(key: str) -> str | None:
        words = cues.get(key, [])
        return "|".join(normalise(w).text for w in words) if words else None

    opens_other, other_before, other_after = (
        alternatives(k) for k in ("opens_other", "other_before", "other_after"))
    several = alternatives("several") or "(?!)"
    relation, indefinite, target_preps, town = (
        alternatives(k) for k in ("relation_before", "indefinite", "target_preps", "town_anaphora"))

    return Lexicon(
        language=language,
        triggers=triggers,
        unsafe=_unsafe(triggers),
        reporting=_cue(cues.get("reporting", []), arabic),
        reporter_intro=_cue(cues.get("reporter_intro", []), arabic),
        agent=re.compile(r"(?:^|\W)(?:" + "|".join(normalise(a).text for a in cues["agent"])
                         + r")(?:\s+(?:the|les?|la|l'))?\s*$", re.IGNORECASE) if cues.get("agent") else None,
        anaphora=re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, anaphora)) + r")\s*$",
                            re.IGNORECASE)
        if anaphora else None,
        definite=re.compile("|".join(normalise(w).text for w in cues["definite"]))
        if cues.get("definite") else None,
        toll_trigger=re.compile("|".join(normalise(w).text for w in cues["toll_triggers"]))
        if cues.get("toll_triggers") else None,
        roles={k: frozenset(w.lower() for w in v) for k, v in data.get("roles", {}).items()},
        light=re.compile("|".join(normalise(w).text for w in cues["light_verbs"]))
        if cues.get("light_verbs") else None,
        # "in", "in the", "in northeast", "au nord de la": the word may take an article and one more word
        locative=re.compile(r"(?:^|\W)(?:" + "|".join(normalise(w).text for w in cues["locative"])
                            + r")(?:\s+(?:the|la|le|les|l'))?(?:\s+\w+)?\s*$")
        if cues.get("locative") else None,
        abbreviation=re.compile(r"\b(?:" + "|".join(map(re.escape, cues["abbreviations"])) + r")\.[\"»”']?$")
        if cues.get("abbreviations") else None,
        killed=toll_patterns("killed"),
        other_side=re.compile(r"(?:^|\W)(?:" + "|".join(normalise(w).text for w in tolls["other_side"])
                              + r")\W") if tolls.get("other_side") else None,
        injured=toll_patterns("injured"),
        numbers=numbers,
        summary=re.compile(rf"(?:^|\W)(?:(?P<n>{number})|{several})\s+$", re.IGNORECASE)
        if numbers or cues.get("several") else None,
        ground_lost=re.compile(r"(?:^|\s)(?:" + "|".join(normalise(w).text for w in cues["ground_lost"])
                               + r")\s*$") if cues.get("ground_lost") else None,
        target_verb=re.compile(r"(?:^|\s)(?:" + "|".join(normalise(w).text for w in cues["target_verbs"])
                               + r")(?:\s|$)") if cues.get("target_verbs") else None,
        town_anaphora=re.compile(rf"(?:^|\W)(?:{town})(?=\W|$)") if town else None,
        relation_before=re.compile(rf"(?:^|\W)(?:{relation})\s+(?:(?:the|la|le|les|l')\s*)?$")
        if relation else None,
        indefinite=re.compile(rf"(?:^|\W)(?:{indefinite})\s+(?:\S+\s+){{0,2}}$") if indefinite else None,
        target_prep=re.compile(rf"(?:^|\s)(?:{target_preps})(?:\s|$)") if target_preps else None,
        opens_other=re.compile(rf"^\W*(?:{opens_other})\b", re.IGNORECASE) if opens_other else None,
        other_before=re.compile(rf"(?:^|\W)(?:{other_before})\s+(?:\w+\s+)?$", re.IGNORECASE)
        if other_before else None,
        other_after=re.compile(rf"\s+(?:{other_after})(?!\w)") if other_after else None,
    )


@dataclass(frozen=True)
class Match:
    trigger: Trigger
    start: int  # offsets into the normalised text
    end: int


def find_triggers(lex: Lexicon, text: str) -> list[Match]:
    """Non-overlapping trigger matches in normalised `text`: longest first, then file order."""
    # a trigger can match only where one of its keys is written (as is: the text is lower case and
    # holds no character that case-folds otherwise, or every trigger is scanned)
    plain = lex.unsafe is not None and text == text.lower() and not lex.unsafe.search(text)
    found = [Match(t, m.start(), m.end()) for t in lex.triggers
             if not plain or t.keys is None or any(k in text for k in t.keys)
             for m in t.pattern.finditer(text)]
    found.sort(key=lambda m: (-(m.end - m.start), m.trigger.rank, m.start))
    kept: list[Match] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
