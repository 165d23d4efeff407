"""English attribution on the shared encoder (the `accurate` profile): e5 token states → a word
tagger of source / cue / content in flat BIO (the PolNeAR / CofeNet tag set).

Why: the rules of furat.claims.extract find the reporting verbs of the guide but PolNeAR also codes
beliefs, intentions, nested and discontinuous attributions that no verb list reaches (PolNeAR test
0.44 / 0.50 / 0.18 exact F1, docs/QUALITY.md). This head is trained on English political news
hand-annotated by PolNeAR's guideline (scripts/train_encoder_attribution.py, never on the
benchmark); its low-rank adapters are merged into the encoder when it is built (furat.encoder.build),
the head runs here in numpy with BIO-constrained decoding (furat.encoder.heads.best_tags).

Words are the given tokens (a pre-tokenised sentence, PTB quotes `` '' read as ") joined by single
spaces, as in training; raw text is cut by furat.encoder.heads.words.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from furat.encoder import data_path
from furat.entities.encoder_tagger import EncoderTagger

HEAD = "attribution_en"
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
# Penn Treebank escapes (CoreNLP's tokens) back to the characters of the text
PTB = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
       "-LCB-": "{", "-RCB-": "}"}


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
