"""Event coding: candidate triggers → decisions → events with roles, place, date, tolls, certainty.

The per-language lexicons (`furat.events.lexicon`) give candidate triggers with their PLOVER
type/mode and ACLED type/subtype; `furat.events.decide` keeps only those the sentence says took
place; `furat.events.roles` reads who did it to whom and where (spaCy's parse for French and
English, word order for Arabic); `furat.events.merge` folds retellings into one event per
occurrence. Actors, places and dates come from the earlier stages' output (`Document.actors`,
`.places`, `.times`), so each stage stays replaceable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from furat.actors.demonym import demonym_actor
from furat.actors.normalize import strip_arabic_clitics
from furat.events.adversary import BYSTANDER_SECTORS, adversary
from furat.events.classify import event_probability, window_text
from furat.events.decide import CLAUSE_BREAK, EVENT, TREND, Decision, cues, decide
from furat.events.lexicon import MATERIAL, VERBAL, Lexicon, Match, find_triggers, lexicon
from furat.events.merge import GENERIC_SUBTYPES, merge_occurrences
from furat.events.merge import TERRITORY_SUBTYPES as TERRITORY
from furat.events.roles import (
    RELATION_AFTER,
    attached_where,
    last_named_before,
    modifier_places,
    ordered_roles,
    parsed_place,
    parsed_roles,
    parsed_victims,
)
from furat.events.speakers import reported_clause_start, speaker_spans, without_speakers
from furat.events.syntax import lemma, parse, token_at
from furat.events.where import any_word, not_where, pick_place, reference_point, side_of, told_as_where
from furat.model import Actor, Document, Event, Place
from furat.textnorm import Normalised, normalise
from furat.time.govern import governing_time

_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"»”']?\s+|\n+")
# A capital and a period ends no sentence ("U.S. troops", "M. Macron"); other abbreviations are
# listed per language (lexicon `abbreviations`).
_INITIAL = re.compile(r"\b[A-Z]\.[\"»”']?$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def sentences(doc: Document) -> Iterator[tuple[Sentence, str | None]]:
    """Sentences of each paragraph with the paragraph's language (a simple splitter on final
    punctuation: the same in the three languages, and 20x faster than loading a model)."""
    paragraphs = doc.paragraphs or []
    spans = [(p.start, p.end, p.language) for p in paragraphs] or [(0, len(doc.text), doc.language)]
    for p_start, p_end, lang in spans:
        pos = p_start
        lex = lexicon(lang or doc.language or "")
        for m in _SENTENCE_END.finditer(doc.text, p_start, p_end):
            if not _ends_sentence(doc.text, m, lex.abbreviation if lex else None):
                continue
            if m.start() > pos:
                yield Sentence(pos, m.start()), lang or doc.language
            pos = m.end()
        if pos < p_end:
            yield Sentence(pos, p_end), lang or doc.language


def _ends_sentence(text: str, m: re.Match[str], abbreviation: re.Pattern[str] | None) -> bool:
    """Whether a period or a line break ends a sentence: not before a lower-case word (a page's
    line wrapping, "U.S. troops"), nor after an abbreviation."""
    if "\n\n" in m.group():
        return True
    following = text[m.end():m.end() + 1]
    if (following and following.islower() and following.isalpha() and following.isascii()) or \
            (following and following in "àâçéèêëîïôûù"):
        return False
    if "\n" in m.group():
        return True
    before = text[max(0, m.start() - 8):m.start()]
    return not (_INITIAL.search(before) or (abbreviation is not None and abbreviation.search(before)))


def _certainty(
    lex: Lexicon, norm: str, raw: str, normalised: Normalised, alleged: bool
) -> tuple[str, str | None]:
    """(certainty, reporter): hedged when told as unconfirmed, reported when attributed."""
    reporter = _reporter(lex, norm, raw, normalised) if lex.reporting and lex.reporting.search(norm) else None
    if alleged:
        return "hedged", reporter
    if lex.reporting and lex.reporting.search(norm):
        return "reported", reporter
    return "asserted", None


def _reporter(lex: Lexicon, norm: str, raw: str, normalised: Normalised) -> str | None:
    """Who reports it, when the sentence says so ("selon une source militaire, …")."""
    if lex.reporter_intro and (m := lex.reporter_intro.search(norm)):
        tail = norm[m.end():]
        cut = CLAUSE_BREAK.search(tail)
        end = m.end() + (cut.start() if cut else len(tail))
        start, stop = normalised.to_original(m.end(), end)
        words = raw[start:stop].split()[:8]
        return " ".join(words) or None
    return None


def _toll(lex: Lexicon, patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    """People killed or injured as the sentence states it (patterns of the lexicon's tolls): the
    first pattern that reads a number wins; `none`/`one`/`two` groups count 0, 1 or 2 people, `n2` adds a
    second figure ("74 combattants kurdes et 30 civils ont été tués"); the other side's toll told after
    "while" / "alors que" / "بينما" is added ("reached 45 deaths …, while 26 ISIS fighters were
    killed")."""
    cue = lex.other_side.search(text) if lex.other_side is not None else None
    if cue is not None:
        one = _first_toll(lex, patterns, text[:cue.start()])
        other = _first_toll(lex, patterns, text[cue.end():])
        if one and other:
            return one + other
    return _first_toll(lex, patterns, text)


def _first_toll(lex: Lexicon, patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    """The toll the first of `patterns` that reads one finds in `text`; a number that is part of a
    date ("AFP Thursday 30 Jul 2015 At least 18 people were killed") counts no one, and the search
    goes on after it."""
    for pattern in patterns:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            pos = m.end() if m.end() > pos else pos + 1
            dated = [g for g in ("n2", "n")
                     if m.groupdict().get(g) and lex.date_number(text, m.start(g), m.end(g))]
            if dated:  # "AFP 24 Oct 2014 Ten children and five women were killed": from past the date on
                pos = m.start(dated[0]) + 1
                continue
            groups = m.groupdict()
            if groups.get("none"):  # "no casualties", "sans faire de victimes", "دون تسجيل إصابات"
                return 0
            if groups.get("one"):
                return 1
            if groups.get("two"):
                return 2
            values = [lex.number(groups[g]) for g in ("n", "n2") if groups.get(g)]
            if values and None not in values:
                return sum(v for v in values if v is not None)
    return None


def _actors_in(doc: Document, s: Sentence, lex: Lexicon, act_end: int | None = None) -> list[Actor]:
    """The sentence's actor mentions that can fill a role: not a place named as where ("au nord de
    la Syrie", "in Jordan", "شمال شرقي سورية") nor an Arabic adjective of nationality ("الحدود
    العراقية السورية")."""
    places = {(p.start, p.end) for p in doc.places}
    out = []
    for a in doc.actors:
        if not (s.start <= a.start and a.end <= s.end and a.name):
            continue
        before = normalise(doc.text[max(s.start, a.start - 24):a.start]).text
        # a country as a whole is a place when told as where, even where geo kept no place for it
        # (one right after the act is its adjective: "في قصف تركي", Turkish shelling)
        adjective = act_end is not None and act_end <= a.start and not doc.text[act_end:a.start].strip()
        where = (a.start, a.end) in places or (a.sector is None and a.country is not None and not adjective)
        if where and lex.locative is not None and (
                lex.locative.search(before) or _joined_to_where(doc, s, a, lex)):
            continue
        if _NISBA.fullmatch(a.text):
            continue
        out.append(a)
    return out


def _joined_to_where(doc: Document, s: Sentence, a: Actor, lex: Lexicon) -> bool:
    """A country joined to a place told as where is where too ("seized land in Syria and
    neighbouring Iraq", "في سوريا والعراق"): the place just before it, across "and" and one word."""
    joined = any_word(lex.roles.get("and_words", frozenset()))
    for p in doc.places:
        if not (s.start <= p.start and p.end <= a.start):
            continue
        gap = normalise(doc.text[p.end:a.start]).text.split() or (["و"] if a.text.startswith("و") else [])
        if gap and len(gap) <= 2 and joined.fullmatch(gap[0]) and lex.locative is not None and \
                lex.locative.search(normalise(doc.text[max(s.start, p.start - 24):p.start]).text):
            return True
    return False


# One Arabic word "ال…ية"/"ال…ي": an adjective ("السورية"), not the actor its country is
_NISBA = re.compile(r"[وفبل]?ال\w+(?:ية|يه|ي|يّة|يّ)")


def _where_after(doc: Document, c: _Candidate, places: list[Place],
                 skip: set[tuple[int, int]] | frozenset[tuple[int, int]]) -> Place | None:
    """Where an unparsed statement or meeting was made: the first place after its verb and before
    the clause ends that the sentence introduces as where ("اجتمعت الدورية مع قادة … في بلدة التبني",
    "انطلقت في مدينة دير الزور")."""
    stop = CLAUSE_BREAK.search(doc.text, c.end, c.sentence.end)
    end = stop.start() if stop else c.sentence.end
    return next((p for p in places if c.end <= p.start and p.end <= end and (p.start, p.end) not in skip
                 and told_as_where(doc, c.sentence.start, p, c.lex)), None)


MAX_SET_OFF_WORDS = 4


def _subject_set_off(doc: Document, opener: int, at: int) -> bool:
    """Whether the words between a complementiser and the trigger are a short subject set off from
    its verb by a comma alone ("يذكر أن القوات العراقية، طهرت المنطقة"): the comma splits no clause."""
    between = doc.text[opener:at]
    m = re.fullmatch(r"([^,،;:؛()]+)[,،]\s*", between)
    return m is not None and 0 < len(m.group(1).split()) <= MAX_SET_OFF_WORDS


def _where_it_refers_to(doc: Document, c: _Candidate, places: list[Place],
                        skip: set[tuple[int, int]] | frozenset[tuple[int, int]]) -> Place | None:
    """Where an unparsed statement or meeting told "in it" (`here_pronouns`: "واجتمعت فيه مع
    عناصرها") was made: the last place the sentence told as where before the act."""
    words = normalise(doc.text[c.end:c.sentence.end]).text.split()
    if not words or words[0] not in c.lex.roles.get("here_pronouns", frozenset()):
        return None
    return next((p for p in reversed(places) if p.end <= c.start and (p.start, p.end) not in skip
                 and told_as_where(doc, c.sentence.start, p, c.lex)), None)


def _town_told_before(doc: Document, c: _Candidate, place: Place | None) -> Place | None:
    """The last town the story named before a sentence that tells of "the town" without its name
    and names no place finer than a country ("sont entrés dans une ville clé kurde du nord de la
    Syrie", "قصف المدينة"); else `place`."""
    finer = place is not None and not (place.feature or "").startswith("PCL")
    if finer or c.lex.town_anaphora is None or not c.lex.town_anaphora.search(c.norm.text):
        return place
    towns = [p for p in doc.places if p.end <= c.sentence.start and p.lat is not None
             and (p.feature or "").startswith("PPL")
             and (place is None or not place.country_code or p.country_code == place.country_code)]
    return towns[-1] if towns else place


@cache
def _normalised(words: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise(w).text for w in words)


def date_fields(doc: Document, start: int, end: int, paragraph: bool = False) -> dict[str, str | None]:
    """Date, precision and "reported by" of an act at [start, end). `paragraph` is the fallback
    pass after the merge: the paragraph's last date, else a month-dated page's month, may date it."""
    t = governing_time(doc, start, end, paragraph)
    if t is None or not t.value:
        return {}
    if t.inferred and re.fullmatch(r"\d{4}-\d{2}", t.value or "") and paragraph:
        # a page dated only by its month tells the month of what it reports as news
        return {"date": t.value, "date_precision": "month", "date_end": t.value}
    if t.inferred:  # the text does not say when: no date (EVENTS.md §3), only "reported by then"
        return {"date_end": t.value}
    value = t.value
    if m := re.match(r"(\d{4}-\d{2}-\d{2})T", value):  # "dimanche soir": 2024-08-04TEV
        value = m.group(1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {"date": value, "date_precision": "day"}
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return {"date": value, "date_precision": "month"}
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return {"date": value, "date_precision": "week"}
    if re.fullmatch(r"\d{4}", value):
        return {"date": value, "date_precision": "year"}
    if m := re.fullmatch(r"(\d{4})-(?:SP|SU|FA|AU|WI|Q[1-4]|H[12])", value):  # "in the summer of 2014"
        return {"date": m.group(1), "date_precision": "year"}
    return {}


@dataclass
class _Candidate:
    sentence: Sentence
    lang: str
    lex: Lexicon
    raw: str
    norm: Normalised
    match: Match
    start: int  # trigger offsets in the document
    end: int


def _candidates(doc: Document) -> list[_Candidate]:
    out = []
    for sentence, lang in sentences(doc):
        lex = lexicon(lang or "")
        if lex is None:
            continue
        raw = doc.text[sentence.start:sentence.end]
        norm = normalise(raw)
        for match in find_triggers(lex, norm.text):
            t_start, t_end = norm.to_original(match.start, match.end)
            out.append(_Candidate(sentence, lang or "", lex, raw, norm, match,
                                  sentence.start + t_start, sentence.start + t_end))
    return out


Prepared = tuple[list[_Candidate], dict[int, Any]]  # a document's candidates and sentence parses


def prepare(docs: list[Document]) -> list[Prepared]:
    """The candidates of each document and the parses of their sentences (French and English),
    parsed in one `nlp.pipe` call per language for the whole batch: spaCy's per-call cost is paid
    once, not once a document (English parsing a third faster, bench/bench_events.py)."""
    candidates = [_candidates(doc) for doc in docs]
    jobs: dict[str, list[tuple[int, int, str]]] = {}  # language → (document, sentence start, text)
    for i, cands in enumerate(candidates):
        seen: set[int] = set()
        for c in cands:
            if c.sentence.start not in seen:
                seen.add(c.sentence.start)
                jobs.setdefault(c.lang, []).append((i, c.sentence.start, c.raw))
    parsed: list[dict[int, Any]] = [{} for _ in docs]
    for lang, items in jobs.items():
        for (i, start, _), sdoc in zip(items, parse(lang, [t for _, _, t in items]), strict=True):
            if sdoc is not None:
                parsed[i][start] = sdoc
    return list(zip(candidates, parsed, strict=True))


def candidate_decisions(doc: Document, prepared: Prepared | None = None
                        ) -> list[tuple[_Candidate, Decision, Any]]:
    """Every candidate trigger of `doc` with its decision and its parsed token (or None)."""
    candidates, parsed = prepared if prepared is not None else prepare([doc])[0]
    out = []
    for c in candidates:
        sdoc = parsed.get(c.sentence.start)
        s0 = c.sentence.start
        tok = token_at(sdoc, c.start - s0, c.end - s0) if sdoc is not None else None
        d = decide(c.lang, c.match.trigger.plover, c.norm.text, c.match.start, c.match.end, tok)
        d.probability = event_probability(c.lang, d.features, d.label == EVENT,
                                          window_text(c.norm.text, c.match.start, c.match.end))
        out.append((c, d, tok))
    return out


# Over a trap the rules found (a governing "accused", a negation, "will"), the classifier must be
# this sure to call it an event.
OVERRULE = 0.7


def _plainly_done(decision: Decision) -> bool:
    """A trigger in a verb's past form ("اجتمع", "قصفت") or governed by a verb that says it was done
    ("ont réussi à franchir", "ont commencé à se rendre"), and no cue of any trap in its sentence."""
    done = "t:perfect" in decision.features or "gov=realized" in decision.features
    return done and not any(
        f.startswith(("w:", "s:", "t:", "wide:", "a:")) and f != "t:perfect" for f in decision.features)


def happened(decision: Decision, policy: str = "rules", threshold: float = 0.5) -> bool:
    """Whether a candidate is kept as an event: by the rules, by the classifier (which needs
    OVERRULE to reverse a trap the rules found), or only when both agree ("both"); without a
    shipped model the rules decide."""
    rules = decision.label == EVENT
    p = decision.probability
    if policy == "rules" or p is None or decision.label == "not_trigger" or TREND in decision.features:
        return rules
    if policy == "classifier":
        if rules and _plainly_done(decision):
            return True  # a verb in the past with no cue against it: nothing for the model to weigh
        return p >= (threshold if rules else OVERRULE)
    return rules and p >= threshold


def extract_events(doc: Document, classify: bool | str = True, policy: str | dict[str, str] = "rules",
                   threshold: float | dict[str, float] = 0.5, prepared: Prepared | None = None
                   ) -> list[Event]:
    """The events that took place in a document, one per occurrence (see the module doc). `policy`
    (one for all languages, or per language) says who decides that a candidate happened
    (`happened`). With `classify`, English events of an ACLED type take the CASE-2021 classifier's
    sub-event type (the SVM; "blend": the SVM and the encoder head together, furat.events.acled_encoder)."""
    events: list[Event] = []
    anaphoric: set[int] = set()
    pointed: set[int] = set()  # "this advance", "cette attaque", "هذا التقدم": told before, never new
    sides: dict[int, str] = {}  # the side of its place an act is told on ("شرق الفرات")
    by_token: dict[tuple[int, int], Event] = {}  # (sentence start, token) → the event it triggers
    coordinated: list[tuple[Event, tuple[int, int]]] = []  # a statement with no target, its first verb
    report_dated: set[int] = set()  # acts dated only by the day their report was made
    told_by: dict[int, _Candidate] = {}  # trigger start -> its candidate
    tolls: set[int] = set()
    summaries: set[int] = set()
    apart: set[int] = set()
    english: list[Event] = []
    seen: set[tuple[int, str]] = set()
    specific: dict[tuple[int, str], set[str | None]] = {}  # the methods told per sentence and type
    decisions = candidate_decisions(doc, prepared)
    acts = [(c.start, c.end) for c, _, _ in decisions]

    def kept(c: _Candidate, decision: Decision) -> bool:
        rule = policy if isinstance(policy, str) else policy.get(c.lang, "rules")
        bar = threshold if isinstance(threshold, float | int) else threshold.get(c.lang, 0.5)
        return happened(decision, rule, bar)

    kept_decisions = [(c, d, tok, _is_toll(c)) for c, d, tok in decisions if kept(c, d)]
    # "three soldiers were killed in clashes between A and B": the act, not its toll, is the
    # sentence's event of its type (the toll is read off the whole sentence)
    kinds = {toll_kind: {(c.sentence.start, c.match.trigger.plover) for c, _, _, t in kept_decisions
                         if t == toll_kind} for toll_kind in (False, True)}  # acts, tolls
    kept_acts = [(c.start, c.end, c.match.trigger.plover) for c, _, _, _ in kept_decisions]
    # "the attack followed a Syrian bombing mission": the act told as new is the sentence's event,
    # the reference back ("the attack") only retells another
    told_new = {(c.sentence.start, c.match.trigger.plover) for c, _, _, t in kept_decisions
                if not t and c.lex.indefinite is not None
                and c.lex.indefinite.search(c.norm.text[:c.match.start])}
    verb_acts: dict[tuple[int, str], list[int]] = {}
    for c, _, tok, t in kept_decisions:
        if not t and tok is not None and tok.pos_ == "VERB":
            verb_acts.setdefault((c.sentence.start, c.match.trigger.plover), []).append(c.start)
    for c, decision, tok, is_toll in kept_decisions:
        plover = c.match.trigger.plover
        if plover == "MOBILIZE" and _hit_by_another(tok, c.sentence.start, plover, kept_acts):
            continue  # "une voiture piégée a ciblé une patrouille": the patrol is what was hit
        subtype = c.match.trigger.subtype
        methods = specific.get((c.sentence.start, plover))
        if (c.sentence.start, plover) in seen and not (
                methods and subtype not in GENERIC_SUBTYPES and subtype not in methods):
            continue  # one event of a type per sentence, unless it tells two methods ("raids … obus")
        if is_toll and (c.sentence.start, plover) in kinds[False]:
            continue
        if subtype not in GENERIC_SUBTYPES and ((c.sentence.start, plover) not in seen or methods):
            specific.setdefault((c.sentence.start, plover), set()).add(subtype)
        said = c.norm.text[c.match.start:c.match.end]
        refers_back = (c.lex.anaphora is not None and c.lex.anaphora.search(c.norm.text[:c.match.start])) or \
            (c.lex.definite is not None and c.lex.definite.match(said))
        if refers_back and ((c.sentence.start, plover) in told_new or
                            any(at > c.start for at in verb_acts.get((c.sentence.start, plover), ()))):
            continue  # "après l'attaque, l'armée a détruit …": the new act, told by a verb, is the event
        seen.add((c.sentence.start, plover))
        actors = _actors_in(doc, c.sentence, c.lex, c.end)
        # a toll, or an act told with its toll ("ils ont été tués lundi dans des combats")
        toll = is_toll or (c.sentence.start, plover) in kinds[True]
        # "la coalition dirigée par Washington", "appuyées par l'armée de l'air": backers are no doers
        actors = [a for a in actors if not _backer(doc, a, c.sentence.start, c.lex)]
        doers = without_speakers(actors, speaker_spans(c.norm, c.sentence.start, c.match.start, c.lex, toll,
                                                          after=c.match.end))
        a1 = a2 = place = None
        in_sentence = [p for p in doc.places if c.sentence.start <= p.start and p.end <= c.sentence.end]
        modifiers = modifier_places(doc, in_sentence, tok.doc if tok is not None else None, c.sentence.start,
                                    c.lex)
        modifiers |= {(p.start, p.end) for p in in_sentence
                      if reference_point(doc, p, c.lex) or not_where(doc, p, c.lex)}
        if tok is not None:
            territory = c.match.trigger.subtype in TERRITORY
            a1, a2, has_doer, _ = parsed_roles(doc, tok, c.sentence.start, actors, acts, c.lex, territory)
            # where the parse names nobody, the order of the sentence; but never the speaker of a
            # statement whose object the trigger is ("Biden condemned the attack")
            head = c.sentence.start + tok.head.idx
            told = tok.pos_ != "VERB" and any(a <= head < b for a, b in acts)
            # a passive names its doer only with "by"/"par" ("three soldiers were killed")
            passive = any(ch.dep_ in PASSIVE for ch in tok.children)
            # "fighters killed in an airstrike", "tués dans des frappes": who is named before is its dead
            under_toll = _under_toll(tok, c.lex)
            fill1 = a1 is None and not has_doer and not told and not passive and not under_toll
            if fill1 or (a2 is None and plover in MATERIAL):
                o1, o2 = ordered_roles(doc, doers, c.start, c.end, False, c.lex.agent,
                                       between=c.lex.roles.get("between_cases", frozenset()))
                if o1 is not None and o1.start >= c.end and _in_object_of_its_verb(tok, c, o1):
                    o1, o2 = None, o1  # "a car bomb targeted a coalition patrol": what follows is hit
                a1 = o1 if fill1 else a1
                if a2 is None and plover in MATERIAL and o2 is not None and \
                        (a1 is None or (o2.name or o2.text) != (a1.name or a1.text)):
                    a2 = o2
            if a2 is None and plover in VIOLENT:  # (one actor acting on itself is dropped below)
                a2 = parsed_victims(doc, tok, c.sentence.start, actors, c.lex)
            exclude = [(a.start, a.end) for a in (a1,) if a is not None] + _nested_acts(tok, c, acts)
            places = [p for p in in_sentence if (p.start, p.end) not in modifiers]
            place = parsed_place(doc, tok, c.sentence.start, places, exclude,
                                 partial(told_as_where, doc, c.sentence.start, lex=c.lex))
        else:
            if plover in VERBAL:  # no parse: the first place told as where after the act, in its clause
                place = _where_after(doc, c, in_sentence, modifiers) or _where_it_refers_to(
                    doc, c, in_sentence, modifiers)
            s0 = c.sentence.start
            clause = max((m.end() for m in CLAUSE_BREAK.finditer(c.raw, 0, c.start - s0)), default=0)
            # "قال المرصد إن تنظيم داعش هاجم حاجزا": after a complementiser the subject comes first
            opener = reported_clause_start(c.norm, s0, c.match.start)
            if opener is not None and _subject_set_off(doc, opener, c.start):
                clause = min(clause, opener - s0)  # "يذكر أن القوات العراقية، طهرت": one clause
            if opener is not None and opener - s0 > clause:
                inside = [a for a in doers if opener <= a.start and a.end <= c.start]
                if inside:
                    doers = [a for a in doers if a.start >= opener]
                clause = opener - s0
            a1, a2 = ordered_roles(doc, doers, c.start, c.end, c.lang == "ar", c.lex.agent, c.lex.light,
                                   s0, s0 + clause, c.lex.roles.get("object_nouns", frozenset()), toll=toll)
            if (latter := _latter(doc, c)) is not None:  # "أن الأخيرة واصلت": the last actor named before
                a1, a2 = latter, (a2 if a2 is not None and a2.name != latter.name else None)
            if a1 is not None and a1.start < c.start and (lost := _dispossessed(doc, c, doers)) is not None:
                a2 = lost  # "أن القوات العراقية، طهرت منطقة … مع الأردن، … من سيطرة تنظيم داعش"
            if a1 is not None and a1.start >= c.end and _hit_or_dispossessed(doc, c, a1):
                before = [a for a in doers if a.end <= c.start]
                a1, a2 = (before[-1] if before else None), a1
            if (group := _group_subject(doc, c, s0 + clause)) is not None and not (
                    a1 is not None and s0 + clause <= a1.start and a1.end <= c.start):
                if a2 is None and a1 is not None and a1.start >= c.end and plover in MATERIAL:
                    a2 = a1  # "أن المسلحين هاجموا حاجزا للجيش السوري": the actor after the act is hit
                a1, a2 = group, (a2 if a2 is None or a2.start >= group.end or a2.end <= group.start else None)
            national = _demonym_after(doc, c) if plover in MATERIAL else None
            if national is not None and (a1 is None or a1.start > national.start or a1.name != national.name):
                a2 = a2 if a2 is not None else (a1 if a1 is not None and a1.start < c.start else None)
                a1 = national  # "غارة إسرائيلية", "قصف تركي": the adjective on the act names its doer
        if a2 is None and plover in ADDRESSED:
            # "condemned the attack, attributing it to Iranian-backed militias": who is accused,
            # warned or asked is the first other actor the statement names after its verb
            clause = _CLAUSE_END.search(doc.text, c.end, c.sentence.end)
            end = clause.start() if clause else c.sentence.end
            a2 = next((a for a in actors if c.end <= a.start and a.end <= end
                       and a.sector not in BYSTANDER_SECTORS
                       and (a1 is None or (a.name != a1.name and a.start != a1.start))), None)
        if plover == "AID" and (a2 is None or a2.name is None) and \
                (recipient := _partner(doc, c, actors, "recipient_cases")) is not None:
            a2 = recipient  # "le système HIMARS avait été transféré aux YPG": who receives it, not what
        if plover in TALKS and a2 is not None and a2.name is None:
            a2 = None  # "discuteraient du blocage du Bosphore": what is talked about is no side of the talks
        if plover in PARTNERED and (partner := _partner(doc, c, actors)) is not None:
            if a1 is not None and a1.start == partner.start:  # "واجتمع ضباط روس مع قادة من قسد"
                a1 = None  # who is met with is never the one meeting
            a2 = a2 if a2 is not None else partner
        if a1 is not None and a2 is not None and (
                (a1.start < a2.end and a2.start < a1.end) or (a1.name and a1.name == a2.name)):
            a2 = None  # one actor does not act on itself (nor on a name inside its own phrase)
        certainty, reporter = _certainty(c.lex, c.norm.text, c.raw, c.norm, decision.alleged)
        event = Event(
            type=plover,
            mode=c.match.trigger.mode,
            acled_type=c.match.trigger.acled,
            acled_subtype=c.match.trigger.subtype,
            actor1=a1,
            actor2=a2,
            # a statement has a place only when the sentence attaches one to it as where it was made
            place=(place if place is not None and told_as_where(doc, c.sentence.start, place, c.lex)
                   and (tok is None or attached_where(tok, place, c.sentence.start))
                   else None) if plover in VERBAL
            else place or pick_place(doc, c.sentence, c.start, c.lex, modifiers),
            trigger=doc.span(c.start, c.end),
            evidence=doc.span(c.sentence.start, c.sentence.end),
            certainty=certainty,  # type: ignore[arg-type]
            reported_by=reporter,
            confidence=_confidence(certainty, a1, a2),
            **date_fields(doc, c.start, c.end),
        )
        if plover not in VERBAL:
            event.place = _town_told_before(doc, c, event.place)
        _territory(event)
        told_by[c.start] = c
        if plover in VIOLENT:
            event.fatalities = _toll(c.lex, c.lex.killed, c.norm.text)
            event.injured = _toll(c.lex, c.lex.injured, c.norm.text)
        if (side := side_of(doc, event.place, c.lex)) is not None:
            sides[len(events)] = side
        if event.date and plover not in VERBAL and _dated_by_its_report(doc, c, tok):
            report_dated.add(len(events))  # "…, a rapporté mercredi l'OSDH": a retelling may date it
        if refers_back:
            anaphoric.add(len(events))
            if _DEMONSTRATIVE.search(c.norm.text[max(0, c.match.start - 12):c.match.start]):
                pointed.add(len(events))
        if plover in MATERIAL and c.lex.several(c.norm.text[:c.match.start]):
            summaries.add(len(events))
        if c.lex.another(c.norm.text, c.match.start, c.match.end):
            apart.add(len(events))
        if toll and (a1 is None or a1.name is None):
            tolls.add(len(events))  # "three soldiers were killed": the toll of an act told before
        if tok is not None:
            by_token[(c.sentence.start, tok.i)] = event
            if tok.dep_ == "conj" and event.actor2 is None and plover in ADDRESSED:
                coordinated.append((event, (c.sentence.start, tok.head.i)))
        events.append(event)
        if c.lang == "en" and event.acled_type and plover in MATERIAL:
            english.append(event)
    _share_targets(coordinated, by_token)
    if classify and english:
        _classify_acled(english, events, blended=classify == "blend")
    records = merge_occurrences(events, anaphoric, tolls, summaries, apart, pointed, sides, report_dated)
    for record in records:
        if record.trigger is not None and (first := told_by.get(record.trigger.start)) is not None:
            _means(doc, first, record)  # after the merge, which takes a generic act as a retelling
        if record.type in VIOLENT and record.actor2 is None and record.actor1 is not None:
            record.actor2 = adversary(doc, record.actor1)  # the other side the story keeps naming
        # an act its own sentence and the one before do not date is dated by the paragraph's last
        # date; only now, after the merge, which must not take it as a told day
        if record.date is None and record.trigger is not None:
            told = date_fields(doc, record.trigger.start, record.trigger.end, paragraph=True)
            if told.get("date"):
                record.date, record.date_precision = told["date"], told["date_precision"]
    return records


_WORDS = re.compile(r"\w+")


def _clause_verb(tok: Any) -> Any | None:
    """The verb of the clause a token is in (itself when a verb), climbing from a noun or a time
    word to the verb it hangs on."""
    for _ in range(8):
        if tok.pos_ == "VERB":
            return tok
        if tok.head.i == tok.i:
            return tok if tok.pos_ == "AUX" else None
        tok = tok.head
    return None


def _dated_by_its_report(doc: Document, c: _Candidate, tok: Any | None) -> bool:
    """Whether the time that dates the act hangs on a reporting verb other than the act's own ("…
    dans des combats, a rapporté mercredi l'OSDH", "…, US officials said Sunday"; `[roles]
    reporting_lemmas`): the act happened that day or in the days before, which a retelling may say."""
    lemmas = c.lex.roles.get("reporting_lemmas", frozenset())
    own = _clause_verb(tok) if tok is not None and lemmas else None
    t = governing_time(doc, c.start, c.end) if own is not None else None
    if t is None or t.inferred or not (c.sentence.start <= t.start and t.end <= c.sentence.end):
        return False
    s0 = c.sentence.start
    span = tok.doc.char_span(t.start - s0, t.end - s0, alignment_mode="expand")
    verb = _clause_verb(span.root) if span is not None and len(span) else None
    return verb is not None and verb.i != own.i and lemma(verb).lower() in lemmas


def _nested_acts(tok: Any, c: _Candidate, acts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the other acts told inside this one's phrase, each with what hangs on it ("des
    frappes …, menées en représailles à un attentat à Ankara": Ankara is where the attack was, not
    the strikes)."""
    s0 = c.sentence.start
    out = []
    inside = {t.i for t in tok.subtree}  # the acts nested in this one's phrase, not its own governors
    for a, b in acts:
        if not (s0 <= a and b <= c.sentence.end) or (a, b) == (c.start, c.end):
            continue
        other = token_at(tok.doc, a - s0, b - s0)
        if other is None or other.i == tok.i or other.i not in inside:
            continue
        out.append((s0 + other.left_edge.idx, s0 + other.right_edge.idx + len(other.right_edge.text)))
    return out


def _latter(doc: Document, c: _Candidate) -> Actor | None:
    """The actor "the latter" stands for when it is the subject just before the act, no actor
    between ("أن الأخيرة واصلت أمس تقدمها", `[roles] latter_pronouns`): the last one named before it.
    None otherwise."""
    words = c.lex.roles.get("latter_pronouns", frozenset())
    if not words:
        return None
    lo = max(c.sentence.start, c.start - 40)
    found = [m for m in re.finditer(r"\S+", doc.text[lo:c.start])][-3:]  # "الأخيرة واصلت أمس تقدمها"
    at = next((lo + m.start() for m in reversed(found) if normalise(m.group()).text in words), None)
    if at is None or any(at < a.start < c.start for a in doc.actors):
        return None
    return last_named_before(doc, at)


def _backer(doc: Document, actor: Actor, sentence_start: int, lex: Lexicon) -> bool:
    """Whether the sentence names `actor` (one of its own) as the backer or leader of another
    ("dirigée par Washington", "backed by the coalition", "بقيادة واشنطن", "US-backed forces"): a
    qualifier, never a role."""
    if RELATION_AFTER.match(doc.text, actor.end):
        return True
    if lex.relation_before is None:
        return False
    before = doc.text[max(sentence_start, actor.start - 30):actor.start]
    return bool(lex.relation_before.search(normalise(before).text))


def _hit_or_dispossessed(doc: Document, c: _Candidate, actor: Actor) -> bool:
    """Whether an actor told after an Arabic trigger is what the act is done to: the ground is taken
    from it ("تحرير ناحية عكاشات من سيطرة تنظيم داعش"), the act's verb hits it ("القصف استهدف مواقع
    لكتائب حزب الله") or a violent act's preposition does ("قنبلة على منزل عضو في المجلس التابع لقسد")."""
    lost = c.match.trigger.subtype in TERRITORY and c.lex.ground_lost is not None and \
        c.lex.ground_lost.search(normalise(doc.text[max(c.end, actor.start - 24):actor.start]).text)
    between = normalise(doc.text[c.end:actor.start]).text
    if lost or (c.lex.target_verb is not None and c.lex.target_verb.search(between)):
        return True
    hit = c.match.trigger.plover in VIOLENT and c.lex.target_prep is not None and \
        c.lex.target_prep.search(between)
    # "هجوم على حاجز نفذه داعش": a light verb after the target names the doer
    return bool(hit) and not (c.lex.light is not None and
                              any(c.lex.light.fullmatch(w) for w in between[hit.end():].split()))


def _dispossessed(doc: Document, c: _Candidate, actors: list[Actor]) -> Actor | None:
    """The actor a territorial act takes ground from, told after it with more than a bare "من"
    ("من سيطرة تنظيم داعش", "من قبضة"), in its sentence: the target, whoever comes first after the act."""
    if c.match.trigger.subtype not in TERRITORY or c.lex.ground_lost is None:
        return None
    for a in actors:
        if a.start < c.end:
            continue
        m = c.lex.ground_lost.search(normalise(doc.text[max(c.end, a.start - 24):a.start]).text)
        if m is not None and m.group().strip() != "من":
            return a
    return None


_WORD = re.compile(r"[^\s،,.:;؛()«»\"]+")
MAX_WORDS_BEFORE_GROUP = 3
MAX_GROUP_ADJECTIVES = 2
_DEMONSTRATIVES = frozenset({"هذا", "هذه", "تلك", "ذلك"})


def _group_subject(doc: Document, c: _Candidate, clause_start: int) -> Actor | None:
    """An Arabic subject no actor mention covers, headed by a noun naming an armed body or a unit
    (`group_nouns`) with its agreeing adjectives: right before the trigger, after at most a few
    words of its clause ("أعلنت الفصائل المسلحة استنفارها", "فإن الدورية طالبت", "وحاول هذا الفصيل
    مهاجمة"), or right after a trigger verb in the past ("كما اجتمعت الدورية مع"). Its text is the doer."""
    heads = c.lex.roles.get("group_nouns", frozenset())
    if not heads or c.lang != "ar":
        return None
    before = list(_WORD.finditer(doc.text, clause_start, c.start))
    after = list(_WORD.finditer(doc.text, c.end, min(c.sentence.end, c.end + 80)))[:MAX_GROUP_ADJECTIVES + 1]
    told = cues(c.lang)
    perfect = told.perfect if told is not None else None
    said = normalise(doc.text[c.start:c.end]).text.split()
    verb = bool(said) and perfect is not None and bool(perfect.fullmatch(said[0]))
    options = [(before, i) for i in range(min(MAX_WORDS_BEFORE_GROUP + 1, len(before)))]
    if verb and after and not doc.text[c.end:after[0].start()].strip():
        options.append((after, 0))
    for words, i in options:
        phrase = _group_phrase(doc, words, i, heads)
        if phrase is None or (words is before and phrase[1] != (before[-1].end() if before else -1)):
            continue
        start, end = phrase
        if i > 0 and normalise(words[i - 1].group()).text in _DEMONSTRATIVES:
            start = words[i - 1].start()
        if any(a.start < end and start < a.end for a in doc.actors):
            return None  # a named actor: the roles above read it
        return Actor(text=doc.text[start:end], start=start, end=end)
    return None


def _group_phrase(doc: Document, words: list[re.Match[str]], i: int, heads: frozenset[str]
                  ) -> tuple[int, int] | None:
    """The span of a group noun at `words[i]` and the adjectives that agree with it ("الفصائل المسلحة",
    "قوات عراقية"), with nothing but spaces between them; None when `words[i]` heads no group."""
    word = normalise(words[i].group()).text
    bare = re.sub(r"^[وف]?(?:ال)?", "", word)
    if bare not in heads:
        return None
    definite = bool(re.match(r"^[وف]?ال", word))
    end = words[i].end()
    for m in words[i + 1:i + 1 + MAX_GROUP_ADJECTIVES]:
        w = normalise(m.group()).text
        if doc.text[end:m.start()].strip() or w.startswith("و"):
            break
        if not (w.startswith("ال") if definite else re.search(r"(?:يه|ي)$", w) and not w.startswith("ال")):
            break
        end = m.end()
    return words[i].start(), end

MAX_WORDS_TO_DEMONYM = 3


def _demonym_after(doc: Document, c: _Candidate) -> Actor | None:
    """A nationality adjective among the few words right after an Arabic trigger ("غارة إسرائيلية",
    "غارة شنتها مسيرة إسرائيلية", "قصف تركي متواصل"), before any clause break or preposition (one
    after "على" qualifies the target: "غارة على مواقع تركية")."""
    stops = c.lex.roles.get("prepositions", frozenset())
    prev_end = c.end
    for n, m in enumerate(_WORD.finditer(doc.text, c.end, min(c.sentence.end, c.end + 60))):
        gap = doc.text[prev_end:m.start()]
        if n >= MAX_WORDS_TO_DEMONYM or gap.strip() or normalise(m.group()).text in stops:
            return None
        if any(a.start < m.end() and m.start() < a.end for a in doc.actors):
            return None  # "حاجزا للجيش السوري": an actor's own adjective, or an actor between
        found = demonym_actor(m.group(), m.start(), m.end(), c.lang)
        if found is not None:
            return found
        prev_end = m.end()
    return None


def _hit_by_another(tok: Any, offset: int, plover: str, acts: list[tuple[int, int, str]]) -> bool:
    """Whether the trigger noun is the object of another act of the sentence ("a ciblé une
    patrouille", "attacked a convoy"): what that act hit, not an act of its own."""
    if tok is None or tok.pos_ != "NOUN" or tok.dep_.split(":")[0] not in ("obj", "dobj"):
        return False
    head = offset + tok.head.idx
    return any(a <= head < b and kind != plover for a, b, kind in acts)


def _share_targets(coordinated: list[tuple[Event, tuple[int, int]]],
                   by_token: dict[tuple[int, int], Event]) -> None:
    """"al-Sarraj accused Haftar of betraying him and warned of a war": a statement coordinated
    with another of the same speaker and naming nobody itself is aimed at the other's target."""
    for event, head in coordinated:
        first = by_token.get(head)
        if first is not None and first.type in ADDRESSED and first.actor2 is not None and \
                first.actor1 is not None and event.actor1 is not None and \
                (first.actor1.name or first.actor1.text) == (event.actor1.name or event.actor1.text):
            event.actor2 = first.actor2


def _partner(doc: Document, c: _Candidate, actors: list[Actor], words: str = "partner_cases") -> Actor | None:
    """The other side of a meeting or a joint act: the first actor told after a word of company
    (`[roles] partner_cases`: "met with the Fifth Corps", "en coopération avec l'armée de l'air
    russe", "اجتمعت … مع قادة لواء القدس") that follows the trigger closely, in its sentence; with
    `words="recipient_cases"`, who receives what is given ("transféré aux YPG", "supplied to")."""
    cases = c.lex.roles.get(words)
    if not cases:
        return None
    after = doc.text[c.start:min(c.sentence.end, c.end + PARTNER_WINDOW)]
    m = any_word(cases, "(?:[وف])?").search(after)
    if m is None:
        return None
    at = c.start + m.end()
    return next((a for a in actors if at <= a.start < at + PARTNER_WINDOW and a.end <= c.sentence.end), None)


def _under_toll(tok: Any, lex: Lexicon) -> bool:
    """Whether the trigger is where a toll verb or a death noun says people died ("killed in an
    airstrike", "tués lors d'une frappe", "the killing of a contractor in a rocket attack"): who
    that verb or noun names is its victims, not its doer."""
    head = tok.head
    if head.pos_ == "ADP" and head.i != head.head.i:
        head = head.head
    toll = (head.pos_ in ("VERB", "AUX") and lex.toll_word(head.text)) or \
        (head.pos_ == "NOUN" and head.lower_ in lex.roles.get("death_nouns", ()))
    return head.i != tok.i and toll and tok.dep_.split(":")[0] in ("pobj", "obl", "nmod")


def _is_toll(c: _Candidate) -> bool:
    """Whether the trigger only reports deaths ("killed", "tués", "مقتل"), not an act."""
    said = c.norm.text[c.match.start:c.match.end]
    return bool(c.lex.toll_trigger is not None and c.lex.toll_trigger.fullmatch(said))


PASSIVE = {"nsubj:pass", "nsubjpass", "aux:pass", "auxpass"}
SUBJECT = {"nsubj", "csubj"}


def _in_object_of_its_verb(tok: Any, c: _Candidate, actor: Actor) -> bool:
    """Whether the trigger's phrase is the subject of a verb whose object holds `actor` ("une
    voiture piégée a ciblé une patrouille de la coalition": the coalition is hit, not hitting).
    The parse may head "voiture piégée" by its participle."""
    if tok.dep_ in ("acl", "amod") and c.start <= c.sentence.start + tok.head.idx < c.end:
        tok = tok.head
    if tok.dep_ not in SUBJECT:
        return False
    for obj in (ch for ch in tok.head.children if ch.dep_ in ("obj", "dobj")):
        if c.match.trigger.subtype == "Armed clash" and any(g.dep_ == "conj" for g in obj.children):
            continue  # "des combats ont opposé l'armée et l'EI": both sides, the first the doer
        lo = c.sentence.start + obj.left_edge.idx
        hi = c.sentence.start + obj.right_edge.idx + len(obj.right_edge.text)
        if lo <= actor.start and actor.end <= hi:
            return True
    return False


NON_STATE = {"REB", "INS", "TER", "OPP", "NSA"}


_AIR = ("Explosions/Remote violence", "Air/drone strike")


def _means(doc: Document, c: _Candidate, event: Event) -> None:
    """A generic act whose clause names a drone or an aircraft as its means ("les avions de combat
    … ont frappé", "des drones turcs ont ciblé une usine", "غارة شنتها مسيرة إسرائيلية") is a strike
    from the air, and one by a drone has the mode "drone" (a "drone strike" too)."""
    if event.type != "ASSAULT" or event.mode not in (None, "destroy", "aerial"):
        return
    s0 = c.sentence.start
    clause = max((m.end() for m in CLAUSE_BREAK.finditer(c.raw, 0, c.start - s0)), default=0)
    # the doer comes before its verb in French and English (after it, the aircraft is a target: "shot
    # down a warplane"); an Arabic verb or verbal noun is followed by its doer ("شنتها مسيرة")
    end = min(c.sentence.end, c.end + 40) if c.lang == "ar" else c.end
    words = set(_WORDS.findall(normalise(doc.text[s0 + clause:end]).text.lower()))
    if c.lang == "ar":  # "بمسيرة": the word without its prefixes too
        words |= {strip_arabic_clitics(w) for w in words}

    def named(key: str) -> bool:
        return bool(words & _normalised(c.lex.roles.get(key, frozenset())))

    drone, aircraft = named("drone_nouns"), named("aircraft_nouns")
    if drone and not aircraft:  # "des drones et des avions de guerre": from the air, not by drone alone
        event.mode, (event.acled_type, event.acled_subtype) = "drone", _AIR
    elif aircraft and event.mode != "aerial":
        event.mode, (event.acled_type, event.acled_subtype) = "aerial", _AIR


def _territory(event: Event) -> None:
    """Territory taken by a non-state actor is ACLED's "Non-state actor overtakes territory"."""
    if event.acled_subtype == "Government regains territory" and event.actor1 is not None and \
            (event.actor1.sector or "") in NON_STATE:
        event.acled_subtype = "Non-state actor overtakes territory"


def _classify_acled(targets: list[Event], events: list[Event], blended: bool = False) -> None:
    """Give the English events `targets` the classifier's ACLED subtype; the lexicon's votes for
    each sentence come from the events already found in it (no second pass)."""
    import numpy as np

    from furat.events.acled import classify, subtypes, votes_of

    def sentence_votes(event: Event) -> np.ndarray:
        assert event.evidence is not None
        start = event.evidence.start
        return votes_of([e.acled_subtype for e in events if e.evidence and e.evidence.start == start])

    texts = [e.evidence.text for e in targets if e.evidence is not None]
    votes = np.array([sentence_votes(e) for e in targets])
    if blended:
        from furat.events.acled_encoder import classify_blend

        labels = classify_blend(texts, votes)
    else:
        labels = classify(texts, votes)
    if labels is None:
        return
    for event, label in zip(targets, labels, strict=True):
        if label in subtypes():
            event.acled_subtype, event.acled_type = label, subtypes()[label]["type"]


# A demonstrative right before the trigger points back at an act told before ("this advance")
_DEMONSTRATIVE = re.compile(r"(?:^|\W)(?:this|these|that|those|cette|cet|ces|هذا|هذه|ذلك|تلك)\s+(?:\w+\s+)?$")

VIOLENT = {"ASSAULT"}
# Statements aimed at someone: the guide's gold names a target for nearly all of them (EVENTS.md §3)
ADDRESSED = {"ACCUSE", "THREATEN", "REQUEST", "REJECT"}
# Acts done with someone: the other side of a meeting or a joint act is its target
PARTNERED = {"CONSULT", "COOPERATE"}  # an agreement: the dev gold lists both sides as its doers
# Talks and agreements: their object is a topic ("discussed the blockade", "agreed on a truce"), never a side
TALKS = {"CONSULT", "AGREE"}
PARTNER_WINDOW = 60  # characters between the trigger and the "with" that names the other side
# a statement's clause ends at a comma, not at a dash (CLAUSE_BREAK): "called for confrontation –
# regime change – against Iran"
_CLAUSE_END = re.compile(r"[,;،؛]")


def _confidence(certainty: str, source: Actor | None, target: Actor | None) -> float:
    base = {"asserted": 0.7, "reported": 0.6, "hedged": 0.3, "negated": 0.2}[certainty]
    return round(min(1.0, base + 0.1 * (source is not None) + 0.1 * (target is not None)), 2)
