"""Who did it, to whom, where: an event's actors and place read off the sentence.

French and English read spaCy's parse: actor1 is the subject of an active trigger or the agent of a
passive one ("by", "par"), the first of a coordinated list; actor2 its object, the subject of a
passive, or the noun after "against", "contre", "on"; the place is one attached to the trigger's own
phrase ("in", "near", "à", "près de"), not a speaker's. Arabic, verb-first, takes the actor right
after the verb as its doer (قتل تنظيم داعش … 12 من القوات), else the one before it; "من قبل" / "على
يد" name the doer of a passive. When the parse finds no actor mention in a role, the nearest mention
by position is used, as a reporter would read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from furat.actors.demonym import demonym_actor
from furat.events.decide import cues
from furat.events.lexicon import Lexicon
from furat.events.syntax import lemma
from furat.model import Actor, Document, Place
from furat.textnorm import normalise

SUBJECT = {"nsubj", "csubj"}
PASSIVE_SUBJECT = {"nsubjpass", "nsubj:pass", "csubjpass"}
OBJECT = {"dobj", "obj", "iobj", "obl:arg"}
MAX_PHRASE_TOKENS = 8


def _span(tok: Any, offset: int) -> tuple[int, int]:
    """Document offsets of the subtree of `tok` (a sentence parsed at `offset`)."""
    left, right = tok.left_edge, tok.right_edge
    return offset + left.idx, offset + right.idx + len(right.text)


_SIDE = {"acl", "acl:relcl", "relcl", "appos", "punct", "advcl", "parataxis", "dislocated"}
# the second of "A and B" is its own phrase: "clashes between government forces and ISIS"
_JOINED = {"conj", "cc"}


def _joined_at(tok: Any) -> int | None:
    """Index of the first "and B" after `tok` (where its own phrase ends), or None."""
    return min((ch.i for ch in tok.children if ch.dep_ in _JOINED and ch.i > tok.i), default=None)


def _core(tok: Any, offset: int) -> tuple[int, int]:
    """Document offsets of the noun phrase `tok` heads, without its clauses and appositions: "the
    forces of Damascus, backed by the air force" → "the forces of Damascus"."""
    keep = [tok]
    stack = [ch for ch in tok.children if ch.dep_ not in _SIDE | _JOINED]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(ch for ch in t.children if ch.dep_ not in _SIDE)
    first = min(keep, key=lambda t: t.i)
    cut = _joined_at(tok)
    last = max((t for t in keep if cut is None or t.i < cut), key=lambda t: t.i)
    return offset + first.idx, offset + last.idx + len(last.text)


def _first_actor(actors: list[Actor], lo: int, hi: int) -> Actor | None:
    """The first actor named in the phrase [lo, hi); one may run past its end when the parse cut a
    name's last words off as a clause ("des hommes armés | non identifiés")."""
    inside = [a for a in actors if lo <= a.start < hi]
    return inside[0] if inside else None


