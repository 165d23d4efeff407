"""Claims knowledge per language, from `furat/data/claims/<lang>.toml`.

Reporting verbs with the stance they give, attribution phrases ("selon", "according to", "بحسب"),
hedges and the words that tell a speaker's kind are data, one file a language, compiled here into
regular expressions that run on text normalised by `furat.textnorm`. Adding a language is adding a
file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from furat.textnorm import normalise

STANCES = ("deny", "accuse", "warn", "demand", "confirm", "speculate", "assert")
KINDS = ("document", "outlet", "anonymous", "person")


@dataclass(frozen=True)
class ClaimLexicon:
    language: str
    verbs: re.Pattern[str]  # named groups: one per stance
    attribution: re.Pattern[str] | None  # "selon X": the speaker follows the cue
    hedges: re.Pattern[str] | None
    conflict: re.Pattern[str] | None  # "تضاربت الأنباء", "conflicting reports": sources disagree
    unconfirmed: re.Pattern[str] | None  # "not confirmed": hedges the claims of the sentence before
    kinds: dict[str, re.Pattern[str]]  # speaker kind → its nouns
    pronouns: re.Pattern[str] | None
    complementizer: re.Pattern[str] | None  # "que", "that", "أن": opens the content
    lead: re.Pattern[str] | None = None  # "Mercredi", "Mais", "بدوره": before a speaker, not in it
    passive: re.Pattern[str] | None = None  # "été", "was": the participle after it is no cue
    speaker_end: re.Pattern[str] | None = None  # "في بيان": a speaker phrase ends before it
    agent: re.Pattern[str] | None = None  # "par", "by": a participle before it is passive
    locative: re.Pattern[str] | None = None  # "في", "à": opens a place, not a speaker
    relay: re.Pattern[str] | None = None  # "se référant à", "citing": an outlet relays a speaker
    of: re.Pattern[str] | None = None  # "du", "of": "les sources du site …"
    content_stance: dict[str, re.Pattern[str]] | None = None  # an "assert" whose content warns/accuses
    # "des sources selon lesquelles …", "claims according to which …": the relative pronoun after an
    # attribution cue; the speaker is then the noun phrase before the cue, opened by a `determiner`
    relative: re.Pattern[str] | None = None
    determiner: re.Pattern[str] | None = None
    opener: re.Pattern[str] | None = None  # "when", "tandis que": the speaker begins after it
    contrast: re.Pattern[str] | None = None  # "while", "tandis que": a claim's content ends before it
    trail: re.Pattern[str] | None = None  # "also", "even", "aussi": after a speaker, not in it
    noun_before: re.Pattern[str] | None = None  # "the", "'s", "un": a cue word after it is a noun
    conjunction: re.Pattern[str] | None = None  # "et", "and" right before an attribution: content after
    quoted_as: re.Pattern[str] | None = None  # "quoted (speaker) (as) saying": from one cue to the next
    not_source: re.Pattern[str] | None = None  # "le calendrier" after "selon": a rule, no speaker
    relative_subject: re.Pattern[str] | None = None  # "which", "qui": the speaker is its antecedent


_ESCAPE = re.compile(r"(\\[A-Za-z]|\(\?P<\w+>)")


def _norm(pattern: str) -> str:
    """A pattern in the normalised alphabet (Arabic letter variants folded, lower case); regex
    escapes and group names are kept as written, lower case would turn "\\S" (not a space) into "\\s"
    (a space) and "(?P<name>" into an error."""
    parts = _ESCAPE.split(pattern)
    return "".join(p if _ESCAPE.fullmatch(p) else normalise(p).text for p in parts)


def _words(items: list[str], arabic: bool) -> str:
    alts = "|".join(_norm(i) for i in items)
    if arabic:
        return rf"(?<![\w])(?:{alts})(?![\w])"
    return rf"(?<![\w'-])(?:{alts})(?:(?<=')|(?![\w]))"


@cache
def claim_lexicon(language: str) -> ClaimLexicon | None:
    """The compiled claims knowledge of `language`, or None when furat has none for it."""
    path = resources.files("furat").joinpath(f"data/claims/{language}.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    arabic = language == "ar"
    aux = data.get("auxiliary", "")
    endings = data.get("endings", "")
    prefix = data.get("prefix", "")
    groups = []
    for stance in STANCES:
        forms = []
        for item in data["verbs"].get(stance, []):
            item = _norm(item)
            if arabic:
                forms.append(item)
            elif item.endswith("$"):
                forms.append(item[:-1])
            else:
                forms.append(item + endings)
        if forms:
            body = "|".join(forms)
            if arabic:
                groups.append(rf"(?P<{stance}>(?<![\w]){prefix}(?:{body})(?![\w]))")
            else:
                groups.append(rf"(?P<{stance}>(?<![\w'-]){aux}?(?:{body})(?![\w]))")
    attribution = data.get("attribution", {}).get("before_speaker", [])
    hedges = data.get("hedges", {}).get("words", [])
    unconfirmed = data.get("hedges", {}).get("unconfirmed", [])
    speakers = data.get("speakers", {})
    def opt(items: list[str] | None, wrap: str = "{}") -> re.Pattern[str] | None:
        return re.compile(wrap.format(_words(items, arabic))) if items else None

    return ClaimLexicon(
        language=language,
        verbs=re.compile("|".join(groups)),
        attribution=re.compile(_words([prefix + a for a in attribution] if arabic else attribution, arabic))
        if attribution else None,
        hedges=re.compile(_words(hedges, arabic)) if hedges else None,
        conflict=opt(data.get("hedges", {}).get("conflict")),
        unconfirmed=re.compile(_words(unconfirmed, arabic)) if unconfirmed else None,
        kinds={k: re.compile(_words(speakers[k], arabic)) for k in KINDS if speakers.get(k)},
        pronouns=opt(speakers.get("pronouns"), "^{}$"),
        complementizer=opt(speakers.get("complementizers")),
        lead=opt(speakers.get("lead"), r"^(?:{}[\s,،]*)+"),
        passive=opt(speakers.get("passive"), r"{}\s+$"),
        speaker_end=opt(speakers.get("speaker_end")),
        agent=opt(speakers.get("agent"), r"\s+{}"),
        locative=opt(speakers.get("locative")),
        relay=opt(speakers.get("relay")),
        of=opt(speakers.get("of")),
        content_stance={k: re.compile(_words(v, arabic)) for k, v in data.get("content_stance", {}).items()},
        relative=opt(data.get("attribution", {}).get("relative"), r"^\s*(?:{})"),
        determiner=opt(speakers.get("determiners")),
        opener=opt(speakers.get("opener")),
        relative_subject=opt(speakers.get("relative_subject")),
        not_source=opt(data.get("attribution", {}).get("not_source"), r"\s+{}"),
        contrast=opt(speakers.get("contrast")),
        trail=opt(speakers.get("trail"), r"(?:[\s,،]+(?:{}))+[\s,،]*$"),
        noun_before=opt(data.get("verbs", {}).get("noun_before"), r"{}\s+$"),
        conjunction=opt(speakers.get("conjunctions"), r"{}[\s,]*$"),
        quoted_as=re.compile(_norm(data["attribution"]["quoted_as"]))
        if data.get("attribution", {}).get("quoted_as") else None,
    )
