"""Did it happen? The decision that turns a candidate trigger into an event, or into a trap.

A trigger word is only a candidate: "will attack", "threatened to strike", "accused X of
shelling", "the US-backed SDF", "the battle for Deir ez-Zor" name acts that did not take place as
stated (EVENTS.md §1). For French and English the decision reads spaCy's parse of the sentence:
the trigger's auxiliaries (will, could, aller), its mood and tense (futur, conditionnel), its
negation, a condition (if, si) and the verb that governs it (threaten, plan, accuse, deny, demand).
Arabic, which has no parser offline, uses patterns before the trigger and on the trigger word
itself (سيهاجم). Each cue is also a feature of the trained classifier (`furat.events.classify`),
which takes the final decision when its model is shipped; the rules are its fallback and its
strongest features.

Per-language words live in `furat/data/events/<lang>.toml`, section `[decision]`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from furat.events.syntax import lemma
from furat.textnorm import normalise

EVENT = "event"
# A count over a whole war or years ("since 2011", "depuis le début de la guerre"): a trend the
# event classifier was never shown, so it may not overrule it (furat.events.extract.happened)
TREND = "t:trend"
TRAPS = ("future", "hypothetical", "negated", "generic", "topic", "state", "threatened", "accused", "denied")
# Types whose trigger states a relation more often than an act ("US-backed", "soutenues par").
RELATIONS = {"SUPPORT", "AID", "COOPERATE"}
WINDOW_WORDS = 8
CLAUSE_BREAK = re.compile(r"[,;:،؛()]|\s[-–—]\s")
# governing-verb classes, in the order they are looked for, and the trap each one makes
GOVERNORS = (
    ("threaten", "threatened"),
    ("accuse", "accused"),
    ("deny", "denied"),
    ("demand", "threatened"),
    ("plan", "future"),
    ("modal_verb", "hypothetical"),
)
WORD_CLASSES = (
    "future",
    "modal",
    "condition",
    "negation",
    "threaten",
    "accuse",
    "deny",
    "demand",
    "generic",
    "trend",
    "topic",
    "state",
    "allegation",
    "not_trigger",
    "negation_cancel",
)


def _whole_word(text: str, start: int, end: int) -> str:
    """The trigger's last word whole (a match may stop inside it: "قصف" in "قصفت")."""
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].split()[-1] if text[start:end].split() else ""


@dataclass(frozen=True)
class Cues:
    language: str
    lemmas: dict[str, frozenset[str]]
    words: dict[str, re.Pattern[str]]
    future_prefix: re.Pattern[str] | None
    present_prefix: re.Pattern[str] | None
    perfect: re.Pattern[str] | None = None  # a verb's past form ("قصفت", "هددوا"): told as done