def _phrase_actor(doc: Document, tok: Any, offset: int, words: dict[str, frozenset[str]]) -> Actor | None:
    """An actor for a subject or object that names no known actor: its noun phrase as written
    (no canonical name), so that an analyst sees who the text says it was."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in words.get("pronouns", ()) or \
            tok.lower_ in words.get("time_nouns", ()) or tok.lower_ in words.get("thing_nouns", ()):
        return None
    if any(p.start <= offset + tok.idx < p.end for p in doc.places):
        return None  # a place is where it happened, not who
    place_noun = bool({tok.lower_, lemma(tok).lower()} & words.get("place_nouns", frozenset()))
    # a relative clause or an apposition is no part of the name, nor anything inside it ("the
    # militants that fueled Iraqi territorial gains": the militants)
    aside = {d.i for t in tok.subtree if t.i != tok.i and t.dep_ in ("relcl", "acl:relcl", "appos")
             for d in t.subtree}
    kept = [t for t in tok.subtree if t.dep_ != "punct" and t.i not in aside
            and not (t.dep_ == "case" and t.head.i == tok.i)]  # "par les forces de X": the forces
    cut = min((i for i in aside if i > tok.i), default=None)
    joined = _joined_at(tok)
    cut = joined if cut is None or (joined is not None and joined < cut) else cut
    kept = [t for t in kept if t.i >= tok.left_edge.i and (cut is None or t.i < cut)][:MAX_PHRASE_TOKENS]
    if not kept:
        return None
    start = offset + kept[0].idx
    end = offset + kept[-1].idx + len(kept[-1].text)
    if place_noun and any(start <= p.start and p.end <= end for p in doc.places):
        return None  # "la ville d'Abu Kamal": the place taken, not an actor ("US-backed forces" are one)
    if end - start > 80:
        start, end = offset + tok.idx, offset + tok.idx + len(tok.text)
    return Actor(text=doc.text[start:end], start=start, end=end, confidence=0.3)


def last_named_before(doc: Document, at: int) -> Actor | None:
    """The last actor the KB knows named before `at`: who "the latter", "ces derniers", "الأخيرة"
    stand for."""
    return next((a for a in reversed(doc.actors) if a.end <= at and a.name), None)


MAX_PERSON_LOOKBACK = 600


def _last_person(doc: Document, offset: int) -> Actor | None:
    """Who "he" / "she" is (`[roles] person_pronouns`): the last person the text named before (its
    actor when the KB knows them, else the name as written: "Trump"), else the last actor."""
    near = [e for e in doc.entities if e.label in ("PER", "PERSON") and e.end <= offset
            and offset - e.end <= MAX_PERSON_LOOKBACK]
    # the person the story keeps naming before the pronoun, the nearest among equals: "Mocking
    # North Korean leader Kim Jong-un, [Trump] added …; He made similar threats" is Trump's
    told = [e.text for e in doc.entities if e.end <= offset]  # any label: the NER may call "Trump" an ORG
    person = max(reversed(near), key=lambda e: sum(_same_person(e.text, t) for t in told), default=None)
    if person is None:
        return next((a for a in reversed(doc.actors) if a.end <= offset and a.name), None)
    known = next((a for a in doc.actors if a.start < person.end and person.start < a.end and a.name), None)
    return known or Actor(text=person.text, start=person.start, end=person.end, confidence=0.3)


def _same_person(a: str, b: str) -> bool:
    """"Donald Trump" and "Trump" name one person: one name's last word ends the other."""
    wa, wb = a.split(), b.split()
    return bool(wa and wb) and wa[-1] == wb[-1]


def _case(ch: Any) -> str:
    """The preposition of a prepositional dependent: itself (English "prep") or its "case" child."""
    return ch.lower_ if ch.dep_ == "prep" else next((g.lower_ for g in ch.children if g.dep_ == "case"), "")


def _framed_targets(tok: Any, lex: Lexicon) -> list[Any]:
    """"une campagne d'arrestations contre les tribus", "a campaign of raids against the militants": the
    target told on the light noun that frames the act (the decision's `light_noun_lemmas`) is the act's."""
    if tok.pos_ != "NOUN" or tok.head is tok:
        return []
    frame = tok.head.head if tok.head.pos_ == "ADP" and tok.dep_ == "pobj" else tok.head
    found = cues(lex.language)
    light = found.lemmas.get("light_noun", frozenset()) if found is not None else frozenset()
    if frame.pos_ != "NOUN" or lemma(frame).lower() not in light:
        return []
    return [ch for ch in frame.children if ch.dep_ in ("prep", "obl", "obl:mod", "nmod")
            and _case(ch) in lex.roles.get("target_cases", ())]


