"""Who tells it is not who did it: the speakers of a sentence, kept out of an event's roles.

"أعلنت وزارة الصحة اللبنانية مقتل شخصين", "Selon l'OSDH, les combats se poursuivent", "Jordanian
state TV claiming the attack occurred": the ministry, the OSDH and the TV report the act; taking
the nearest actor as its doer makes them its author. A speaker is an actor that the sentence
introduces with a reporting word before the act: right after a reporting verb up to the clause it
governs (Arabic puts the verb first), right before it (SVO), or inside "according to / selon /
بحسب" and its phrase. Reporting words are the lexicon's `[cues] reporting` and `reporter_intro`.
The parsed roles (subject of the act's own verb) are not touched: only the positional fallback.
"""

from __future__ import annotations

import re

from furat.events.decide import CLAUSE_BREAK
from furat.events.lexicon import Lexicon
from furat.model import Actor
from furat.textnorm import Normalised

# Where the reported clause begins: a complementiser (أن، إنّ، بأن; "that", "que") or a clause break.
_OPENS = re.compile(r"(?:^|\s)(?:ان|بان|لان|that|que|qu'|qu’)(?=\s|$)", re.IGNORECASE)
# "أعلنت القوات أنها حررت", "a indiqué avoir mené", "claimed to have struck": the reported clause's
# doer is the speaker itself (French and English say so with a perfect infinitive).
_SELF = re.compile(r"(?:^|\s)(?:انها|انه|انهم|انهما|بانها|بانه|بانهم|avoir|d'avoir|d’avoir|to have)(?=\s|$)")
MAX_SPEAKER_WORDS = 10


def speaker_spans(
    norm: Normalised, sentence_start: int, upto: int, lex: Lexicon, toll: bool = False,
    after: int | None = None,
) -> list[tuple[int, int]]:
    """Document spans of the phrases that name who reports the act whose trigger starts at `upto`
    in `norm` (the sentence beginning at `sentence_start`, normalised).
    After a reporting verb the speaker is kept out when a complementiser opens the reported clause
    ("أعلنت الكتائب أن القوات الأميركية قصفت") or the act is a toll (`toll`: "أعلنت الوزارة مقتل
    شخصين"); not otherwise: "أعلنت القيادة تحرير البوكمال" is the command's own act."""
    if lex.reporting is None:
        return []
    text = norm.text[:upto]
    spans = []
    for m in lex.reporting.finditer(text):
        intro = lex.reporter_intro is not None and lex.reporter_intro.fullmatch(m.group().strip())
        rest = text[m.end():]
        opens = (CLAUSE_BREAK if intro else _OPENS).search(rest)
        if not intro and toll and opens is None:
            opens = CLAUSE_BREAK.search(rest) or re.search(r"$", rest)
        after_end = m.end() + (opens.start() if opens else len(rest))
        if _SELF.search(rest):
            continue
        if len(text[m.end():after_end].split()) <= MAX_SPEAKER_WORDS and (opens or intro):
            spans.append(norm.to_original(m.end(), after_end))  # "قال X أن", "selon X,"
        if not intro:
            breaks = list(CLAUSE_BREAK.finditer(text, 0, m.start()))
            before_start = breaks[-1].end() if breaks else 0
            if len(text[before_start:m.start()].split()) <= MAX_SPEAKER_WORDS:
                spans.append(norm.to_original(before_start, m.start()))  # "X a déclaré que", "X said"
            if not text[before_start:m.start()].strip() and len(breaks) >= 2:
                # "A US official, speaking on condition of anonymity, said": the subject before the aside
                lo = breaks[-3].end() if len(breaks) >= 3 else 0
                if len(text[lo:breaks[-2].start()].split()) <= MAX_SPEAKER_WORDS:
                    spans.append(norm.to_original(lo, breaks[-2].start()))
    if after is not None:
        spans += [norm.to_original(a, b) for a, b in _trailing_speakers(norm.text, after, lex)]
    return [(sentence_start + a, sentence_start + b) for a, b in spans if b > a]


def _trailing_speakers(text: str, after: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Speakers told after the act, in a clause of their own: "…, a indiqué l'Observatoire",
    "…, a spokesman for the ministry told Russian state media", "…, selon l'AFP", "…, the
    military said" (spans in `text`, the normalised sentence). A reporting word right after the
    act with no clause break between is not one ("attacks reported by" is the act's own phrase)."""
    assert lex.reporting is not None
    spans = []
    for m in lex.reporting.finditer(text, after):
        between = text[after:m.start()]
        breaks = list(CLAUSE_BREAK.finditer(between))
        if not breaks:
            continue
        clause_start = after + breaks[-1].end()
        if len(text[clause_start:m.start()].split()) <= MAX_SPEAKER_WORDS:
            spans.append((clause_start, m.start()))  # "…, the military said"
        rest = text[m.end():]
        stop = CLAUSE_BREAK.search(rest)
        end = m.end() + (stop.start() if stop else len(rest))
        if len(text[m.end():end].split()) <= MAX_SPEAKER_WORDS:
            spans.append((m.end(), end))  # "…, a indiqué l'Observatoire", "…, selon l'AFP"
    return spans


def without_speakers(actors: list[Actor], spans: list[tuple[int, int]]) -> list[Actor]:
    return [a for a in actors if not any(lo <= a.start and a.end <= hi for lo, hi in spans)]


def reported_clause_start(norm: Normalised, sentence_start: int, upto: int) -> int | None:
    """Where the clause a complementiser opens before the trigger (at `upto` in `norm`) begins
    ("… إن تنظيم داعش هاجم", "… said that ISIS attacked"), or None."""
    last = None
    for last in _OPENS.finditer(norm.text[:upto]):  # noqa: B007
        pass
    if last is None:
        return None
    return sentence_start + norm.to_original(last.end(), last.end())[0]
