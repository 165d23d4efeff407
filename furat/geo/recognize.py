"""Toponym recognition: NER spans (spaCy, or the `entities` stage) plus gazetteer matching with cues.

Latin-script paragraphs use the NER model of their language for LOC/GPE/FAC spans, then add
capitalised gazetteer matches that a cue word announces ("à", "near", "la ville de"). Arabic has
no NER model here: every 1-4 word n-gram (proclitics و/ب/ل/ف/ك peeled off) is looked up, and a
match counts when a cue precedes it or the name is a strong one. Spans inside actor names
("قوات سوريا الديمقراطية", "Deir ez-Zor Military Council") and capitals acting as governments
("Washington a intimé") are dropped; the rules are data in furat/data/geo/<lang>.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from furat.geo.cues import Cues, load_cues
from furat.geo.gazetteer import Candidate, Gazetteer
from furat.geo.normalize import LATIN_ARTICLES, arabic_key, fold, has_arabic, join_key, key_tokens, name_key

NER_PLACE_LABELS = frozenset({"LOC", "GPE", "FAC", "LOCATION"})
NER_BLOCK_LABELS = frozenset({"PER", "PERSON", "ORG", "NORP", "ARMED_GROUP", "MISC", "WORK_OF_ART",
                              "EVENT", "PRODUCT", "LAW", "LANGUAGE"})
STRONG_FEATURES = frozenset({"PCLI", "ADM1", "ADM2"})
CURATED_PREFIXES = ("curated:", "furat:")
ARABIC_REGION = frozenset(["SY", "IQ", "TR", "JO", "LB", "IL", "PS", "IR", "SA", "KW", "QA", "AE", "OM", "BH",
                           "YE", "EG", "LY", "TN", "DZ", "MA", "SD", "MR", "SO", "DJ"])
_TOKEN = re.compile(r"\w+", re.UNICODE)
_LEADING_DET = frozenset({"the", "l", "la", "le", "les", "d", "de", "du", "des"})
_AR_PROCLITICS = ("و", "ب", "ل", "ف", "ك")
_LATIN_CONNECTORS = frozenset({"al", "el", "ad", "ar", "as", "ash", "az", "at", "an", "ed", "er", "es",
                               "ez", "et", "de", "del", "di", "du", "la", "le", "of", "on", "upon",
                               "sur", "les", "des", "d", "l", "bin", "ibn", "abu", "bou"})
_MAX_NGRAM = 4
_ABBREV = re.compile(r"(?<=[a-z\u00c0-\u024f], )((?:[A-Z][a-z]{0,4}\.){1,3})")
_DOTTED = re.compile(r"^(?:[A-Z][a-z]?\.){2,3}$")


@dataclass
class Mention:
    """A recognised toponym and what its context says about it."""

    start: int
    end: int
    text: str
    key: str
    lang: str
    source: str  # "ner" or "gazetteer"
    hint: str | None = None  # "admin", "ppl", "base" or "any" from a cue
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


@dataclass
class _Tok:
    text: str
    fold: str
    start: int
    end: int


def _tokens(text: str, offset: int) -> list[_Tok]:
    return [_Tok(m.group(), fold(m.group()), m.start() + offset, m.end() + offset)
            for m in _TOKEN.finditer(text)]


_OUTLET_FILLERS = frozenset({"de", "d", "of", "the", "la", "le", "l", "tv", "television", "satellite", "news",
                             "arabic", "state", "public", "pan", "arab", "owned", "run"})


def _outlet_name(before: list[str], context: frozenset[str]) -> bool:
    """True when a media word ("channel", "la chaîne de télévision") comes right before the name,
    with only fillers between: "the website said that Melbourne" is no outlet's name."""
    for k in range(len(before) - 1, -1, -1):
        if before[k] in context:
            return True
        if before[k] not in _OUTLET_FILLERS:
            return False
    return False


def _is_strong(cands: Sequence[Candidate], min_pop: int) -> bool:
    return any(c.feature in STRONG_FEATURES or c.pop >= min_pop or c.gid.startswith(CURATED_PREFIXES)
               for c in cands)