def _role_tokens(tok: Any, lex: Lexicon) -> tuple[list[Any], list[Any]]:
    """(doer tokens, target tokens) of the trigger token, by dependency; the case words ("by",
    "against", "contre") are the language's (`[roles]` of its lexicon file)."""
    words = lex.roles
    light = lex.light
    doers: list[Any] = []
    targets: list[Any] = []
    verb = tok
    children = list(verb.children)
    if tok.pos_ == "NOUN" and tok.dep_ in SUBJECT and tok.head.i != tok.i:
        # "clashes continued between A and B": the sides hang on the verb the act is subject of
        children += [ch for ch in tok.head.children if ch.dep_ in ("prep", "obl", "obl:mod")
                     and _case(ch) in words.get("between_cases", ())]
    children += _framed_targets(tok, lex)
    for ch in children:
        dep = ch.dep_
        if dep in SUBJECT:
            doers.append(ch)
        elif dep in PASSIVE_SUBJECT or dep in OBJECT:
            targets.append(ch)
        elif dep in ("agent", "obl:agent"):
            doers.extend([g for g in ch.children if g.dep_ == "pobj"] or [ch])
        elif dep in ("prep", "obl", "obl:mod", "nmod"):
            case = _case(ch)
            obj = next((g for g in ch.children if g.dep_ == "pobj"), None) if dep == "prep" else ch
            if obj is None:
                continue
            if case in words.get("agent_cases", ()):
                doers.append(obj)
            elif tok.pos_ == "NOUN" and case in words.get("between_cases", ()):  # "clashes between A and B"
                doers.append(obj)
                # "des combats entre A et B" parsed with B joined to the act: still its other side
                targets.extend([g for g in obj.children if g.dep_ == "conj"] or
                               [g for g in tok.children if g.dep_ == "conj" and g.i > obj.i])
            elif case in words.get("target_cases", ()) or \
                    (tok.pos_ == "NOUN" and case in words.get("noun_target_cases", ())):
                targets.append(obj)
        elif dep in ("poss", "nmod:poss") and tok.pos_ == "NOUN":
            doers.append(ch)
    # "un convoi de renforts de la Coalition", "a patrol of Russian forces": a moving force belongs to
    # the one named after "de"/"of" (past other force nouns: "renforts"), its doer
    forces = words.get("force_nouns", frozenset())
    if not doers and tok.pos_ == "NOUN" and {tok.lower_, lemma(tok).lower()} & forces:
        chain = [tok]
        for node in chain:
            for ch in node.children:
                noun = next((g for g in ch.children if g.dep_ == "pobj"), None) if ch.dep_ == "prep" else ch
                if noun is None or ch.dep_ not in ("nmod", "prep") or \
                        _case(ch) not in words.get("owner_cases", ()):
                    continue
                if {noun.lower_, lemma(noun).lower()} & forces and len(chain) < 4:
                    chain.append(noun)
                elif not doers:
                    doers = [noun]
    # "pushed into Rawa and retook the town", "attacked the base, killing three": the subject
    # of the verb this one is joined to
    # (never two joins up: that climb sat, misplaced, under the gerund rule below since c8a977a, so it
    # never ran; run again it costs seed 003's "ont poursuivi les assaillants" its target)
    if not doers and tok.dep_ in ("conj", "advcl", "xcomp") and tok.head is not tok:
        doers = [ch for ch in tok.head.children if ch.dep_ in SUBJECT]
    # "advancing into the city after taking full control of it": a gerund after a preposition has
    # the subject of the verb the preposition hangs on
    elif not doers and tok.dep_ == "pcomp" and tok.pos_ == "VERB" and tok.head.dep_ == "prep" \
            and tok.head.head.pos_ in ("VERB", "AUX"):
        doers = [ch for ch in tok.head.head.children if ch.dep_ in SUBJECT]
    if tok.pos_ == "NOUN":
        # "une attaque menée par des individus armés contre un point de contrôle"
        for part in (ch for ch in tok.children if ch.dep_ in ("acl", "amod") and ch.pos_ == "VERB"):
            more_doers, more_targets = _role_tokens(part, lex)
            doers += [d for d in more_doers if d is not tok]
            targets += [t for t in more_targets if t is not tok]
        # "X a mené des frappes", "X a indiqué avoir mené des frappes": the doer of a light verb
        # (`light`, on lemmas), not of any verb ("Biden condemned the attack")
        head = tok.head
        if not doers and tok.dep_.split(":")[0] in ("obj", "dobj", "obl") and head.pos_ in ("VERB", "AUX") \
                and light is not None and light.fullmatch(lemma(head)):
            for _ in range(3):
                doers = [ch for ch in head.children if ch.dep_ in SUBJECT]
                climbs = head.dep_.split(":")[0] in ("xcomp", "ccomp", "advcl", "conj")
                if doers or not climbs or head.head is head:
                    break
                head = head.head
    # "the attacks were carried out by F-15 jets", "des raids aériens menés par les forces de X": the
    # agent of the verb the act is subject of (only a passive has one)
    if not doers and tok.pos_ == "NOUN" and (tok.dep_ in PASSIVE_SUBJECT or tok.dep_ in SUBJECT):
        for ch in tok.head.children:
            if ch.dep_ in ("agent", "obl:agent"):
                doers.extend([g for g in ch.children if g.dep_ == "pobj"] or [ch])
    # "the forces which attacked": the noun the relative clause hangs on, for the relative pronoun
    # ("which", "qui"), not for a personal one ("Iran, which he vilified": "he" is someone else),
    # which then stands for its target
    relative = words.get("pronouns", frozenset()) - words.get("personal_pronouns", frozenset())
    if tok.dep_ in ("relcl", "acl:relcl") and targets and targets[0].lower_ in relative:
        targets = [tok.head]
    if doers and doers[0].lower_ in relative and tok.dep_ in ("relcl", "acl:relcl"):
        doers = [tok.head]
    # "Haftar's forces said they carried out": a pronoun stands for the speaker's subject
    elif doers and doers[0].lower_ in words.get("personal_pronouns", ()) and \
            tok.dep_.split(":")[0] in ("ccomp", "xcomp"):
        speaker = [ch for ch in tok.head.children
                   if ch.dep_ in SUBJECT and ch.lower_ not in words.get("pronouns", ())]
        doers = speaker or doers
    # "the town captured by ISIS": a participle on a noun targets that noun
    if not targets and tok.dep_ in ("acl", "amod") and tok.pos_ == "VERB":
        targets = [tok.head]
    return doers, targets


