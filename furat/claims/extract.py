"""Claims from reporting cues: who says what, by which word, how surely (CLAIMS.md).

Each sentence (the events stage's split, `furat.events.extract.sentences`) is searched for the
cues of its language (`furat.claims.lexicon`). A cue gives the stance; around it:

- an attribution phrase ("selon X, …", "…, according to X", "بحسب X فإن …"): the speaker follows
  the cue up to a comma, the content is the other side of the sentence;
- a reporting verb: the speaker is its subject (spaCy's parse for French and English when the
  events stage parsed the sentence, else the noun phrase before the verb, or after it in Arabic
  "وقال المصدر إن …" and in inverted quotes "« … », a déclaré X"); the content is the clause after
  the verb ("X said (that) …") or the quote before it ("« … », a-t-il ajouté");
- a participle after a comma ("…, affirmant que …", "مؤكداً أن") continues the previous claim's
  speaker; a pronoun ("il", "he", "a-t-elle précisé") is the last speaker named.

The rules are surface rules with the parse as a guide, so that Arabic (no parser ships offline)
gets the same shape, and a sentence the events stage did not parse costs nothing more.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from furat.claims.lexicon import ClaimLexicon, claim_lexicon
from furat.claims.spans import (
    QUOTES_CLOSE,
    QUOTES_OPEN,
    inside,
    n_words,
    quotation_at,
    quotations,
    search_norm,
    trim,
    trim_content,
)
from furat.events.extract import sentences
from furat.model import Document
from furat.textnorm import normalise

MAX_SPEAKER_WORDS = 14
MIN_CONTENT_WORDS = 2
# quote marks, an apostrophe only when it stands alone ("d'anonymat" holds none)
_QUOTE = re.compile(r"[«»“”\"„]|(?<!\w)'|'(?!\w)")
_QUOTE_END = re.compile(r"(?:[»”\"]|(?<!\w)'|(?<=\w[.!?])')\W*$")
_VIA_FR = re.compile(r"^\s*(?:à|a)\s+((?:l['’]|la |le |les )?(?:agence\s+)?"
                     r"[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3})")
_VIA_EN = re.compile(r"^\s*((?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")
_VIA_AR = re.compile(r"\s(?:ل|لـ\s?)(وكال[ةه]|قنا[ةه]|صحيف[ةه]|موقع|شبك[ةه])\S*(?:\s+\S+){0,3}")
_IN_A = re.compile(r"^\s+(?:in|on)\s+(?:a|an|the|its|his|her|their)\s+(?:\w+\s+){0,2}?"
                   r"(?:statement|tweet|video|interview|post|briefing|communiqu[ée]|message|speech)\b")
_FR_IN = re.compile(r"^\s+(?:dans|par)\s+(?:un|une)\s+"
                    r"(?:communiqu[ée]|d[ée]claration|message|vid[ée]o|tweet)\b")
_AR_IN = re.compile(r"^\s+في\s+بيان\b")


@dataclass
class Found:
    """A claim as offsets into the document, before it becomes a `Claim`."""

    cue: tuple[int, int]
    stance: str
    content: tuple[int, int]
    speaker: tuple[int, int] | None
    sentence: tuple[int, int]
    pronoun: bool = False  # the speaker is a pronoun: the last speaker named is meant
    via: tuple[int, int] | None = None
    hedge: tuple[int, int] | None = None
    lang: str = ""
    forward: bool = False  # "Avia.pro écrit :" — the content is the quote that follows
    kind: str = "verb"  # the cue's kind: "verb" or "attribution" ("selon X")


@dataclass
class _Cue:
    start: int  # offsets in the sentence
    end: int
    stance: str
    kind: str  # "verb" | "attribution"


def _cues(lex: ClaimLexicon, norm: str) -> list[_Cue]:
    found = []
    for m in lex.verbs.finditer(norm):
        stance = next(k for k, v in m.groupdict().items() if v is not None)
        found.append(_Cue(m.start(), m.end(), stance, "verb"))
    if lex.attribution is not None:
        for m in lex.attribution.finditer(norm):
            found.append(_Cue(m.start(), m.end(), "assert", "attribution"))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Cue] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def _stance(lex: ClaimLexicon, stance: str, content: str) -> str:
    """The cue's stance, or for a plain "assert" what its content does: warn, accuse, demand or
    speculate."""
    if stance != "assert" or not lex.content_stance:
        return stance
    norm = normalise(content).text
    for kind in ("warn", "accuse", "demand", "speculate"):
        pattern = lex.content_stance.get(kind)
        if pattern is not None and pattern.search(norm):
            return kind
    return stance


def _is_cue(lex: ClaimLexicon, raw: str, norm: Any, cue: _Cue) -> bool:
    """Whether a match of the cue patterns is a reporting cue here."""
    if _inside_content(lex, norm.text, cue):
        return False
    if cue.kind == "verb" and lex.passive is not None and lex.passive.search(norm.text, 0, cue.start):
        return False  # "a été revendiquée", "was reported": a passive participle, no cue
    if cue.kind == "verb" and lex.agent is not None and lex.agent.match(norm.text, cue.end):
        return False  # "revendiqué par le PKK", "confirmed by both": a participle with its agent
    if cue.kind == "attribution" and lex.not_source is not None and lex.not_source.match(norm.text, cue.end):
        return False  # "selon le calendrier", "according to the plan": a rule followed, no source
    if cue.kind == "verb" and lex.noun_before is not None and lex.noun_before.search(norm.text, 0, cue.start):
        return False  # "Trump's warning", "his stated objective", "un démenti": a noun or an adjective
    cs, ce = norm.to_original(cue.start, cue.end)
    return not (raw[cs:ce].isupper() and len(raw[cs:ce]) > 3)  # "INDIQUE": page furniture


def _inside_content(lex: ClaimLexicon, norm: str, cue: _Cue) -> bool:
    """A verb whose clause opens with a complementizer is inside reported content ("بحسب مصدر،
    فإن الدورية طالبت …"), not a claim of its own."""
    if cue.kind != "verb" or lex.complementizer is None:
        return False
    clause_start = max((m.end() for m in re.finditer(r"[,;:،؛«“\"]", norm[:cue.start])), default=0)
    clause = norm[clause_start:cue.start].strip()
    m = lex.complementizer.match(clause)
    return m is not None and bool(clause[m.end():].strip())


def _end_speaker(lex: ClaimLexicon, raw: str, s: int, e: int) -> tuple[int, int]:
    """The speaker phrase cut before a relative clause, "in a statement" or a participial
    apposition ("A US official, speaking on condition of anonymity")."""
    if lex.speaker_end is not None and (m := search_norm(lex.speaker_end, raw, s, e)) and m[0] > s:
        s, e = trim(raw, s, m[0])
    for comma in re.finditer(r"[,،]", raw[s:e]):
        if _participial(lex.language, raw[s + comma.end():e]):
            return trim(raw, s, s + comma.start())
    return s, e


def _strip_lead(lex: ClaimLexicon, raw: str, s: int, e: int) -> int:
    """`s` moved past words that open a clause without being its subject ("Mercredi", "Mais")."""
    if lex.lead is not None and (m := search_norm(lex.lead, raw, s, e)) and m[0] == s:
        s, _ = trim(raw, m[1], e)
    return s


def _tidy_speaker(lex: ClaimLexicon, raw: str, s: int, e: int) -> tuple[int, int]:
    """The speaker without the subordinator that opens its clause ("When Trump declared", "tandis
    que Damas affirme", "a reason why Russia announced") and the adverbs between it and its verb
    ("Trump also called", "the SDF even threatened"); unchanged if nothing would be left."""
    s0, e0 = s, e
    if lex.opener is not None:
        norm = normalise(raw[s:e])
        cuts = [norm.to_original(m.start(), m.end())[1] for m in lex.opener.finditer(norm.text)]
        if cuts:
            s, _ = trim(raw, s + cuts[-1], e)
    if lex.trail is not None and s < e and (m := search_norm(lex.trail, raw, s, e)):
        s, e = trim(raw, s, m[0])
    return (s, e) if s < e and re.search(r"\w", raw[s:e]) else (s0, e0)


def _speaker_before(raw: str, lo: int, hi: int, lex: ClaimLexicon) -> tuple[int, int] | None:
    """The noun phrase that ends right before a verb at `hi`: the clause's last comma-separated
    piece, two when the phrase is an apposition closed by a comma ("Le chef des FDS, Mazloum
    Abdi, a démenti")."""
    seg = raw[lo:hi]
    if not seg.strip():
        return None
    stripped = seg.rstrip()
    appositive = stripped.endswith(",")
    pieces = [m.start() for m in re.finditer(r"[,;:،؛»”\"]\s|\s[-–—]\s", stripped)
              if stripped.count("(", 0, m.start()) <= stripped.count(")", 0, m.start())]
    cut = 0
    if pieces:
        inner = [p for p in pieces if p < len(stripped) - 2]
        if appositive and inner and _participial(lex.language, stripped[inner[-1]:]):
            # "A US official, speaking on condition of anonymity, said": the official
            cut = inner[-2] + 2 if len(inner) >= 2 else 0
            hi = lo + inner[-1]
        elif appositive and len(inner) >= 1:
            cut = inner[-2] + 2 if len(inner) >= 2 else 0
        elif inner:
            cut = inner[-1] + 2
    s, e = trim(raw, lo + cut, hi)
    s = _strip_lead(lex, raw, s, e)
    if cut and lex.locative is not None and (m := search_norm(lex.locative, raw, s, e)) and m[0] == s:
        # "الشيخ X، في مدينة الميادين، صرّح": a place between the speaker and the verb
        return _speaker_before(raw, lo, lo + cut - 2, lex)
    s, e = _end_speaker(lex, raw, s, e)
    if s >= e or len(raw[s:e].split()) > MAX_SPEAKER_WORDS or not re.search(r"[^\W\d_]{2}", raw[s:e]):
        return None
    return s, e


def _speaker_after(raw: str, lo: int, hi: int, lex: ClaimLexicon, norm: str) -> tuple[int, int] | None:
    """The noun phrase after a cue: up to a comma, a complementizer ("que", "إن") or the end."""
    s, _ = trim(raw, lo, hi)
    if m := _VIA_FR.match(raw[s:hi]):  # "a déclaré à l'AFP le directeur …"
        s, _ = trim(raw, s + m.end(), hi)
    s = _strip_lead(lex, raw, s, hi)
    end = hi
    # a bracketed acronym goes on with the phrase ("l'Observatoire … (OSDH) et un correspondant")
    if m := re.search(r"[,;:،؛«»“”\"]|\((?![\w.-]{1,12}\))|\s[-–—]\s", raw[s:hi]):
        end = s + m.start()
    for pattern in (lex.complementizer, lex.speaker_end):
        if pattern is not None and (c := search_norm(pattern, raw, s, end)):
            end = c[0]
    s, e = trim(raw, s, end)
    if s >= e or len(raw[s:e].split()) > MAX_SPEAKER_WORDS:
        return None
    return s, e


def _last_piece(raw: str, s: int, e: int) -> tuple[int, int]:
    """The last comma-separated piece of raw[s:e] outside brackets."""
    depth, cut = 0, s
    for i in range(s, e):
        depth += raw[i] == "("
        depth -= raw[i] == ")"
        if raw[i] in ",،" and depth == 0:
            cut = i + 1
    return trim(raw, cut, e)


def _participial(lang: str, text: str) -> bool:
    """A phrase opening with a participle (", speaking on condition of anonymity,")."""
    words = [w for w in re.findall(r"\w+", text) if len(w) > 2]
    return bool(words) and _is_participle(lang, words[0])


def _is_participle(lang: str, cue_text: str) -> bool:
    word = cue_text.split()[0] if cue_text.split() else ""
    if lang == "fr":
        return word.endswith("ant")
    if lang == "en":
        return word.endswith("ing")
    if lang == "ar":
        return bool(re.match(r"^[وف]?م", word)) and len(word) >= 4
    return False


def _finite_verb(sdoc: Any, lo: int, hi: int) -> bool:
    """Whether the parse finds a finite verb in [lo, hi) (a clause, not a noun phrase)."""
    for tok in sdoc:
        if lo <= tok.idx < hi and tok.pos_ in ("VERB", "AUX"):
            forms = tok.morph.get("VerbForm")
            if not forms or "Fin" in forms:
                return True
    return False


SUBJECT = {"nsubj", "nsubj:pass", "nsubjpass"}


def _parse_subject(sdoc: Any, cs: int, ce: int) -> tuple[int, int] | None:
    """The subject of the reporting verb at [cs, ce) (sentence offsets), from spaCy's parse."""
    span = sdoc.char_span(cs, ce, alignment_mode="expand")
    if span is None:
        return None
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")] or list(span)
    verb = verbs[-1]
    for tok in (verb, verb.head) if verb.dep_ in ("xcomp", "conj") else (verb,):
        subjects = [ch for ch in tok.children if ch.dep_ in SUBJECT and ch.i != verb.i]
        if not subjects:
            continue
        # a subject and its apposition parsed apart ("Le chef des FDS, Mazloum Abdi a démenti")
        side = [ch for ch in tok.children if ch.dep_ in SUBJECT | {"appos", "dislocated"}
                and ch.idx < cs and ch.i != verb.i] if subjects[0].idx < cs else subjects
        toks = sorted({t for ch in side for t in ch.subtree}, key=lambda t: t.i)
        # the subject never reaches into the verb's own words
        toks = [t for t in toks if t.idx + len(t) <= cs or t.idx >= ce]
        if toks:
            return toks[0].idx, toks[-1].idx + len(toks[-1])
    return None


# a news dateline opening a page's first sentence: "AMMAN:", "WASHINGTON / BAGHDAD –", "ERBIL (Kurdistan
# 24) –", "BEIRUT Aug 27": a place in capitals, then a separator, an outlet in brackets or a date
_DATELINE = re.compile(r"\W*[A-Z]{3,}(?:\s*[/,]?\s*[A-Z]{3,})*\s*"
                       r"(?:(?:\([^)]{1,40}\)\s*)?[:–—-]|\([^)]{1,40}\)|[A-Z][a-z]{2}\.?\s+\d{1,2}\b)\s*")

def _antecedent(sdoc: Any | None, cs: int, ce: int) -> tuple[int, int] | None:
    """The noun phrase a relative pronoun subject stands for ("the Nuremberg principles which
    condemned …", "un responsable qui a affirmé …"): the head of the verb's relative clause without
    the clause; None (the last speaker named goes on) when the sentence was not parsed."""
    span = sdoc.char_span(cs, ce, alignment_mode="expand") if sdoc is not None else None
    if span is None:
        return None
    verb = [t for t in span if t.pos_ in ("VERB", "AUX")] or list(span)
    clause = next((t for t in [verb[-1], *verb[-1].ancestors] if t.dep_ in ("relcl", "acl:relcl")), None)
    if clause is None:
        return None
    inside = {t.i for t in clause.subtree}
    toks = [t for t in clause.head.subtree if t.i < min(inside) and t.pos_ != "PUNCT"]
    return (toks[0].idx, toks[-1].idx + len(toks[-1])) if toks else None


def _main_subject(sdoc: Any, cs: int, ce: int) -> tuple[int, int] | None:
    """The subject of the clause a participle hangs on, when no claim came before it in the sentence:
    "An independent monitoring group backed the US version, accusing …", "La partie américaine a
    refusé …, soulignant …" (it is that subject's statement, not the last speaker's)."""
    span = sdoc.char_span(cs, ce, alignment_mode="expand")
    if span is None:
        return None
    for head in span[0].ancestors:
        subjects = [ch for ch in head.children if ch.dep_ in SUBJECT and ch.idx < cs]
        if head.pos_ in ("VERB", "AUX") and subjects:
            sub = sorted(subjects[0].subtree, key=lambda t: t.i)
            return sub[0].idx, sub[-1].idx + len(sub[-1])
    return None


def _nested(lex: ClaimLexicon, norm: str, before: _Cue, cue: _Cue) -> bool:
    """A reporting verb inside the that-clause of the cue before it, in one stretch without a comma
    ("Konashenkov said that the Russian side warned the US command …"): part of what is said."""
    if cue.kind != "verb" or before.kind != "verb" or lex.complementizer is None:
        return False
    between = norm[before.end:cue.start]
    m = lex.complementizer.match(between.lstrip())
    return m is not None and not re.search(r"[,;:،؛«»“”\"]", between)


def _aside(lex: ClaimLexicon, norm: str, cue: _Cue) -> bool:
    """", he said," inside a statement ("blasted Trump for hate speech which, he said, was
    unworthy of a response"): the speaker of the claim before goes on, no claim of its own."""
    if cue.kind != "verb" or lex.pronouns is None or not re.match(r"\s*,", norm[cue.end:]):
        return False
    m = re.search(r",\s*(\w+)\s*$", norm[:cue.start])
    return m is not None and bool(lex.pronouns.match(m.group(1)))


def _closing_attribution(raw: str, cs: int, ce: int, cue: _Cue, lex: ClaimLexicon, lang: str) -> bool:
    """A cue that closes its sentence with only its speaker after it, after a comma: ", selon X.",
    "، وفقاً لـX.", ", the ministry said (on Sunday)." (English puts the speaker before the verb)."""
    if not raw[:cs].rstrip().endswith((",", "،")) and cue.kind == "attribution":
        return False
    tail = raw[ce:].strip(" .»”\"'")
    if cue.kind == "attribution":
        return bool(tail) and not re.search(r"[,;:،؛]", tail) and len(tail.split()) <= MAX_SPEAKER_WORDS
    if lang != "en" or n_words(tail) > 3 or _is_participle(lang, raw[cs:ce]):
        return False
    # "…, the ministry said." / "…,” the ministry said.": a comma closes what it reports
    m = re.search(r"[,،][”\"»']?\s+([^,;:”\"»]+)$", raw[:cs])
    return m is not None and 1 <= n_words(m.group(1)) <= 8 and not (
        lex.opener is not None and lex.opener.search(normalise(m.group(1)).text))


def sentence_claims(doc: Document, start: int, end: int, lang: str, lex: ClaimLexicon,
                    sdoc: Any | None = None) -> list[Found]:
    """The claims of the sentence doc.text[start:end]."""
    raw = doc.text[start:end]
    norm = normalise(raw)
    quoted = quotations(raw)
    cues = [c for c in _cues(lex, norm.text) if _is_cue(lex, raw, norm, c)
            and not inside(quoted, norm.to_original(c.start, c.end))]
    cues = [c for k, c in enumerate(cues) if not (k and _aside(lex, norm.text, c))]
    cues = [c for k, c in enumerate(cues) if not (k and _nested(lex, norm.text, cues[k - 1], c))]
    mentions = sorted((a.start - start, a.end - start) for a in [*doc.actors, *doc.entities]
                      if start <= a.start and a.end <= end)
    out: list[Found] = []
    for k, cue in enumerate(cues):
        cs, ce = norm.to_original(cue.start, cue.end)
        while ce < len(raw) and unicodedata.category(raw[ce]) == "Mn":
            ce += 1  # "مضيفةً": the tanween the normalised text dropped belongs to the cue
        nxt = cues[k + 1] if k + 1 < len(cues) else None
        # the content of this cue stops where the next cue's clause begins
        stop = len(raw)
        if nxt is not None:
            ns, _ = norm.to_original(nxt.start, nxt.end)
            comma = max(raw.rfind(",", ce, ns), raw.rfind("،", ce, ns))
            stop = comma if comma > ce else ns
            # "X called it a debut while the Post said …": the next clause opens at "while"
            contrast = [m.start() for m in lex.contrast.finditer(norm.text, cue.end, nxt.start)] \
                if lex.contrast else []
            if contrast and norm.to_original(contrast[-1], contrast[-1])[0] > max(comma, ce):
                stop = norm.to_original(contrast[-1], contrast[-1])[0]
        prev_end = 0
        if out:
            last = out[-1]
            ends = [e - start for e in (last.content[1], last.cue[1], last.speaker[1] if last.speaker else 0)]
            prev_end = max([e for e in ends if e <= cs], default=0)
            # "…, selon des informations préliminaires, a indiqué X": the attribution is inside X's
            # quote, not a claim of its own
            if cue.kind == "verb" and last.kind == "attribution" and last.content[1] <= last.cue[0] and \
                    last.speaker is not None and not raw[last.speaker[1] - start:cs].strip(" ,»”\"'"):
                out.pop()
                prev_end = last.content[0] - start
        if nxt is None and out and _closing_attribution(raw, cs, ce, cue, lex, lang) and \
                all(f.content[0] >= f.cue[1] for f in out):
            # "JNIM has claimed responsibility for …, the SITE Intelligence Group reported", "«…»
            # الذي أشارت «الأخبار» إلى …، وفقاً لتأكيدات مصدر": what comes before is the source's report,
            # the reporting words inside it are part of it
            out.clear()
            prev_end = 0
        found = _claim(raw, norm.text, norm, cs, ce, cue, lex, lang, prev_end, stop, sdoc, out, start,
                       mentions)
        if found is None:
            continue
        speaker, content, pronoun, cue_end = found
        if speaker is not None and not pronoun:
            speaker = _tidy_speaker(lex, raw, *speaker)
            if lex.relative_subject is not None and lex.relative_subject.fullmatch(
                    normalise(raw[speaker[0]:speaker[1]]).text):
                speaker = _antecedent(sdoc, cs, ce)  # "the Nuremberg principles which condemned"
            pronoun = speaker is not None and _is_pronoun(lex, raw, speaker)  # "if it threatened": "it"
        if (m := _DATELINE.match(raw, content[0])) and n_words(raw[m.end():content[1]]) >= MIN_CONTENT_WORDS:
            content = (m.end(), content[1])  # "WASHINGTON / BAGHDAD – The US military …": the place line goes
        if content[1] <= cs and (lead := _strip_lead(lex, raw, *content)) > content[0] and \
                n_words(raw[lead:content[1]]) >= MIN_CONTENT_WORDS:
            content = (lead, content[1])  # "On Saturday, troops liberated Mayadeen, X said": the troops did
        cs2, ce2 = cs, cue_end
        forward = cue.kind == "verb" and raw[cue_end:].strip() == ":" and (speaker is not None or pronoun)
        if forward:
            content = (len(raw), len(raw))
        elif content[1] - content[0] <= 0 or n_words(raw[content[0]:content[1]]) < MIN_CONTENT_WORDS:
            continue
        claim = Found(
            cue=(start + cs2, start + ce2),
            stance=_stance(lex, cue.stance, raw[content[0]:content[1]]),
            content=(start + content[0], start + content[1]),
            speaker=(start + speaker[0], start + speaker[1]) if speaker else None,
            sentence=(start, end),
            pronoun=pronoun,
            lang=lang,
            forward=forward,
            kind=cue.kind,
        )
        _via(claim, raw, start, lang, cs, ce2)
        _relayed(claim, raw, start, lex)
        _quoted_as(claim, out, raw, start, lex)
        out.append(claim)
    return out


def _quoted_as(claim: Found, out: list[Found], raw: str, offset: int, lex: ClaimLexicon) -> None:
    """"SITE quoted a JNIM statement as saying that …": the statement says it (cue "as saying"),
    the outlet that quotes it relays it; the "quoted" claim before it goes."""
    if lex.quoted_as is None or not out or out[-1].speaker is None:
        return
    last = out[-1]
    norm = normalise(raw[last.cue[0] - offset:claim.cue[0] - offset])
    m = lex.quoted_as.fullmatch(norm.text)
    if m is None:
        return
    base = last.cue[0]
    sp = trim(raw, base - offset + norm.to_original(*m.span("speaker"))[0],
               base - offset + norm.to_original(*m.span("speaker"))[1])
    if sp[0] >= sp[1]:
        return
    out.pop()
    claim.via, claim.pronoun = last.speaker, False
    claim.speaker = (offset + sp[0], offset + sp[1])
    claim.cue = (base + norm.to_original(*m.span("as"))[0], claim.cue[1])


RELATIVE_SPEAKER_WORDS = 6  # "les affirmations syriennes selon lesquelles": the speaker's words at most


def _relative_attribution(raw: str, lo: int, cs: int, ce: int, stop: int, lex: ClaimLexicon
                          ) -> tuple[tuple[int, int], tuple[int, int], bool, int] | None:
    """"des sources selon lesquelles le système avait été transféré", "reports according to which
    …": the noun phrase before the cue says it (from its nearest determiner, else its last word, and
    never a reporting verb: "dismissed reports"), the clause after the relative pronoun is what it
    says. None when no relative pronoun follows the cue."""
    if lex.relative is None or lex.determiner is None or \
            (pronoun := search_norm(lex.relative, raw, ce, stop)) is None:
        return None
    window = normalise(raw[lo:cs])
    opens = [window.to_original(d.start(), d.end())[0] for d in lex.determiner.finditer(window.text)]
    opens = [o for o in opens if n_words(raw[lo + o:cs]) <= RELATIVE_SPEAKER_WORDS]
    if not opens and (bare := re.search(r"\w+\s*$", raw[lo:cs])):  # "reports according to which"
        opens = [bare.start()]
    if not opens or not re.search(r"\w", raw[pronoun[1]:stop]):
        return None
    start = lo + opens[-1]
    while (verb := search_norm(lex.verbs, raw, start, cs)) is not None:
        start = verb[1]  # "dismissed reports according to which": the speaker starts after the verb
    speaker = trim(raw, start, cs)
    if not re.search(r"\w", raw[speaker[0]:speaker[1]]):
        return None
    return speaker, trim_content(raw, pronoun[1], stop), False, pronoun[1]


def _claim(raw: str, ntext: str, norm: Any, cs: int, ce: int, cue: _Cue, lex: ClaimLexicon, lang: str,
           lo: int, stop: int, sdoc: Any | None, previous: list[Found], offset: int,
           mentions: list[tuple[int, int]] | None = None
           ) -> tuple[tuple[int, int] | None, tuple[int, int], bool, int] | None:
    """(speaker, content, speaker is a pronoun, end of the cue) in sentence offsets, or None."""
    before = raw[lo:cs]
    if cue.kind == "attribution":
        if (relative := _relative_attribution(raw, lo, cs, ce, stop, lex)) is not None:
            return relative
        speaker = _speaker_after(raw, ce, stop, lex, ntext)
        if speaker is None:
            return None
        # "selon un porte-parole de l'ANL, le général Ahmed al-Mesmari, les bombardements …"
        m = re.match(r"\s*,\s*([^,;:]{3,60}?[A-Z][^,;:]{0,40}),", raw[speaker[1]:stop])
        if m and len(m.group(1).split()) <= 6 and \
                not search_norm(lex.verbs, raw, speaker[1], speaker[1] + m.end()):
            speaker = (speaker[0], speaker[1] + m.end(1))
        if n_words(before) >= 3 and not (lex.conjunction is not None and lex.conjunction.search(
                normalise(before).text)):  # "Mais X a démenti et, selon Y, Z": Y says Z
            content = trim_content(raw, lo, cs)
        else:
            content = trim_content(raw, speaker[1], stop)
        return speaker, content, _is_pronoun(lex, raw, speaker), ce
    # a reporting verb
    cue_end = ce
    for pattern in (_IN_A, _FR_IN, _AR_IN):
        if m := pattern.match(raw[ce:stop]):
            cue_end = ce + m.end()
    cue_text = raw[cs:cue_end]
    inverted_pronoun = re.search(r"-t-(?:il|elle|ils|elles|on)\b", cue_text, re.IGNORECASE)
    pronoun = bool(inverted_pronoun)
    participle = _is_participle(lang, cue_text)
    tail = raw[cue_end:stop]
    tail_s = tail.strip()
    before_s = before.rstrip()
    n_before, n_tail = n_words(before), n_words(tail)
    comp = search_norm(lex.complementizer, raw, cue_end, stop) if lex.complementizer is not None else None
    opens_clause = comp is not None and n_words(raw[cue_end:comp[0]]) <= 6
    if inverted_pronoun and n_before >= 3:  # "« … », a-t-il ajouté"
        return None, trim_content(raw, lo, cs), True, cue_end
    # English "…, the ministry said (on Monday)." / "…, said the ministry.": the content comes first
    if lang == "en" and n_before >= 3 and not participle and n_tail <= 5 and not opens_clause:
        closes = [m.start() for m in re.finditer(r"[,»”\"](?=\s|$)|(?<=\s)'(?=\s|$)", before_s)]
        cut = closes[-1] if closes else -1
        if cut > 0:
            np_ = trim(raw, lo + cut + 1, cs)
            np_ = (_strip_lead(lex, raw, *np_), np_[1])
            words = n_words(raw[np_[0]:np_[1]])
            if 1 <= words <= 10:
                return np_, trim_content(raw, lo, lo + cut), _is_pronoun(lex, raw, np_), cue_end
            if words == 0 and (speaker := _speaker_inverted(raw, cue_end, stop, lex)) is not None:
                return speaker, trim_content(raw, lo, lo + cut), _is_pronoun(lex, raw, speaker), cue_end
    quote_before = bool(_QUOTE_END.search(before_s)) or (before_s.endswith(",")
                                                         and bool(_QUOTE.search(before_s)))
    pieces = re.split(r"[,،]", before_s)
    if not quote_before and (not _finite_verb(sdoc, lo, cs) if sdoc is not None else (
            n_words(pieces[0]) <= 6 and any(_participial(lang, p) for p in pieces[1:]))):
        # "Le chef des FDS, Mazloum Abdi, a démenti …", "Un responsable, s'exprimant sous couvert
        # d'anonymat, a confirmé …": what precedes is the subject, not a clause
        opens_clause = True
    # verb before its subject after a quote or a comma: "« … », a déclaré X", "…, a indiqué à l'AFP X"
    if (quote_before or before_s.endswith(",")) and lang != "ar" and n_before >= 3 and not participle \
            and not opens_clause:
        speaker = _speaker_inverted(raw, cue_end, stop, lex)
        if speaker is not None:
            return speaker, trim_content(raw, lo, cs), _is_pronoun(lex, raw, speaker), cue_end
    if participle:
        # "…, affirmant que …" continues a claim; "In a statement announcing …, X said" does not
        if not previous and not (before_s.endswith((",", "،")) and n_before >= 3):
            return None
        if lang == "en" and n_words(raw[:cs]) and not re.search(r"(?:[,;:–—-]|\bas)\s*$", raw[:cs]):
            return None  # "a pilot who appeared on television explaining how …": no new statement
        content = trim_content(raw, cue_end, stop)
        same = previous and previous[-1].sentence[0] == offset
        if not same and sdoc is not None and (main := _main_subject(sdoc, cs, ce)) is not None:
            return _end_speaker(lex, raw, *trim(raw, *main)), content, False, cue_end
        return None, content, True, cue_end
    speaker = None
    if sdoc is not None:
        speaker = _parse_subject(sdoc, cs, ce)
        if speaker is not None:
            speaker = _end_speaker(lex, raw, *trim(raw, *speaker))
            between = raw[speaker[1]:cs]
            # "Le chef des FDS, Mazloum Abdi, a démenti": the apposition belongs to the speaker
            if re.fullmatch(r"\s*,\s*[^,;:]{2,60},\s*", between) and not _participial(lang, between):
                speaker = trim(raw, speaker[0], cs)
            if len(raw[speaker[0]:speaker[1]].split()) > MAX_SPEAKER_WORDS:
                speaker = _last_piece(raw, *speaker)  # "Le porte-parole des FDS (…, …), Farhad Chami"
            if not n_words(raw[speaker[0]:speaker[1]]):
                speaker = None
        surface = _speaker_before(raw, lo, cs, lex) if n_words(before) > 0 else None
        # "Le site Fourat Post a révélé": the parse may keep only the head's last word
        if speaker is not None and surface is not None and surface[0] <= speaker[0] and \
                speaker[1] <= surface[1] and len(raw[surface[0]:surface[1]].split()) <= 8:
            speaker = surface
    content_lo = cue_end
    if speaker is None and lang == "ar" and re.match(r"[وف]", ntext[cue.start:cue.end]):
        # "…، وقالت الجماعة إن …": a verb opening a new clause with و/ف has its subject after it
        speaker = _speaker_after_ar(raw, ntext, cue_end, stop, lex, mentions or [])
        if speaker is not None:
            content_lo = speaker[1]
    if speaker is None and n_words(before) > 0:
        speaker = _speaker_before(raw, lo, cs, lex)
    if speaker is not None and speaker[0] < lo:
        speaker = _speaker_before(raw, lo, cs, lex) if n_words(before) > 0 else None
    if speaker is None and lang == "ar":
        # verb first: "وقال المصدر إن …", "أعلنت الوزارة عن …"
        speaker = _speaker_after_ar(raw, ntext, cue_end, stop, lex, mentions or [])
        if speaker is not None:
            content_lo = speaker[1]
    if speaker is None and not n_words(before):
        if not previous:
            return None
        pronoun = True
    if m := _VIA_FR.match(raw[content_lo:stop]):  # "a confirmé à l'AFP qu'une voiture …"
        content_lo += m.end()
    if lang == "ar" and comp is not None and comp[0] >= content_lo and n_words(raw[content_lo:comp[0]]) <= 8:
        content_lo = comp[0]  # "وقال مصدر، رفض الكشف عن اسمه، إن …"
    if n_words(raw[content_lo:stop]):
        content_lo = _strip_lead(lex, raw, *trim(raw, content_lo, stop))
    if comp is not None and content_lo < comp[0] and _place_only(lex, raw, content_lo, comp[0]):
        content_lo = comp[0]  # "a déclaré dimanche à Amman que …": the content is the que-clause
    content = trim_content(raw, content_lo, stop)
    if n_words(tail_s) == 0 and n_words(before) >= 3 and speaker is not None and speaker[0] > lo:
        content = trim_content(raw, lo, speaker[0])
    return speaker, content, pronoun or (speaker is not None and _is_pronoun(lex, raw, speaker)), cue_end


def _place_only(lex: ClaimLexicon, raw: str, lo: int, hi: int) -> bool:
    """raw[lo:hi] is a place phrase alone ("à Amman", "in Moscow"): a preposition and a name."""
    if lex.locative is None or not (m := search_norm(lex.locative, raw, lo, hi)) or raw[lo:m[0]].strip():
        return False
    return bool(re.fullmatch(r"\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*,?\s*", raw[m[1]:hi]))


def _speaker_inverted(raw: str, lo: int, hi: int, lex: ClaimLexicon) -> tuple[int, int] | None:
    """The subject after an inverted verb, up to the sentence's end: "…, a déclaré à l'AFP un
    habitant de Sokolo, Baba Gakou." (an outlet it speaks to and a relative clause left out)."""
    s, _ = trim(raw, lo, hi)
    if m := _VIA_FR.match(raw[s:hi]):
        s, _ = trim(raw, s + m.end(), hi)
    s = _strip_lead(lex, raw, s, hi)
    s, e = _end_speaker(lex, raw, *trim(raw, s, hi))
    if len(raw[s:e].split()) > MAX_SPEAKER_WORDS:
        comma = raw.find(",", s, e)
        s, e = trim(raw, s, comma) if comma > s else (s, s)
    if s >= e or not 1 <= len(raw[s:e].split()) <= MAX_SPEAKER_WORDS or \
            not re.search(r"[^\W\d_]{2}", raw[s:e]):
        return None  # "…, a fait savoir l'" (a page cut short): no speaker
    if lex.complementizer is not None and lex.complementizer.match(normalise(raw[s:e]).text):
        return None
    return s, e


def _speaker_after_ar(raw: str, ntext: str, lo: int, hi: int, lex: ClaimLexicon,
                      mentions: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Arabic verb-first: the speaker runs from the verb to "إن/أن", "عن", ":" or a quotation;
    without one of these, it is the actor or entity named right after the verb, else its first
    definite noun phrase ("أعلنت الفصائل المسلحة استنفارها")."""
    s, _ = trim(raw, lo, hi)
    s = _strip_lead(lex, raw, s, hi)
    if lex.locative is not None and (m := search_norm(lex.locative, raw, s, hi)) and m[0] == s:
        return None  # "ودعت إلى …": no subject named, the last speaker goes on
    comma = re.search(r"[،,]", raw[s:hi])
    first = s + comma.start() if comma else hi
    ends = [c[0] for p in (lex.complementizer, lex.speaker_end)
            if p is not None and (c := search_norm(p, raw, s, hi))
            and (c[0] <= first or len(raw[s:c[0]].split()) <= MAX_SPEAKER_WORDS)]
    if m := re.search(r":", raw[s:first]):
        ends.append(s + m.start())
    if (q := quotation_at(raw, s, first)) is not None:
        ends.append(q)
    end = min([*ends, first])
    if prep := re.search(r"\s(?:عن|على|الى|إلى)\s", raw[s:end]):
        end = s + prep.start()
    elif ends:
        # "وقال المصدر إن …", "وقال الناطق باسم X، عبد المالك المدني، إن …": up to the complementizer;
        # a comma alone does not end the speaker ("أعلنت كتائب سيد الشهداء النفير العام، مضيفة:")
        end = min(ends)
        s, e = trim(raw, s, end)
        return (s, e) if s < e and len(raw[s:e].split()) <= MAX_SPEAKER_WORDS else None
    named = [m for m in mentions if s <= m[0] <= s + 1]
    if named:
        end = max(e for _, e in named)
    else:
        definite = False
        for w in re.finditer(r"\S+", raw[s:end]):
            is_def = bool(re.match(r"[\"“«]?(?:ال|لل)", w.group()))
            # a proclitic preposition goes on with the phrase ("التابعة لحكومة", "المتحدث باسم")
            if definite and not is_def and not re.match(r"[لب]", w.group()):
                end = s + w.start()
                break
            definite = definite or is_def
    s, e = trim(raw, s, end)
    if s >= e or len(raw[s:e].split()) > MAX_SPEAKER_WORDS:
        return None
    return s, e


def _is_pronoun(lex: ClaimLexicon, raw: str, span: tuple[int, int]) -> bool:
    return lex.pronouns is not None and bool(lex.pronouns.match(normalise(raw[span[0]:span[1]]).text))


def _relayed(claim: Found, raw: str, offset: int, lex: ClaimLexicon) -> None:
    """A speaker reached through an outlet: "l'agence SANA se référant à une source militaire"
    (the source speaks, SANA relays), "les sources du site web d'al-Mayadeen" (the sources
    speak, al-Mayadeen relays)."""
    if claim.speaker is None or claim.via is not None:
        return
    s, e = claim.speaker[0] - offset, claim.speaker[1] - offset
    if lex.relay is not None and (m := search_norm(lex.relay, raw, s, e)) and m[0] > s:
        sp = trim(raw, m[1], e)
        if sp[0] < sp[1]:
            claim.via = (offset + s, offset + trim(raw, s, m[0])[1])
            claim.speaker = (offset + sp[0], offset + sp[1])
        return
    anonymous, outlet = lex.kinds.get("anonymous"), lex.kinds.get("outlet")
    if anonymous is None or outlet is None or lex.of is None:
        return
    head = search_norm(anonymous, raw, s, e)
    of = search_norm(lex.of, raw, s, e)
    if head is not None and of is not None and head[1] <= of[0] and search_norm(outlet, raw, of[1], e):
        claim.via = (offset + trim(raw, of[1], e)[0], offset + e)
        claim.speaker = (offset + s, offset + trim(raw, s, of[0])[1])


def _via(claim: Found, raw: str, offset: int, lang: str, cs: int, ce: int) -> None:
    """The outlet the speaker speaks through: "a déclaré à l'AFP", "told Reuters", "لوكالة سبوتنيك"."""
    tail = raw[ce:]
    told = lang == "en" and raw[cs:ce].lower().startswith("told")
    m = _VIA_FR.match(tail) if lang == "fr" else _VIA_EN.match(tail) if told else None
    if m is not None:
        claim.via = (offset + ce + m.start(1), offset + ce + m.end(1))
    elif lang == "ar" and claim.speaker is not None:
        s, e = claim.speaker[0] - offset, claim.speaker[1] - offset
        if m := _VIA_AR.search(raw, s, e + 40):
            claim.via = (offset + m.start() + 1, offset + m.end())
            if m.start() < e:
                claim.speaker = (claim.speaker[0], offset + m.start())


def _continued_quote(doc: Document, start: int, end: int, out: list[Found], previous: Any | None
                     ) -> Found | None:
    """A sentence that is all quotation right after a claim goes on with its speaker: “…,” the
    officer said in the video. “Most of the weapons are here.”"""
    text = doc.text[start:end].strip()
    if not out or previous is None or out[-1].sentence[1] < previous.start:
        return None
    if len(text) < 12 or text[0] not in QUOTES_OPEN or not text.rstrip(".").endswith(tuple(QUOTES_CLOSE)):
        return None
    last = out[-1]
    content = trim_content(doc.text, start, end)
    if n_words(doc.text[content[0]:content[1]]) < MIN_CONTENT_WORDS or \
            (last.content[0] < content[1] and content[0] < last.content[1]):
        return None  # too short, or already the content of "X a écrit :" / "مضيفةً:"
    return Found(cue=last.cue, stance="assert", content=content, speaker=last.speaker, sentence=(start, end),
                 pronoun=last.pronoun, via=last.via, lang=last.lang)


def _parse_cue_sentences(doc: Document, sents: list[Any], parses: dict[int, Any]) -> None:
    """Parse (French, English) the sentences holding a reporting verb that the events stage did
    not parse: one `nlp.pipe` call per language."""
    from furat.events.syntax import PARSERS, parse

    jobs: dict[str, list[Any]] = {}
    for s, lang in sents:
        lex = claim_lexicon(lang or "")
        if lex is None or lang not in PARSERS or s.start in parses:
            continue
        if lex.verbs.search(normalise(doc.text[s.start:s.end]).text):
            jobs.setdefault(lang, []).append(s)
    for lang, items in jobs.items():
        for s, sdoc in zip(items, parse(lang, [doc.text[s.start:s.end] for s in items]), strict=True):
            if sdoc is not None:
                parses[s.start] = sdoc


# sentences a scraped page glued together: "…africaines.« Les assaillants …", "zone.Le bilan", an
# embedded tweet's date run into the next paragraph ("January 26, 2020Peu avant, une source …")
_GLUED = re.compile(r"(?<=[^\W\d_]{2}[.!?])(?=[«“\"A-ZÀ-ÖØ-Þ])|(?<=\d{4})(?=[A-ZÀ-ÖØ-Þ][a-zà-ÿ])")


def _glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence [start, end) cut where two sentences run together without a space."""
    cuts = [start, *(start + m.start() for m in _GLUED.finditer(text[start:end]) if m.start()), end]
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def find_claims(doc: Document, parses: dict[int, Any] | None = None, parse_missing: bool = False
                ) -> list[Found]:
    """Every claim of `doc`, in text order, pronoun and participle speakers resolved. With
    `parse_missing`, cue sentences the events stage left unparsed are parsed too (dev speaker+cue
    +0.005 for ~15x the cost: off by default, bench/bench_claims.py)."""
    parses = dict(parses or {})
    out: list[Found] = []
    sents = list(sentences(doc))
    if parse_missing:
        _parse_cue_sentences(doc, sents, parses)
    for i, (s, lang) in enumerate(sents):
        lex = claim_lexicon(lang or "")
        if lex is None:
            continue
        found = []
        for k, (a, b) in enumerate(_glued(doc.text, s.start, s.end)):
            found += sentence_claims(doc, a, b, lang or "", lex, parses.get(s.start) if k == 0 else None)
        if not found:
            if (more := _continued_quote(doc, s.start, s.end, out, sents[i - 1][0] if i else None)):
                out.append(more)
            continue
        for f in found:
            if f.forward:
                _forward(doc, f)
        _hedge(doc, found, lex, sents[i + 1][0] if i + 1 < len(sents) else None)
        out.extend(f for f in found if f.content[1] > f.content[0])
    last: tuple[int, int] | None = None
    for c in out:
        if c.speaker is None or c.pronoun:
            if last is not None:
                c.speaker = last
            c.pronoun = False
        else:
            last = c.speaker
    return out


def _forward(doc: Document, f: Found) -> None:
    """The content of "X écrit :" — the quote (or the paragraph) that follows."""
    start = f.sentence[1]
    while start < len(doc.text) and doc.text[start] in " \t\n:":
        start += 1
    end = next((p.end for p in doc.paragraphs if p.start <= start < p.end), len(doc.text))
    if start < len(doc.text) and doc.text[start] in QUOTES_OPEN:
        close = next((i for i in range(start + 1, end) if doc.text[i] in QUOTES_CLOSE), None)
        end = close + 1 if close is not None else end
    f.content = trim_content(doc.text, start, end)
    paragraph_end = next((p.end for p in doc.paragraphs if p.start <= start < p.end), end)
    f.sentence = (f.sentence[0], max(f.sentence[1], paragraph_end))


def _hedge(doc: Document, found: list[Found], lex: ClaimLexicon, following: Any | None) -> None:
    """Hedged: a hedge in the sentence, or "not confirmed" in the next sentence."""
    s = found[0].sentence[0]
    e = max(f.sentence[1] for f in found)
    norm = normalise(doc.text[s:e])
    span = None
    if lex.hedges is not None and (m := lex.hedges.search(norm.text)):
        a, b = norm.to_original(m.start(), m.end())
        span = (s + a, s + b)
    elif lex.unconfirmed is not None and (m := search_norm(lex.unconfirmed, doc.text, s, e)):
        span = m
    elif following is not None and lex.unconfirmed is not None:
        nxt = normalise(doc.text[following.start:following.end])
        if m := lex.unconfirmed.search(nxt.text):
            a, b = nxt.to_original(m.start(), m.end())
            span = (following.start + a, following.start + b)
    if span is not None:
        for c in found:
            c.hedge = span