@cache
def cues(language: str) -> Cues | None:
    path = resources.files("furat").joinpath(f"data/events/{language}.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("decision", {})
    arabic = language == "ar"

    def pattern(items: list[str]) -> re.Pattern[str] | None:
        if not items:
            return None
        body = "|".join(normalise(p, lower=False).text if arabic else p for p in items)
        prefix = r"(?:[وف])?(?:[بل])?" if arabic else ""
        return re.compile(rf"(?<![\w-]){prefix}(?:{body})(?![\w])", re.IGNORECASE)

    lemmas = {k[: -len("_lemmas")]: frozenset(v) for k, v in data.items() if k.endswith("_lemmas")}
    lemmas["condition_marks"] = frozenset(data.get("condition_marks", []))
    words = {
        name: p for name in WORD_CLASSES if (p := pattern(data.get(f"{name}_words") or data.get(name, [])))
    }
    fut = data.get("future_prefix")
    pres = data.get("present_prefix")
    return Cues(
        language,
        lemmas,
        words,
        re.compile(rf"^(?:[وف])?(?:{'|'.join(fut)})") if fut else None,
        re.compile(rf"^(?:[وف])?(?:{'|'.join(pres)})") if pres else None,
        re.compile(data["perfect"]) if data.get("perfect") else None,
    )


def clause_before(text: str, at: int, words: int = WINDOW_WORDS) -> str:
    """The words before `at` in its clause, at most `words` of them."""
    head = text[:at]
    breaks = list(CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end() :]
    return " ".join(head.split()[-words:])


@dataclass
class Decision:
    label: str  # "event" or one of TRAPS
    alleged: bool  # told as unconfirmed (certainty "hedged")
    features: list[str]
    probability: float | None = None  # the trained classifier's P(event), when its model ships


def _covers(pattern: re.Pattern[str], norm: str, start: int, end: int) -> bool:
    """Whether a match of `pattern` holds the trigger at [start, end): "heart attack", "in March"
    are no attack and no march, but "March 3" near "captured" says nothing of the capture."""
    lo = max(0, start - 40)
    return any(lo + m.start() < end and lo + m.end() > start for m in pattern.finditer(norm[lo : end + 40]))


def decide(language: str, plover: str, norm: str, start: int, end: int, token: Any | None = None) -> Decision:
    """The decision on the trigger at [start, end) of the normalised sentence `norm`; `token` is
    the trigger's spaCy token when the sentence was parsed."""
    c = cues(language)
    feats = [f"type={plover}", f"lang={language}"]
    if c is None:
        return Decision(EVENT, False, feats)
    window = clause_before(norm, start)
    before = norm[:start]
    trigger = norm[start:end]
    after = norm[end : end + 40]
    if "not_trigger" in c.words and _covers(c.words["not_trigger"], norm, start, end):
        return Decision("not_trigger", False, [*feats, "t:not_trigger"])
    found: dict[str, str] = {}
    for name, p in c.words.items():
        if name in ("not_trigger", "negation_cancel"):
            continue
        if p.search(window):
            found[name] = "window"
            feats.append(f"w:{name}")
        elif p.search(before):
            found.setdefault(name, "sentence")
            feats.append(f"s:{name}")
    # "ما تسمى جماعة …" (so-called), "sans que": a negation word that negates nothing
    if "negation" in found and "negation_cancel" in c.words and c.words["negation_cancel"].search(before):
        feats.remove(("w:" if found.pop("negation") == "window" else "s:") + "negation")
    if "state" in c.words and c.words["state"].search(" ".join((trigger + " " + after[:12]).split())):
        feats.append("t:state")
    if "topic" in c.words and c.words["topic"].search(norm[max(0, start - 30) : end + 15]):
        feats.append("t:topic")
    if c.future_prefix is not None and c.future_prefix.match(trigger):
        feats.append("t:future_prefix")
    elif c.present_prefix is not None and c.present_prefix.match(trigger):
        feats.append("t:present_prefix")
    # the verb of a phrase is its first word ("وحملت الكتائب … عواقب"), a single word is whole
    if c.perfect is not None and (c.perfect.fullmatch(_whole_word(norm, start, end)) or
                                  c.perfect.fullmatch(trigger.split()[0] if trigger.split() else "")):
        feats.append("t:perfect")
    alleged = "allegation" in found
    label = EVENT
    if token is not None:
        syn, syn_feats = _syntax(c, token, plover)
        feats += syn_feats
        label = syn
        if "s:cnd_perfect" in syn_feats:
            alleged = True
        if label == EVENT and token.pos_ not in ("VERB", "AUX"):
            # a nominal trigger in a wider phrase: "la prochaine vague d'attaques", "risque … des roquettes"
            label = _wide_trap(c, norm, start, feats) or label
        if (
            label == EVENT
            and "generic" in c.words
            and c.words["generic"].search(" ".join((_opening(norm, start), clause_before(norm, start),
                                                    norm[start : end + 40])))
        ):
            label = "generic"  # "a lancé ses attaques ces derniers temps", "carries out attacks regularly"
    else:
        label = _window_rule(plover, found, feats)
        if label == EVENT and c.perfect is not None and not {"t:perfect", "t:present_prefix"} & set(feats):
            # a verbal noun, not a verb: a future or a condition further back in the sentence
            # frames it too ("متوقعة تكثيف الكيان خلال الأشهر المقبلة، غاراته", "في حال شنها للحرب …
            # إن طاولتهم يد الاعتداءات"), as for French and English nouns above, but across commas:
            # without a parse the clause a comma ends is no boundary to trust
            label = _wide_trap(c, norm, start, feats, across=True) or label
            # "تعاونهم بالغارات كلما تخاذلوا" (whenever): a habit told after the act, as in French
            # and English above
            if label == EVENT and "generic" in c.words and c.words["generic"].search(after):
                label = "generic"
                feats.append("a:generic")
            # "الضربة الإسرائيلية لو حدثت": the condition follows the noun it frames
            if label == EVENT and "condition" in c.words and \
                    c.words["condition"].search(" ".join(after.split()[:3])):
                label = "hypothetical"
                feats.append("a:condition")
    if label == EVENT and "t:state" in feats and plover in RELATIONS:
        label = "state"
    if label == EVENT and "t:topic" in feats and token is None:
        label = "topic"
    if label == EVENT and "trend" in c.words and c.words["trend"].search(f"{before}{trigger} {after}"):
        label = "generic"  # "330,000 have been killed since the conflict began": a whole war's toll
        feats.append(TREND)
    return Decision(label, alleged, feats)


MAX_OPENING_WORDS = 6


def _opening(norm: str, start: int) -> str:
    """A sentence's opening adverbial, when the trigger comes after it: "Over the past decade, these
    insurgencies have … displaced" scopes the whole clause that follows ("" otherwise)."""
    head = CLAUSE_BREAK.search(norm, 0, start)
    if head is None or len(norm[:head.start()].split()) > MAX_OPENING_WORDS:
        return ""
    return norm[:head.start()]


def _wide_trap(c: Cues, norm: str, start: int, feats: list[str], across: bool = False) -> str | None:
    """The trap a future, condition or modal word sets on a nominal trigger from up to 25 words
    before it in its clause (`across`: in its sentence): a noun has no tense to say it happened."""
    wide = " ".join(norm[:start].split()[-25:]) if across else clause_before(norm, start, words=25)
    for name, trap in (("future", "future"), ("condition", "hypothetical"), ("modal", "hypothetical")):
        if name in c.words and c.words[name].search(wide):
            feats.append(f"wide:{name}")
            return trap
    return None


def _window_rule(plover: str, found: dict[str, str], feats: list[str]) -> str:
    """The decision from patterns alone (Arabic, or a sentence that could not be parsed)."""
    near = {k for k, v in found.items() if v == "window"}
    if "t:future_prefix" in feats:
        return "future"
    for name, label in (
        ("negation", "negated"),
        ("deny", "denied"),
        ("threaten", "threatened"),
        ("accuse", "accused"),
        ("demand", "threatened"),
        ("future", "future"),
        ("condition", "hypothetical"),
        ("modal", "hypothetical"),
    ):
        if name in near:
            if name == "threaten" and plover == "THREATEN":
                continue
            if name in ("accuse", "deny", "demand") and plover in ("ACCUSE", "REJECT", "REQUEST"):
                continue
            return label
    if "generic" in near:
        return "generic"
    return EVENT


# -- French and English: the parse ----------------------------------------------------------

_CLAUSAL = {
    "xcomp",
    "ccomp",
    "advcl",
    "acl",
    "pcomp",
    "pobj",
    "prep",
    "obl",
    "obj",
    "dobj",
    "nmod",
    "acl:relcl",
    "csubj",
    "case",
    "mark",
    "appos",
    "obl:arg",
    "obl:mod",
    "nmod:poss",
}


def _neg(tok: Any, negation: re.Pattern[str] | None) -> bool:
    """A negation among the token's dependents: by the parse, or a negation word of the language
    ("aucune attaque", "no attack")."""
    return any(
        ch.dep_ == "neg"
        or "Neg" in ch.morph.get("Polarity")
        or (negation is not None and negation.fullmatch(ch.lower_))
        for ch in tok.children
    )


def _aux(tok: Any) -> list[Any]:
    return [
        ch
        for ch in tok.children
        if ch.dep_ in ("aux", "aux:tense", "aux:pass", "auxpass") and ch.tag_ != "TO" and ch.lower_ != "to"
    ]


def _going_on(verb: Any, L: dict[str, frozenset[str]]) -> bool:
    """"pressed on with their assault", "pushed ahead": a particle that makes the verb a going-on,
    not a demand (`continuation_particle_lemmas`); "se demander comment reprendre": a reflexive that
    makes it a wondering (`reflexive_wonder_lemmas`, `reflexive_pronoun_lemmas`)."""
    particles = L.get("continuation_particle", frozenset())
    if any(ch.dep_ in ("prt", "compound:prt") and ch.lower_ in particles for ch in verb.children):
        return True
    reflexive = L.get("reflexive_pronoun", frozenset())
    return lemma(verb) in L.get("reflexive_wonder", frozenset()) and \
        any(ch.lower_ in reflexive for ch in verb.children)


def _governor(L: dict[str, frozenset[str]], word: str, plover: str) -> tuple[str, str] | None:
    """(class, trap) when `word` (a lemma) is a verb that makes what it governs no event."""
    for cls, label in GOVERNORS:
        if word in L.get(cls, frozenset()):
            if (cls == "threaten" and plover == "THREATEN") or (
                cls in ("accuse", "deny", "demand") and plover in ("ACCUSE", "REJECT", "REQUEST")
            ):
                continue
            return cls, label
    return None


def _syntax(c: Cues, tok: Any, plover: str) -> tuple[str, list[str]]:
    """(label, features) from the trigger token's place in the parse."""
    L = c.lemmas
    negation = c.words.get("negation")
    feats = [f"pos={tok.pos_}", f"dep={tok.dep_.split(':')[0]}"]
    for key in ("Tense", "Mood", "VerbForm"):
        if v := tok.morph.get(key):
            feats.append(f"{key}={v[0]}")
    verbal = tok.pos_ in ("VERB", "AUX")
    if not verbal and tok.head is not tok and lemma(tok.head).lower() in L.get("realized_nouns", frozenset()):
        feats.append("gov=realized")  # "le lancement de l'opération militaire", "the start of the offensive"
    # a nominal trigger takes the verb it is the subject or object of; hung on a time word between
    # them ("a mené samedi des frappes": "frappes" under "samedi") or on a light noun that only frames
    # it ("ont lancé le processus de réconciliation", "launched a campaign of arrests"), it takes
    # the verb above that word
    clause, head = tok, tok.head
    frame = head.head if head.pos_ == "ADP" and tok.dep_ == "pobj" else head  # English "campaign of arrests"
    if not verbal and frame.pos_ in ("NOUN", "PROPN", "ADV") and frame.head is not frame \
            and (frame.lower_ in L.get("time_noun", frozenset())
                 or lemma(frame).lower() in L.get("light_noun", frozenset())) \
            and frame.head.pos_ in ("VERB", "AUX"):
        head = frame.head
    if (
        not verbal
        and tok.dep_.split(":")[0] in ("nsubj", "nsubjpass", "obj", "dobj", "obl", "pobj", "nmod")
        and head.pos_ in ("VERB", "AUX")
    ):
        clause = head
        feats.append("noun_of_verb")
        # the verb's own tense tells whether the act it names took place ("le convoi est entré")
        feats += [f"head_{k}={v[0]}" for k in ("Tense", "Mood", "VerbForm") if (v := clause.morph.get(k))]
    aux = _aux(clause)
    aux_lemmas = {lemma(a) for a in aux}
    feats += [f"aux={a}" for a in sorted(aux_lemmas)]
    # "future attacks", "toute attaque", "aucune attaque": the words right before a nominal trigger
    if not verbal:
        for ch in tok.children:
            if ch.i < tok.i and ch.dep_ in ("amod", "det"):
                for name, label in (("future", "future"), ("modal", "hypothetical"), ("negation", "negated")):
                    if name in c.words and c.words[name].fullmatch(ch.lower_):
                        return label, [*feats, f"mod={name}"]
    cancelled = "negation_cancel" in c.words and c.words["negation_cancel"].search(
        " ".join(t.lower_ for t in tok.doc[max(0, clause.i - 8) : clause.i])
    )
    if (_neg(clause, negation) or (clause is not tok and _neg(tok, negation))) and not cancelled:
        return "negated", [*feats, "neg"]
    marks = {ch.lower_ for ch in clause.children if ch.dep_ == "mark"}
    if marks & L.get("condition_marks", frozenset()):
        return "hypothetical", [*feats, "mark:if"]
    if aux_lemmas & L.get("future_aux", frozenset()) or "Fut" in clause.morph.get("Tense"):
        return "future", [*feats, "future"]
    moods = [m for a in [clause, *aux] for m in a.morph.get("Mood")]
    if "Cnd" in moods:
        perfect = any(lemma(a) in ("avoir", "être") and "Cnd" in a.morph.get("Mood") for a in aux)
        if perfect:  # "auraient tué": journalistic conditional, an unconfirmed report
            feats.append("s:cnd_perfect")
        else:
            return "hypothetical", [*feats, "conditional"]
    if aux_lemmas & L.get("modal_aux", frozenset()):
        return ("future" if "would" in aux_lemmas else "hypothetical"), [*feats, "modal"]
    # the verb that governs it: "threatened to attack", "accused X of attacking", "va attaquer"
    governed = clause is not tok and not tok.dep_.startswith("nsubj")  # "frappes … ont visé": its doer
    if governed and not _going_on(clause, L) and (g := _governor(L, lemma(clause), plover)):
        return g[1], [*feats, f"gov={g[0]}"]  # "threatened an attack", "denied the attack"
    node, hops = clause, 0
    infinitive = "Inf" in clause.morph.get("VerbForm") and not aux
    realized = None  # "ont réussi à reconquérir", "continued to shell": the governing verb tells
    while (
        node.dep_.split(":")[0] in {d.split(":")[0] for d in _CLAUSAL} and node.head is not node and hops < 4
    ):
        node, hops = node.head, hops + 1
        word = lemma(node)
        if not _going_on(node, L) and (g := _governor(L, word, plover)):
            return g[1], [*feats, f"gov={g[0]}"]
        if hops == 1 and infinitive and node.pos_ in ("VERB", "AUX", "ADJ"):
            if word in L.get("future_aux", frozenset()):
                return "future", [*feats, "gov=future_aux"]
            if word in L.get("modal_aux", frozenset()):
                return "hypothetical", [*feats, "gov=modal"]
            if word not in L.get("realized", frozenset()):
                return "future", [*feats, "gov=purpose"]
            realized = node
            break
        if (
            node.pos_ in ("VERB", "AUX")
            and hops >= 1
            and not infinitive
            and node.dep_ not in ("xcomp", "ccomp")
        ):
            break
    if realized is not None:
        gov_aux = {lemma(a) for a in _aux(realized)}
        if _neg(realized, negation):
            return "negated", [*feats, "gov=realized", "neg"]
        if gov_aux & L.get("future_aux", frozenset()) or "Fut" in realized.morph.get("Tense"):
            return "future", [*feats, "gov=realized", "future"]
        feats.append("gov=realized")
    elif infinitive and clause.dep_ in ("xcomp", "advcl", "acl") and not aux:
        return "future", [*feats, "purpose"]
    present = tok.tag_ == "VBZ" or (tok.tag_ == "VBP" and tok.lower_ == lemma(tok)  # not "retook"
                                     and tok.lower_ not in L.get("past_form", frozenset()))
    if c.language == "en" and verbal and present and not aux:
        return "generic", [*feats, "present"]  # "ISIS cells carry out attacks", "the unrest threatens"
    if not any(t.pos_ in ("VERB", "AUX") for t in tok.doc) and len(tok.doc) < 10:
        return "topic", [*feats, "heading"]  # "Arrests and removal of tents", "Début du retrait américain"
    return EVENT, feats