def parsed_roles(
    doc: Document, tok: Any, offset: int, actors: list[Actor], acts: list[tuple[int, int]],
    lex: Lexicon, territory: bool = False,
) -> tuple[Actor | None, Actor | None, bool, bool]:
    """(actor1, actor2, doer found, target found) from the parse. A
    phrase that names an act (`acts`: the sentence's trigger spans: "condemned the attack") is no
    actor; the object of taking territory is the ground taken, so only a known actor is its target
    ("reprendre à Daech une ville")."""

    def phrase(t: Any, target: bool) -> Actor | None:
        if target and territory:
            return None
        head = offset + t.idx  # the phrase's head noun names an act ("the attack"), not its modifiers
        if any(a <= head < b for a, b in acts):            # ("Iranian-backed forces")
            return None
        return _phrase_actor(doc, t, offset, lex.roles)

    doers, targets = _role_tokens(tok, lex)
    a1 = a2 = None
    for d in doers:
        if d.lower_ in lex.roles.get("latter_pronouns", ()) and d.pos_ != "NOUN":  # "ces derniers ont arrêté"
            a1 = last_named_before(doc, offset + d.idx)
            break
        if d.lower_ in lex.roles.get("personal_pronouns", ()):
            # "Haftar's forces said they carried out": the subject of the verb that reports the clause
            verb = d.head
            while verb.pos_ in ("NOUN", "PROPN") and verb.head.i != verb.i:  # "their strike": its verb
                verb = verb.head
            speaker = next((ch for ch in verb.head.children if ch.dep_ in SUBJECT
                            and ch.pos_ != "PRON"), None) \
                if verb.dep_ in ("ccomp", "xcomp") and verb.head.i != verb.i else None
            if speaker is not None:
                lo, hi = _core(speaker, offset)
                a1 = _first_actor(actors, lo, hi) or phrase(speaker, False)
            elif d.lower_ in lex.roles.get("person_pronouns", ()):  # "He vowed": the last person named
                a1 = _last_person(doc, offset)
            else:  # "They vowed": the last actor named before
                a1 = next((a for a in reversed(doc.actors) if a.end <= offset and a.name), None)
            break
        lo, hi = _core(d, offset)
        a1 = _first_actor(actors, lo, hi) or phrase(d, False)
        if a1:
            break
    if a1 is None and tok.pos_ in ("NOUN", "PROPN"):
        # "une frappe aérienne israélienne", "Turkish drone strikes": the adjective names the doer
        nouns = [tok, tok.head] if tok.dep_ == "compound" else [tok]
        nouns += [c for n in nouns for c in n.children if c.dep_ in ("nmod", "compound") and c.pos_ == "NOUN"]
        adjectives = (c for n in nouns for c in n.children
                      if c.dep_ == "amod" or (c.dep_ == "acl" and c.pos_ == "ADJ"))
        for ch in adjectives:
            a1 = demonym_actor(ch.text, offset + ch.idx, offset + ch.idx + len(ch.text), lex.language)
            if a1 is not None:
                break
    for t in targets:
        lo, hi = _core(t, offset)
        a2 = _first_actor(actors, lo, hi) or phrase(t, True)
        if a2 is not None and a2.sector is None and a2.country is not None and \
                {t.lower_, lemma(t).lower()} & lex.roles.get("place_nouns", frozenset()):
            a2 = None  # "capturing Iraq's second-largest city": the ground's country, not the other side
            continue
        if a2 and (a1 is None or a2.start != a1.start):
            break
        a2 = None
    return a1, a2, bool(doers), bool(targets)


