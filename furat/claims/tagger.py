"""English attribution on the shared encoder (the `accurate` profile): e5 token states → a word
tagger of source / cue / content in flat BIO (the PolNeAR / CofeNet tag set).

Why: the rules of furat.claims.extract find the reporting verbs of the guide but PolNeAR also codes
beliefs, intentions, nested and discontinuous attributions that no verb list reaches (PolNeAR test
exact F1 source / cue / content: rules 0.44 / 0.50 / 0.18, this tagger 0.64 / 0.61 / 0.47;
docs/QUALITY.md). This head is trained on English political news hand-annotated by PolNeAR's
guidelines (annotations/attribution, scripts/train_encoder_attribution.py, never on the
benchmark); its low-rank adapters are merged into the encoder when it is built (furat.encoder.build),
the head runs here in numpy with BIO-constrained decoding (furat.encoder.heads.best_tags).

Words are the given tokens (a pre-tokenised sentence, PTB quotes `` '' read as ") joined by single
spaces, as in training; raw text is cut by furat.encoder.heads.words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from furat.encoder import data_path
from furat.entities.encoder_tagger import EncoderTagger

HEAD = "attribution_en"
ROLES = ("source", "cue", "content")
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
# Penn Treebank escapes (CoreNLP's tokens) back to the characters of the text
PTB = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
       "-LCB-": "{", "-RCB-": "}"}


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def bio_spans(labels: Sequence[str]) -> dict[str, set[tuple[int, int]]]:
    """Token spans [start, end) of each role from flat BIO labels (an I- after another role or O
    opens a span, as the CofeNet scorer reads them)."""
    out: dict[str, set[tuple[int, int]]] = {r: set() for r in ROLES}
    start, role = None, None
    for i, lab in enumerate([*labels, "O"]):
        tag, _, kind = lab.partition("-")
        if start is not None and (tag != "I" or kind != role):
            out[role].add((start, i))  # type: ignore[index]
            start, role = None, None
        if tag == "B" or (tag == "I" and start is None):
            start, role = i, kind
    return {r: out.get(r, set()) for r in ROLES}


def token_text(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text (tokens joined by one space, PTB escapes undone) and each token's span."""
    words = [PTB.get(t, t) for t in tokens]
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    return " ".join(words), offsets


class AttributionTagger(EncoderTagger):
    """The attribution head (adapters + word tagger) over its own build of the encoder."""

    def tag_sentences(self, text: str, sentences: Sequence[tuple[int, int]]
                      ) -> list[list[tuple[int, int, str]]]:
        """(start, end, role) spans in `text` of each sentence span: the sentence cut into tokens by
        spaCy's English tokenizer (the training data's), tagged as a tokenised sentence."""
        toks = _tokenizer()
        cut: list[list[tuple[int, int]]] = []
        for s, e in sentences:
            cut.append([(s + t.idx, s + t.idx + len(t.text)) for t in toks(text[s:e]) if not t.is_space])
        labels = self.tag_tokens([[text[a:b] for a, b in spans] for spans in cut])
        out = []
        for spans, labs in zip(cut, labels, strict=True):
            found = bio_spans(labs)
            out.append(sorted((spans[a][0], spans[b - 1][1], role) for role, group in found.items()
                              for a, b in group))
        return out

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Flat BIO labels (source / cue / content) of each token of each pre-tokenised sentence;
        the sentences go through the encoder together, batched by length."""
        cut = [token_text(toks) for toks in sentences]
        encs = self.encoder.encode([text for text, _ in cut])
        return [self.word_tags(enc, spans) if spans else []
                for enc, (_, spans) in zip(encs, cut, strict=True)]


def load(name: str = HEAD) -> AttributionTagger:
    """The shipped attribution tagger (furat/data/encoder/`name`.npz), or the one in the .npz file
    `name` (a candidate being trained)."""
    path: Path = Path(name) if name.endswith(".npz") else data_path(f"{name}.npz")
    if not path.exists():
        raise FileNotFoundError(f"encoder head {path} is missing "
                                "(scripts/train_encoder_attribution.py writes it)")
    return AttributionTagger(path)


def refine(doc, found: list, tagger: AttributionTagger, roles: Sequence[str] = ("content",)) -> None:
    """The rules' English claims (`furat.claims.extract.Found`) with the tagger's span of each role
    in `roles` ("source" → speaker, "content") wherever it overlaps the rules' own in the same
    sentence, trimmed as the rules trim theirs (no "that", no enclosing quote marks). Cues, stances
    and which claims exist stay the rules'."""
    from furat.claims.extract import _strip_lead
    from furat.claims.lexicon import claim_lexicon
    from furat.claims.spans import trim, trim_content

    mine = [f for f in found if f.lang == "en"]
    sents = sorted({f.sentence for f in mine})
    if not sents:
        return
    tagged = dict(zip(sents, tagger.tag_sentences(doc.text, sents), strict=True))
    lex = claim_lexicon("en")
    text = doc.text
    for f in mine:
        s, e = f.sentence
        for role, field in (("source", "speaker"), ("content", "content")):
            old = getattr(f, field)
            if role not in roles or old is None or not (s <= old[0] and old[1] <= e):
                continue
            # never a span that holds the claim's own cue (an outer attribution's content: "X said
            # …, a journalist reported" is content of the journalist's as a whole)
            best = max(((min(b, old[1]) - max(a, old[0]), a, b) for a, b, r in tagged[f.sentence]
                        if r == role and not (a < f.cue[1] and f.cue[0] < b)), default=None)
            if best is None or best[0] <= 0:
                continue
            a, b = best[1], best[2]
            if role == "content":
                a, b = trim_content(text, _strip_lead(lex, text, *trim(text, a, b)), b)
            else:
                a, b = trim(text, a, b)
            if b > a:
                setattr(f, field, (a, b))