class Recognizer:
    """Finds toponym mentions in a document, paragraph by paragraph."""

    def __init__(self, gazetteer: Gazetteer, models: Callable[[], dict[str, Any]],
                 config: dict[str, Any]) -> None:
        self.gaz = gazetteer
        self.models = models  # () -> {lang: spaCy Language (NER only)}, called when no spans are given
        self.strong_pop = int(config.get("strong_population", 10000))
        # Benchmark conventions (LGL, TR-News), off for furat's own output: places named inside
        # organisation names ("Texas Department of Health") and adjectival toponyms ("Russian").
        self.places_in_orgs = bool(config.get("places_in_orgs", False))
        self.adjectival = bool(config.get("adjectival", False))
        self._areas: dict[str, Candidate] | None = None
        self.strong_city_pop = int(config.get("strong_city_population", 1_000_000))
        self.fuzzy_ratio = float(config.get("fuzzy_ratio", 85))
        self.use_doc_entities = bool(config.get("use_doc_entities", True))

    # -- entry point -------------------------------------------------------------------------------
    def find(self, text: str, paragraphs: list[tuple[int, int, str]],
             entities: Sequence[tuple[int, int, str]] = ()) -> list[Mention]:
        """Mentions in `text`; `paragraphs` are (start, end, lang); `entities` (start, end, label)
        come from the `entities` stage when it ran (then no spaCy model is needed here)."""
        mentions: list[Mention] = []
        latin = [(s, e, lang) for s, e, lang in paragraphs if lang != "ar"]
        ner_spans: dict[int, list[tuple[int, int, str]]] = {}
        if entities and self.use_doc_entities:
            for s, e, _lang in latin:
                ner_spans[s] = [x for x in entities if s <= x[0] and x[1] <= e]
        else:
            models = self.models() if latin else {}
            by_lang: dict[str, list[tuple[int, int]]] = {}
            for s, e, lang in latin:
                by_lang.setdefault(lang if lang in models else "", []).append((s, e))
            for lang, spans in by_lang.items():
                nlp = models.get(lang)
                for (s, _e), sdoc in zip(spans, self._pipe(nlp, [text[a:b] for a, b in spans]),
                                         strict=True):
                    ner_spans[s] = [(s + ent.start_char, s + ent.end_char, ent.label_) for ent in sdoc]
        for s, e, lang in paragraphs:
            if lang == "ar":
                mentions += self._arabic(text, s, e)
            else:
                mentions += self._latin(text, s, e, lang, ner_spans.get(s, []))
                if has_arabic(text[s:e]):  # Arabic words inside a French or English paragraph
                    mentions += self._arabic(text, s, e)
        mentions.sort(key=lambda m: m.start)
        return mentions

    @staticmethod
    def _pipe(nlp: Any, texts: list[str]) -> list[Any]:
        if nlp is None:
            return [[] for _ in texts]
        return [d.ents for d in nlp.pipe(texts)]

    # -- Latin-script paragraphs ------------------------------------------------------------------
    def _latin(self, text: str, ps: int, pe: int, lang: str,
               ents: list[tuple[int, int, str]]) -> list[Mention]:
        cues = load_cues(lang)
        toks = _tokens(text[ps:pe], ps)
        idx_by_start = {t.start: i for i, t in enumerate(toks)}
        idx_by_end = {t.end: i for i, t in enumerate(toks)}
        out: list[Mention] = []
        taken: list[tuple[int, int]] = []
        blocked = [(s, e) for s, e, lab in ents if lab in NER_BLOCK_LABELS]
        if self.places_in_orgs:
            blocked = [(s, e) for s, e, lab in ents if lab in NER_BLOCK_LABELS and lab not in ("ORG",)]
        # 1. NER spans
        for s, e, lab in ents:
            if lab not in NER_PLACE_LABELS:
                continue
            i, j = idx_by_start.get(s), idx_by_end.get(e, idx_by_end.get(e - 1))  # "U.S." ends in "."
            if i is None or j is None:
                continue
            while i < j and toks[i].fold in _LEADING_DET:
                i += 1
            m = self._make(text, toks, i, j + 1, lang, "ner", cues)
            if m:
                out.append(m)
                taken.append((m.start, m.end))
        # 1b. adjectival toponyms ("Russian" -> Russia) when asked for
        if self.adjectival:
            for s, e, lab in ents:
                if lab in ("NORP", "MISC") and not any(s < b and a < e for a, b in taken):
                    m = self._adjectival(text, s, e, lang, cues)
                    if m:
                        out.append(m)
                        taken.append((m.start, m.end))
        org_spans = {(s, e) for s, e, lab in ents if lab == "ORG"}
        norp_spans = {(s, e) for s, e, lab in ents if lab == "NORP"}
        orgs = org_spans if self.places_in_orgs else set()
        # 2. capitalised gazetteer matches announced by a cue (or strong names)
        runs = self._capital_runs(text, toks, cues)
        keys = {name_key(text[toks[i].start:toks[j - 1].end]) for i, j in runs}
        found = self.gaz.lookup_keys(keys)
        for i, j in runs:
            s, e = toks[i].start, toks[j - 1].end
            key = name_key(text[s:e])
            inside = [(a, b) for a, b in taken if s < b and a < e]
            if inside:
                if not (found.get(key) and all(s <= a and b <= e for a, b in inside)) or (s, e) in inside \
                        or any(name_key(m.text) == key for m in out if (m.start, m.end) in inside):
                    continue  # nothing to gain: "As Zimbabwe" is the NER's "Zimbabwe" (as- article)
                # a whole gazetteer name over NER fragments ("Deir ez- Zor" tagged "Deir" + "Zor")
                out = [m for m in out if (m.start, m.end) not in inside]
                taken = [t for t in taken if t not in inside]
            if key in cues.stop:
                continue
            hint = cues.cue_before([t.fold for t in toks[max(0, i - cues.max_before):i]])
            if hint is None and self._continues_list(text, s, e, taken):
                hint = "list"  # "Red Deer, Innisfail and Edmonton", "Abou Kamal et al-Mayadin"
            if j < len(toks) and toks[j].fold in cues.after:
                hint = hint if hint not in (None, "weak") else cues.after[toks[j].fold]  # "Khusham town"
            elif j < len(toks) and toks[j].fold in cues.residents and hint in (None, "weak"):
                hint = "ppl"  # "a Coral Gables man", "Saratoga native": where a person is from
            # A person/organisation span is no obstacle when it is exactly this name and the context
            # says place ("ISIS in Khusham town", "Abou Kamal et al-Mayadin"): NER guesses there.
            cands = found.get(key)
            # The small English NER often calls a lone place name ORG ("from Tacloban and
            # Babatngon", "Romania confirmed"): an exact ORG span is a place when any cue or a list
            # announces it, or when it names a country or a first-level region.
            # "object" (a verb whose object is most often a town) vouches only for a name the
            # gazetteer holds exactly as a populated place or an area
            overridable = hint not in (None, "weak", "object") or (hint == "object" and any(
                (c.feature or "").startswith(("PPL", "ADM")) for c in cands or ()))
            org_ok = bool(cands) and (hint is not None or any(
                c.feature in ("PCLI", "ADM1", "CONT") and name_key(c.name) == key for c in cands))
            if any(s < b and a < e and not ((overridable or (org_ok and (a, b) in org_spans)) and
                                            (a, b) == (s, e)) for a, b in blocked):
                continue
            if not cands and hint not in (None, "weak", "object") and (s, e) not in norp_spans:
                # a spelling no list has; never for a nationality the NER saw ("on Syrian state
                # television" is no village "Sūrāneh")
                cands = self.gaz.fuzzy(key, self.fuzzy_ratio)
            if not cands and cues.names_kind([t.fold for t in toks[max(0, i - cues.max_before):i]]) and \
                    (s, e) not in norp_spans:
                # "the village of Al Munthar", "du village Rahhal": the words before it say it is a
                # place the gazetteer lacks ("Syrian state" says nothing); kept with no coordinates
                out.append(Mention(s, e, text[s:e], key, lang, "gazetteer", hint, ()))
                taken.append((s, e))
                continue
            if not cands:
                continue
            if hint is None and any(a <= s and e <= b and (a == s or b == e or text[a:s].rstrip().endswith(
                    (" of", " de"))) for a, b in orgs) and any(
                    c.feature in ("PCLI", "ADM1", "CONT") or c.pop >= 50_000 for c in cands):
                hint = "any"  # "Texas Department of Health", "University of Oxford" (not "Ford Motor")
            strong = any(c.feature in ("PCLI", "CONT") or (c.pop >= self.strong_city_pop and
                                                             name_key(c.name) == key) for c in cands)
            if hint is None and not strong:
                continue
            m = self._make(text, toks, i, j, lang, "gazetteer", cues, cands)
            if m:
                out.append(m)
                taken.append((m.start, m.end))
        out += self._abbreviations(text, ps, pe, lang, cues, taken)
        out.sort(key=lambda m: m.start)
        return out

    def _abbreviations(self, text: str, ps: int, pe: int, lang: str, cues: Cues,
                       taken: list[tuple[int, int]]) -> list[Mention]:
        """"Gainesville, Ga.", "Wheeling, W.Va.": agency abbreviations of states after a comma."""
        out = []
        if not cues.abbreviations:
            return out
        for m in _ABBREV.finditer(text, ps, pe):
            s, e = m.start(1), m.end(1)
            full = cues.abbreviations.get(m.group(1))
            if not full or any(s < b and a < e for a, b in taken):
                continue
            cands = tuple(c for c in self.gaz.lookup(full) if c.feature in ("ADM1", "PPLC"))
            if cands:
                out.append(Mention(s, e, m.group(1), name_key(full), lang, "abbreviation", "admin", cands))
        return out

    def _adjectival(self, text: str, s: int, e: int, lang: str, cues: Cues) -> Mention | None:
        """"Russian", "Sri Lankan", "Israelis" -> the country (or continent) whose name the
        adjective's stem begins: suffixes are per-language data (`demonym_suffixes`)."""
        if self._areas is None:
            self._areas = self.gaz.areas(("PCLI", "CONT"))
        word = fold(text[s:e]).replace("-", " ")
        if not text[s:s + 1].isupper():
            return None
        for suffix in sorted((*cues.demonym_suffixes, "an", "i"), key=len, reverse=True):
            stem = word[: -len(suffix)] if word.endswith(suffix) else ""
            if len(stem) < 3:
                continue
            hits = [c for k, c in self._areas.items() if k.startswith(stem) and len(k) - len(stem) <= 4]
            if hits:
                best = max(hits, key=lambda c: c.pop)
                return Mention(s, e, text[s:e], name_key(best.name), lang, "adjectival", None, (best,))
        return None

    @staticmethod
    def _continues_list(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> bool:
        """True when the name is listed with an accepted place: "X, Y and Z", "Y et Z"."""
        for a, b in taken:
            gap = text[b:start] if b <= start else text[end:a] if end <= a else ""
            if 0 < len(gap) <= 6 and gap.strip(" ,").lower() in ("", "and", "or", "et", "ou", "&"):
                return True
        return False

    def _capital_runs(self, text: str, toks: list[_Tok], cues: Cues) -> list[tuple[int, int]]:
        """Token ranges [i, j) of capitalised names (longest first, then their sub-runs)."""
        runs: list[tuple[int, int]] = []
        i, n = 0, len(toks)
        while i < n:
            if not toks[i].text[:1].isupper() or (toks[i].fold in cues.stop and i + 1 < n and \
                    not toks[i + 1].text[:1].isupper()):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 5 and (toks[j].start - toks[j - 1].end <= 1 or
                                           text[toks[j - 1].end:toks[j].start] in ("- ", " -")) and (
                toks[j].text[:1].isupper() or (toks[j].fold in _LATIN_CONNECTORS and j + 1 < n
                                               and toks[j + 1].text[:1].isupper())):
                j += 1
            # every capitalised sub-run, earliest start and longest first; the matcher keeps the
            # first that hits ("A Deir ez-Zor" -> "Deir ez-Zor")
            runs.extend((a, k) for a in range(i, j) if toks[a].text[:1].isupper()
                        for k in range(j, a, -1) if toks[k - 1].text[:1].isupper())
            i = j
        return runs

    # -- Arabic paragraphs ------------------------------------------------------------------------
    def _arabic(self, text: str, ps: int, pe: int) -> list[Mention]:
        cues = load_cues("ar")
        toks = [t for t in _tokens(text[ps:pe], ps) if has_arabic(t.text)]
        # the key of every 1-4-word n-gram, built from each word's key tokens, folded once per word
        # (folding every n-gram was 436k `name_key` calls on 600 documents, and filled its cache)
        words: dict[str, tuple[list[str], str | None]] = {}  # a paragraph repeats its words
        for t in toks:
            if t.fold not in words:
                p = key_tokens(t.fold)
                words[t.fold] = (p, arabic_key(p))
        parts = [words[t.fold][0] for t in toks]
        frags = [words[t.fold][1] for t in toks]
        heads: list[list[tuple[list[str], str | None, int]]] = []  # the first word's forms
        for t, p, f in zip(toks, parts, frags, strict=True):
            first, forms = t.fold, [(p, f, 0)]
            for form, ok in (("ال" + first[2:], first.startswith("لل") and len(first) > 4),
                             (first[1:], first[:1] in _AR_PROCLITICS and len(first) > 3)):
                if ok:
                    fp = key_tokens(form)
                    forms.append((fp, arabic_key(fp), 1))
            heads.append(forms)
        variants: dict[tuple[int, int], list[tuple[str, int]]] = {}
        for i in range(len(toks)):
            for j in range(i + 1, min(i + _MAX_NGRAM, len(toks)) + 1):
                if toks[j - 1].start - toks[i].end > 40 * (j - i):
                    break
                rest = frags[i + 1:j]
                plain = None not in rest
                keys = []
                for fp, frag, cut in heads[i]:
                    if plain and frag is not None:
                        key = " ".join(x for x in (frag, *rest) if x)
                    else:
                        key = join_key([*fp, *(w for p in parts[i + 1:j] for w in p)])
                    keys.append((key, cut))
                variants[(i, j)] = keys
        found = self.gaz.lookup_keys(k for vs in variants.values() for k, _ in vs)
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = None
            for j in range(min(i + _MAX_NGRAM, len(toks)), i, -1):
                for key, cut in variants.get((i, j), []):
                    if key in found and len(key.replace(" ", "")) >= 3:
                        hit = (j, key, cut)
                        break
                if hit:
                    break
            if not hit:
                i += 1
                continue
            j, key, cut = hit
            first = toks[i].fold
            if key in cues.generic or key in cues.never or (
                    not cut and first[:1] == "و" and name_key(first[1:]) in cues.stop):
                i = j  # "بلدة", "مدينة" are cue words; "وإن" is "and if", not Van
                continue
            # Arabic transliterations of far-away small places are ordinary words ("سوري" Surrey,
            # "كان" Cannes): outside the region only countries, capitals and big cities count.
            cands = tuple(c for c in found[key] if c.cc in ARABIC_REGION or c.pop >= 1_000_000
                          or c.feature in ("PCLI", "PPLC", "CONT") or c.gid.startswith(CURATED_PREFIXES))
            before = [t.fold for t in toks[max(0, i - cues.max_before):i]]
            if cut:  # the peeled proclitic (ب "in") is itself a cue
                before = [*before, toks[i].fold[:cut]]
            hint = cues.cue_before(before)
            after = [t.fold for t in toks[j:j + 2]]
            is_actor = cues.ends_with(before, cues.actor_before) or cues.starts_with(after, cues.actor_after)
            strong_hint = hint not in (None, "weak")
            # "السوري", "الغربية": a nisba adjective after a noun, unless a cue names a place
            nisba = j - i == 1 and toks[i].fold[cut:].startswith("ال") and key.endswith(("ي", "يه"))
            if key in cues.stop or nisba:
                ok = strong_hint
            elif hint:
                ok = strong_hint or _is_strong(cands, self.strong_pop) or j - i > 1
            else:
                ok = _is_strong(cands, self.strong_pop)
            if cands and ok and not is_actor and not (
                    any(c.feature == "PPLC" for c in cands) and not hint and j - i == 1):
                s = toks[i].start + cut
                e = toks[j - 1].end
                out.append(Mention(s, e, text[s:e], key, "ar", "gazetteer", hint, cands))
            i = j
        return out

    # -- shared -----------------------------------------------------------------------------------
    def _make(self, text: str, toks: list[_Tok], i: int, j: int, lang: str, source: str, cues: Cues,
              cands: tuple[Candidate, ...] | None = None) -> Mention | None:
        """A mention over toks[i:j] unless context says it is an actor; candidates attached."""
        if i >= j:
            return None
        if source == "ner":
            k = i
            while k < j - 1 and toks[k].fold in _LATIN_CONNECTORS:
                k += 1
            if not toks[k].text[:1].isupper():
                return None  # "the city on", "areas east of the river": no name, a description
        s, e = toks[i].start, toks[j - 1].end
        abbrev = cues.abbreviations.get(text[s:e + 1]) if text[e:e + 1] == "." else None
        if abbrev and cands is None:
            cands = tuple(c for c in self.gaz.lookup(abbrev) if c.feature in ("ADM1", "PPLC"))
        if e < len(text) and text[e] == "." and (abbrev or _DOTTED.match(text[s:e + 1])):
            e += 1  # "U.S.", "B.C.", "Ky.": the final period belongs to the abbreviation
        surface = text[s:e]
        if re.match(r"-?\d", text[e:e + 2]):
            return None  # "Su-35", "S-400", "Mi-8": a weapon's name, not a place
        key = name_key(surface)
        if not key or key in cues.stop or key in cues.generic or key in LATIN_ARTICLES:
            return None
        # words before, within the sentence ("…on its website. Ducks in Pennsylvania": no outlet)
        first = i
        while first > max(0, i - cues.max_before) and not re.search(
                r"[.!?;:]\s", text[toks[first - 1].end:toks[first].start + 1]):
            first -= 1
        before = [t.fold for t in toks[first:i]]
        after = [t.fold for t in toks[j:j + 3]]
        hint = cues.cue_before(before)
        # "la chaîne Al-Mayadeen", "the channel Al-Arabiya": an outlet's name, unless a place cue
        # stands between ("a newspaper based in Yogyakarta")
        own = [t.fold for t in toks[i:j]]
        if cues.starts_with(after, cues.actor_after) or cues.ends_with(before, cues.actor_before) or \
                (len(own) > 1 and cues.ends_with(own, cues.actor_after)) or \
                (hint is None and _outlet_name(before, cues.actor_context)):
            return None
        if after and after[0] in cues.after:
            hint = cues.after[after[0]]
        if cands is None:
            cands, generic_hint = self._candidates(key, cues)
            hint = hint or generic_hint
        trim = cues.trimmable
        if cands and j - i > 1 and (toks[j - 1].text in trim or toks[i].text in trim) \
                and not any(name_key(c.name) == key for c in cands):
            # "Nyanza province", "Pingliang city": the place is the name and the generic word only
            # tells its kind (kept as the hint); not "Mexico City", which is its own name
            hint = hint or cues.after.get(toks[j - 1].fold)
            while j - i > 1 and toks[j - 1].text in trim:  # lower case only: "Nyanza Province" is a name
                j -= 1
            while j - i > 1 and toks[i].text in trim:
                i += 1
            s, e = toks[i].start, toks[j - 1].end
            surface, key = text[s:e], name_key(text[s:e])
        acting = cues.acts([t.fold for t in toks[j:j + 6]], [t.text[:1].isupper() for t in toks[j:j + 6]])
        # a capital acts with any verb form; another big city only with a listed verb ("Tel-Aviv is
        # committed", "Riyadh warned"), not "Aleppo was shelled"
        seat = any(c.feature == "PPLC" or (acting == "verb" and c.feature.startswith("PPL") and
                                           c.pop >= 300_000) for c in cands)
        governs = not before or before[-1] not in ("of", "de", "d", "du", "des")  # "the Mayor of Boston said"
        if cands and any(c.feature == "PPLC" for c in cands) and cues.ends_with(before, cues.seat_before):
            return None  # "faire pression sur Moscou", "talks with Damascus": the government
        if cands and acting and governs and hint in (None, "weak", "list") and seat and \
                not any(c.feature == "PCLI" for c in cands):
            return None  # "Washington a intimé", "Damascus said": the government acts
        physical = source == "ner" and len(key.split()) > 1 and any(w in cues.physical for w in key.split())
        if not cands and not physical and (hint in (None, "weak") or
                                           key.split()[-1].endswith(cues.demonym_suffixes)):
            return None  # unresolvable and nothing but the NER label says it is a place
        # (a named sea, range or valley the gazetteer lacks is kept, unresolved: "the Baltic Sea")
        return Mention(s, e, surface, key, lang, source, hint, cands)

    def _candidates(self, key: str, cues: Cues) -> tuple[tuple[Candidate, ...], str | None]:
        """Exact match, then without generic words ("Deir Ezzor province", "région al-Tanf"),
        then fuzzy; with the feature hint a generic word gives."""
        cands = self.gaz.lookup_keys([key]).get(key, ())
        hint = None
        words = key.split()
        while not cands and len(words) > 1 and (words[0] in cues.generic or words[-1] in cues.generic):
            if words[-1] in cues.generic:
                hint = cues.after.get(words[-1], hint)
                words = words[:-1]
            else:
                hint = cues.before.get((words[0],), hint)
                words = words[1:]
            sub = name_key(" ".join(words))
            cands = self.gaz.lookup_keys([sub]).get(sub, ())
            key = sub
        if not cands:
            cands = self.gaz.fuzzy(key, self.fuzzy_ratio)
        return cands, hint