def parsed_victims(doc: Document, tok: Any, offset: int, actors: list[Actor], lex: Lexicon) -> Actor | None:
    """Who the sentence says died or was hurt in the act ("Deux membres des FDS ont perdu la vie
    … lorsqu'un engin explosif a explosé", "two soldiers were killed in a drone strike", "the death
    of two servicemen in ISIS shelling"): the target of an act whose own phrase names none. Read
    on the parse: the passive subject of a toll verb (`toll_triggers`), the subject of "lose one's
    life" (`[roles] life_nouns`), the noun after "death of" (`[roles] death_nouns`)."""
    life, death = lex.roles.get("life_nouns", frozenset()), lex.roles.get("death_nouns", frozenset())
    for t in tok.sent:
        victim = None
        verb = t.pos_ in ("VERB", "AUX")
        if verb and lex.toll_word(t.text):
            victim = next((ch for ch in t.children if ch.dep_ in PASSIVE_SUBJECT), None)
            if victim is None and t.dep_ in ("acl", "amod") and t.head.pos_ in ("NOUN", "PROPN"):
                victim = t.head  # "fighters killed in an airstrike", "des civils tués dans"
        elif verb and life and any(ch.dep_ in OBJECT and ch.lower_ in life for ch in t.children):
            victim = next((ch for ch in t.children if ch.dep_ in SUBJECT), None)
        elif t.pos_ == "NOUN" and t.lower_ in death:
            victim = next((g for ch in t.children for g in ([ch] if ch.dep_ == "nmod" else
                           [x for x in ch.children if x.dep_ == "pobj"] if ch.dep_ == "prep" else [])), None)
        if victim is None or victim.lower_ in lex.roles.get("pronouns", ()):
            continue
        lo, hi = _core(victim, offset)
        return _first_actor(actors, lo, hi) or _phrase_actor(doc, victim, offset, lex.roles)
    return None


def _other(actors: list[Actor], source: Actor | None) -> Actor | None:
    """The first of `actors` that is not `source`."""
    key = (source.name or source.text) if source is not None else None
    return next((x for x in actors if (x.name or x.text) != key), None)


MAX_JOIN_WORDS = 4


def _unjoined(doc: Document, after: list[Actor], doer: Actor) -> list[Actor]:
    """`after` without the actors joined to the doer's own phrase by "و" ("حررت قوات عراقية من الجيش
    والحشد الشعبي … من سيطرة داعش": the PMF are among the doers, not the target)."""
    out, chain_end = [], doer.end
    for a in after:
        gap = doc.text[chain_end:a.start]
        if chain_end <= a.start and gap.rstrip().endswith("و") and len(gap.split()) <= MAX_JOIN_WORDS:
            chain_end = a.end
            continue
        out.append(a)
    return out


