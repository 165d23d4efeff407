"""Find actor mentions in one text and resolve them to canonical records.

Longest match first, left to right, over word keys (furat.actors.normalize). At each word, the
candidates are, by decreasing trust: a dictionary or curated alias; an acronym defined earlier in
the same document ("Forces démocratiques syriennes (FDS)"); demonym + agent noun ("Russian
forces", "les blindés russes", "الجيش السوري") → that country's record for the sector; a capital
used as an agent ("Damas a annoncé" → SYR GOV, not "à Damas"); a country name as agent; a short
form ("the organisation", "التنظيم") → the last actor of a matching sector, at low confidence.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from furat.actors.kb import KB, MAX_LEN, LangTables, load_kb
from furat.actors.normalize import key, surface, tokens

# "(FDS)", "« FDS »", "(قسد)" right after a mention defines an acronym for the rest of the text.
_ACRONYM_DEF = re.compile(r"\s*[(«\[]\s*([^\s()«»\[\]]{2,12})\s*[)»\]]")

_DETERMINERS = {"the", "a", "an", "le", "la", "les", "l", "d", "de", "du", "des", "of", "al"}
CONF_ACRONYM = 0.9
CONF_ROLE = 0.8
CONF_CAPITAL = 0.7
CONF_COUNTRY = 0.6
CONF_COREF = 0.5
# Documents whose mentions are kept (the entities stage and the actors stage of one pipeline batch
# resolve the same text: the second asks the cache). A pipeline batch is 64 documents.
DOC_CACHE_SIZE = 256


@dataclass
class Mention:
    start: int
    end: int
    record: int
    confidence: float
    how: str
    first: str = ""
    head: str = ""  # key of a multi-word name's first word, which may stand for it later (coref_heads)


@dataclass
class _Tok:
    start: int
    end: int
    raw: str
    key: str


def _words(text: str, offset: int) -> list[_Tok]:
    return [_Tok(s + offset, e + offset, raw, key(raw)) for s, e, raw in tokens(text)]


_AND = {"and", "et", "و", "or", "ou", "او"}  # "in Iraq and Syria", "في سورية أو ليبيا"


def _in_capitals(raw: str) -> bool:
    """A word written in capitals, as datelines write the place a story was filed from."""
    letters = [c for c in raw if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


class Resolver:
    """Stateless over documents; `doc_acronyms` and earlier mentions are passed per document."""

    def __init__(self, kb: KB) -> None:
        self.kb = kb
        # For each table, the longest entry starting with each first word: most words start
        # nothing, and a miss then costs one dict lookup instead of ten.
        self._longest: dict[int, dict[str, int]] = {}
        # Per language, which key tables have an entry starting with a word, and the first raw words
        # of acronyms: a word starting nothing (most) is skipped in two lookups, and one starting
        # something ("la" → "la coalition") is only tried against the tables that can match.
        self._heads: dict[int, dict[str, frozenset[int]]] = {}
        self._acronym_heads: dict[int, frozenset[str]] = {}
        for t in kb.tables.values():
            keyed = (t.aliases, t.demonyms, t.agents, t.capitals, t.countries, t.coref)
            for table in (*keyed, t.acronyms):
                longest: dict[str, int] = {}
                for k in table:
                    longest[k[0]] = max(longest.get(k[0], 0), len(k))
                self._longest[id(table)] = longest
            heads: dict[str, set[int]] = {}
            for table in keyed:
                for k in table:
                    heads.setdefault(k[0], set()).add(id(table))
            self._heads[id(t)] = {w: frozenset(ids) for w, ids in heads.items()}
            self._acronym_heads[id(t)] = frozenset(k[0] for k in t.acronyms)
        self._docs: OrderedDict[tuple, list[Mention]] = OrderedDict()

    def _is_locative(self, t: LangTables, toks: list[_Tok], i: int) -> bool:
        if i > 0 and toks[i - 1].key in t.locative:
            return True
        # "in Iraq and Syria", "في سورية أو ليبيا أو فنزويلا": every place of a list joined after "in"
        j = i
        while j > 2 and toks[j - 1].key in _AND and (toks[j - 2].key,) in t.countries:
            if toks[j - 3].key in t.locative:
                return True
            j -= 2
        # "لليبيا", "بسوريا": a preposition glued to the name; not the first letter of a name itself
        # ("لبنان", "ليبيا", "بريطانيا" are names as written)
        raw = toks[i].raw
        if not (t.locative_prefixes and raw.startswith(t.locative_prefixes) and toks[i].key != raw):
            return False
        written = surface(raw)
        return not (written in t.first_words or (written[:1] in "وف" and written[1:] in t.first_words))

    @staticmethod
    def _alias_ok(n: int, alias: object, raws: list[str]) -> bool:
        """Dictionary names need a capitalised word besides articles ("the nations" is not UCDP's
        "The Nation"); one-word Latin names must be written as in the dictionary: the -s folding of
        keys would make "Paris" match UCDP's "Pari"."""
        if alias.needs_cap and not any(w[:1].isupper() for w in raws if w.lower() not in _DETERMINERS):
            return False
        return not (n == 1 and raws[0].isascii() and alias.first and surface(raws[0]) != alias.first)

    def _span_match(self, table: dict, ks: list[str], i: int) -> tuple[int, object] | None:
        if i >= len(ks):
            return None
        longest = self._longest[id(table)].get(ks[i], 0)
        for n in range(min(longest, MAX_LEN, len(ks) - i), 0, -1):
            v = table.get(tuple(ks[i : i + n]))
            if v is not None:
                return n, v
        return None

    def _candidates(self, t: LangTables, toks: list[_Tok], ks: list[str], raws: list[str], i: int,
                    acr: dict[str, int], prev: list[Mention]) -> Mention | None:
        best: Mention | None = None
        here = self._heads[id(t)].get(ks[i])
        acronym = raws[i] in self._acronym_heads[id(t)]
        if here is None and not acronym and raws[i] not in acr:
            return None
        here = here or frozenset()

        def offer(n: int, rec: int, conf: float, how: str, first: str = "") -> None:
            nonlocal best
            if best is None or n > best.end:
                best = Mention(i, n, rec, conf, how, first)  # end holds the token count until returned

        match = self._span_match
        if id(t.aliases) in here and (m := match(t.aliases, ks, i)) and \
                self._alias_ok(m[0], m[1], raws[i : i + m[0]]):
            offer(m[0], m[1].record, m[1].confidence, "merged-alias" if m[1].merged else "alias", m[1].first)
        if acronym and (m := self._span_match(t.acronyms, raws, i)):
            offer(m[0], m[1].record, m[1].confidence, "acronym")
        if toks[i].raw in acr:
            offer(1, acr[toks[i].raw], CONF_ACRONYM, "defined-acronym")
        # demonym + agent, in the language's order
        first, second = (t.demonyms, t.agents) if t.demonym_first else (t.agents, t.demonyms)
        if id(first) in here and (m := match(first, ks, i)) and (m2 := match(second, ks, i + m[0])):
            iso, sector = (m[1], m2[1]) if t.demonym_first else (m2[1], m[1])
            offer(m[0] + m2[0], self.kb.role_record(iso, sector), CONF_ROLE, "demonym+agent")
        # "les forces (militaires) de Damas", "the forces of Damascus": a state's forces by its capital
        if t.owner_words and id(t.agents) in here and (m := match(t.agents, ks, i)):
            k = i + m[0]
            k += 1 if k < len(ks) and raws[k][:1].islower() and ks[k] in t.agents_qualifiers else 0
            if k + 1 < len(ks) and ks[k] in t.owner_words and (m2 := match(t.capitals, ks, k + 1)):
                offer(k + 1 + m2[0] - i, self.kb.role_record(m2[1], m[1]), CONF_ROLE, "demonym+agent")
        dateline = i == 0 and _in_capitals(raws[i])  # "AMMAN, March 3", "SYRIE –": where, not who
        if id(t.capitals) in here and (m := match(t.capitals, ks, i)) and not self._is_locative(t, toks, i) \
                and not dateline:
            offer(m[0], self.kb.role_record(m[1], "GOV"), CONF_CAPITAL, "capital")
        if id(t.countries) in here and (m := match(t.countries, ks, i)) \
                and not self._is_locative(t, toks, i) and not dateline:
            offer(m[0], self.kb.role_record(m[1], None), CONF_COUNTRY, "country")
        # "وقالت الكتائب" after "كتائب سيد الشهداء": the name's first word as its short form
        if prev and ks[i] in t.coref_heads and raws[i].lstrip("وف").startswith("ال") and \
                (p := next((p for p in reversed(prev) if p.head == ks[i]), None)):
            offer(1, p.record, CONF_COREF, "coref")
        if prev and id(t.coref) in here and (m := self._span_match(t.coref, ks, i)):
            for p in reversed(prev):
                rec = self.kb.records[p.record]
                if rec.sector in m[1] or rec.name in m[1]:
                    offer(m[0], p.record, CONF_COREF, "coref")
                    break
        return best

    @staticmethod
    def _clitic_len(raw: str, first: str, known: set[str] | frozenset = frozenset()) -> int:
        """Letters of a prefix clitic (و, ل, ب…) before the dictionary word: kept out of the span."""
        s = surface(raw)
        if first and s != first and s.endswith(first) and len(s) - len(first) <= 2:
            return len(s) - len(first)
        if not first and s not in known:
            for n in (1, 2):
                if s[n:] in known:
                    return n
        if not first and s.startswith(("وال", "فال", "بال")):
            return 1
        return 0

    def find(self, text: str, lang: str, offset: int = 0, acr: dict[str, int] | None = None,
             prev: list[Mention] | None = None, full_text: str | None = None) -> list[Mention]:
        """Mentions in `text` (a paragraph at `offset` of `full_text`), offsets into full_text."""
        t = self.kb.tables.get(lang) or self.kb.tables["en"]
        acr = {} if acr is None else acr
        prev = [] if prev is None else prev
        full = full_text if full_text is not None else text
        toks = _words(text, offset)
        ks = [w.key for w in toks]
        raws = [w.raw for w in toks]
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            c = self._candidates(t, toks, ks, raws, i, acr, prev)
            if c is None:
                i += 1
                continue
            n = c.end
            if lang == "ar" and c.how == "coref" and not toks[i].raw.lstrip("وف").startswith("ال"):
                i += 1  # "تنظيم" without the article is not an anaphor
                continue
            if lang != "ar" and c.how in ("capital", "country") and not toks[i].raw[:1].isupper():
                i += 1
                continue
            if c.how == "coref" and n > 1 and i + 1 < len(toks) and \
                    (nxt := self._candidates(t, toks, ks, raws, i + 1, acr, prev)) and \
                    nxt.how != "coref" and nxt.end > n - 1:
                i += 1  # "la coalition dirigée par les Etats-Unis": the name, not the short form
                continue
            start = toks[i].start + self._clitic_len(toks[i].raw, c.first, t.first_words) \
                if lang == "ar" else toks[i].start
            mention = Mention(start, toks[i + n - 1].end, c.record, c.confidence, c.how,
                              head=ks[i] if n > 1 and c.how != "coref" else "")
            out.append(mention)
            prev.append(mention)
            defines = c.how in ("alias", "merged-alias", "acronym", "demonym+agent")
            if defines and (d := _ACRONYM_DEF.match(full, mention.end)):
                acr.setdefault(d.group(1), c.record)
            i += n
        return out

    def find_document(self, text: str, segments: list[tuple[int, int, str]]) -> list[Mention]:
        """Mentions of a whole document given its (start, end, language) paragraphs; acronyms it
        defines and antecedents of short forms carry across paragraphs. Cached per text and
        segmentation, so that the entities stage (armed groups) and the actors stage, which both
        need them, resolve a document once. The mentions returned are shared: do not modify."""
        k = (text, tuple(segments))
        if (hit := self._docs.get(k)) is not None:
            self._docs.move_to_end(k)
            return hit
        acr: dict[str, int] = {}
        prev: list[Mention] = []
        out: list[Mention] = []
        for start, end, lang in segments:
            out += self.find(text[start:end], lang, start, acr, prev, text)
        self._docs[k] = out
        if len(self._docs) > DOC_CACHE_SIZE:
            self._docs.popitem(last=False)
        return out

    def clear_cache(self) -> None:
        self._docs.clear()


def shared_resolver(data_dir: str | None = None) -> Resolver:
    """One resolver per knowledge base in the process, shared by the entities and actors stages."""
    return _resolver(data_dir or None)


@lru_cache(maxsize=4)
def _resolver(data_dir: str | None) -> Resolver:
    return Resolver(load_kb(data_dir))