def ordered_roles(
    doc: Document, actors: list[Actor], start: int, end: int, arabic: bool,
    agent: re.Pattern[str] | None = None, light: re.Pattern[str] | None = None,
    sentence_start: int | None = None, clause_start: int | None = None,
    object_nouns: frozenset[str] = frozenset(),
    between: frozenset[str] = frozenset(),
    toll: bool = False,
) -> tuple[Actor | None, Actor | None]:
    """Roles by position. The language's agent words (`agent`, on normalised text: "by X",
    "من قبل X") name the doer. Arabic is verb-first: the doer follows a light verb (`light`: نفذت
    الولايات المتحدة … ضربات, هجوم نفذته خلايا داعش) or a trigger that opens its clause (حررت قوات
    عراقية …); otherwise, as in the other languages, the doer is the actor before the trigger."""
    before = [a for a in actors if a.end <= start]
    after = [a for a in actors if a.start >= end]
    for a in after:
        if agent is not None and agent.search(normalise(doc.text[max(end, a.start - 16) : a.start]).text):
            target = before[-1] if before else next((x for x in after if x is not a), None)
            return a, target
    if arabic:
        lo = start if sentence_start is None else sentence_start
        head = normalise(doc.text[lo:start]).text.split()[-12:]
        tail = normalise(doc.text[end:end + 40]).text.split()
        if light is not None and any(light.fullmatch(w) for w in tail[:2]):
            # "غارة شنتها مسيرة إسرائيلية": the doer follows the light verb, or is not named
            if after:
                return after[0], (before[-1] if before else _other(after[1:], after[0]))
            return None, (before[-1] if before else None)
        said = re.sub(r"^[وف]?(?:[بلك])?(?:ال)?", "", normalise(doc.text[start:end]).text.split()[0])
        if said in object_nouns and after and len(doc.text[end:after[0].start].split()) <= 1:
            return None, after[0]  # "قصف الحشد الشعبي": what is shelled; the doer is told elsewhere
        def after_light(a: Actor) -> bool:
            words = normalise(doc.text[max(lo, a.start - 20):a.start]).text.split()[-3:]
            return light is not None and any(light.fullmatch(w) for w in words)

        if light is not None and any(light.fullmatch(w) for w in head):
            lit = [a for a in before if after_light(a)]
            if lit:
                return lit[0], _other(after, lit[0])
        clause = normalise(doc.text[start if clause_start is None else clause_start:start]).text.split()
        opens = not [w for w in clause if w not in ("و", "ف")]
        # the clause's subject right before its verb ("إن تنظيم داعش هاجم حاجزا"): SVO
        subject = [a for a in before if clause_start is not None and a.start >= clause_start]
        if subject and len(normalise(doc.text[subject[-1].end:start]).text.split()) <= 1:
            return subject[-1], _other(after, subject[-1])
        if toll and after and normalise(doc.text[end:after[0].start]).text.split()[-1:] == ["من"]:
            # "مقتل عنصرين من حزب الله", "قتل عنصر من قسد": the dead are of this actor
            return _other(after[1:], after[0]), after[0]
        if after and (opens or len(doc.text[end : after[0].start].split()) <= 2):
            return after[0], _other(_unjoined(doc, after[1:], after[0]), after[0])
    # French and English put the doer first: an actor told after the act is what it acts on (a
    # doer after it is introduced by "by", "par", read above, or is the first of the two sides of
    # "clashes between A and B"); Arabic, verb-first, the reverse
    if before:
        source: Actor | None = _list_head(before, doc.text)
    elif after and (arabic or between & set(normalise(doc.text[end:after[0].start]).text.split())):
        source = after[0]
    else:
        source = None
    target = next(
        (x for x in after if source is None or (x.name or x.text) != (source.name or source.text)), None
    )
    return source, target


_LIST_GLUE = re.compile(r"^(?=.*(?:,|\band\b|\bet\b|\sو))[^.;:!?؟«»\"“”]{0,70}$", re.IGNORECASE)
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|has|have|had|said|says|ont|a|est|sont|qui|who|which|that)\b", re.IGNORECASE
)


def _list_head(before: list[Actor], text: str) -> Actor:
    """ "The SAA, the Republican Guard and the NDF seized…": a list's doer is its first member."""
    while len(before) >= 2:
        glue = text[before[-2].end : before[-1].start]
        if not (_LIST_GLUE.match(glue) or not glue.strip(" (")) or _VERBISH.search(glue):
            break
        before = before[:-1]
    return before[-1]


def parsed_place(
    doc: Document, tok: Any, offset: int, places: list[Place], exclude: list[tuple[int, int]],
    where: Callable[[Place], bool] | None = None,
) -> Place | None:
    """A place inside the trigger's own phrase (not inside its subject: "Damascus said…"): one
    told as where (`where`: "in", "à") before one that is an object ("struck Syria"), a town
    before its country; the first after the trigger."""
    lo, hi = _span(tok, offset)
    inside = [
        p
        for p in places
        if lo <= p.start and p.end <= hi and not any(a <= p.start and p.end <= b for a, b in exclude)
    ]
    resolved = [p for p in inside if p.lat is not None] or inside
    if where is not None:
        told = [p for p in resolved if where(p)]
        if told and all(_country(p) for p in told):
            # the town the act is done to before a country told as where ("capturé Ras al-Aïn,
            # ville frontalière de la Turquie", "stormed Tal Abyad in Syria")
            told = [p for p in resolved if not _country(p) and _object_of(tok, p, offset)] or told
        resolved = told or resolved
    resolved = [p for p in resolved if not _country(p)] or resolved
    if not resolved:
        return None
    at = offset + tok.idx
    after = [p for p in resolved if p.start >= at]
    return after[0] if after else resolved[-1]


def _country(p: Place) -> bool:
    return (p.feature or "").startswith("PCL")


def _place_root(tok: Any, p: Place, offset: int) -> Any:
    """The word of `p` (inside the trigger's subtree) whose head lies outside it, or None."""
    return next((w for w in tok.subtree if p.start <= offset + w.idx < p.end
                 and not p.start <= offset + w.head.idx < p.end), None)


def _object_of(tok: Any, p: Place, offset: int) -> bool:
    """Whether `p` is what the trigger's verb acts on: its direct object, or a bare noun phrase the
    French parser attaches as an oblique ("avait capturé samedi Ras al-Aïn"), or named in one ("the
    town of X")."""
    w = _place_root(tok, p, offset)
    for _ in range(4):
        if w is None or w.i == tok.i:
            return False
        if w.head.i == tok.i:
            return w.dep_ in ("obj", "dobj") or (
                w.dep_.startswith("obl") and not any(c.dep_ == "case" for c in w.children))
        if w.dep_ not in ("pobj", "prep", "nmod", "appos", "compound", "flat", "flat:name"):
            return False
        w = w.head
    return False


def attached_where(tok: Any, p: Place, offset: int) -> bool:
    """Whether `p` is told as where the trigger's own act was done: a dependent of its word ("warned
    Turkey in Amman", "a menacé à Amman"), or of a clause before it that sets the scene ("Speaking in
    Amman, he warned"), not a place inside what is said or discussed ("discuteraient du blocage du
    Bosphore", "warned … after fire from eastern Syria")."""
    w = _place_root(tok, p, offset)
    if w is None or w.i == tok.i:
        return False
    if w.dep_ == "pobj":  # English: the place hangs on its preposition
        w = w.head
    if w.head.i != tok.i and w.head.dep_ == "advcl" and w.head.i < tok.i:
        w = w.head  # a clause told before the act sets its scene ("Speaking in Amman, he warned")
    return w.head.i == tok.i


# "the US-backed coalition", "Iran-aligned Houthis": a place before one of these names who, not where
RELATION_AFTER = re.compile(
    r"-(?:backed|led|aligned|allied|based|affiliated|supported|sponsored|funded|linked)\b", re.IGNORECASE)
_MODIFIER_DEPS = ("compound", "npadvmod", "amod", "nmod", "poss", "nmod:poss")


def modifier_places(doc: Document, places: list[Place], sentence: Any, offset: int,
                    lex: Lexicon) -> set[tuple[int, int]]:
    """Spans of the places a sentence uses as modifiers, not as where: a country before a noun
    ("a US civilian contractor", "US officials": compound in the parse, unless the noun is a place
    noun, "the Syria border") and any place before "-backed", "-led" ("US-backed forces")."""
    nouns = lex.roles.get("place_nouns", frozenset())
    out = set()
    for p in places:
        if RELATION_AFTER.match(doc.text, p.end):
            out.add((p.start, p.end))
            continue
        if sentence is None or not (p.feature or "").startswith("PCL"):
            continue
        words = [w for w in sentence if p.start <= offset + w.idx < p.end]
        if not words:
            continue
        root = next((w for w in words if not p.start <= offset + w.head.idx < p.end), words[-1])
        head = root.head
        if root.dep_ in _MODIFIER_DEPS and head.i != root.i and head.pos_ in ("NOUN", "PROPN") and \
                head.i > root.i and lemma(head).lower() not in nouns:
            out.add((p.start, p.end))
    return out
