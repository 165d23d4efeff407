"""Arabic NER on the shared encoder (the `accurate` profile): e5 token states → a linear word tagger.

Why: the CRF (furat.entities.arabic_crf) sees only surface features and tops out near 0.6 micro-F1
on NewsFANE; contextual states from multilingual-e5-small, fine-tuned with low-rank adapters on
NewsFANE train + dev (scripts/train_encoder_ner.py), carry the context it lacks. The adapters are merged
into the encoder when it is built (furat.encoder.build), the head is applied here in numpy. Same
span contract as the CRF: `pipe(texts)` yields (start, end, label) per text. Each sentence's word
tags are the best BIO-valid sequence (`heads.bio_viterbi`), not each word's argmax: NewsFANE dev through the
entities stage 0.743 -> 0.749 (docs/QUALITY.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from furat.encoder import Encoder, data_path, get_encoder
from furat.encoder.heads import best_tags, bio_decode, first_pieces, linear, words

# a sentence ends at . ! ? ؟ followed by space, or at a line break (the encoder was trained on
# sentences; shorter inputs also keep attention cheap)
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of `text`."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class EncoderTagger:
    """Token classification head `name`.npz (adapters + head) over the shared encoder."""

    is_span_tagger = True  # the entities stage takes (start, end, label) from `pipe`, like the CRF

    def __init__(self, weights: Path, encoder: Encoder | None = None) -> None:
        with np.load(weights) as z:
            self.weight = z["head.weight"].astype(np.float32)
            self.bias = z["head.bias"].astype(np.float32)
            self.labels = [str(x) for x in z["labels"]]
        self.encoder = encoder or get_encoder(adapters=weights)

    def tag(self, text: str) -> list[tuple[int, int, str]]:
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str]) -> Iterator[list[tuple[int, int, str]]]:
        """Spans per text; the sentences of all `texts` go through the encoder together."""
        texts = list(texts)
        docs = [(text, sentence_spans(text)) for text in texts]
        for (text, sents), encs in zip(docs, self.encoder.encode_documents(docs), strict=True):
            spans: list[tuple[int, int, str]] = []
            for (s, e), enc in zip(sents, encs, strict=True):
                wspans = words(text, s, e)
                if not wspans:
                    continue
                spans += bio_decode(self.word_tags(enc, wspans), wspans)
            yield spans

    def word_tags(self, enc, wspans: list[tuple[int, int]]) -> list[str]:
        """BIO tag of each word: the best valid sequence over the head's scores of the words' first
        pieces (a word no piece holds is O)."""
        return best_tags(linear(enc.states, self.weight, self.bias), first_pieces(wspans, enc.offsets),
                         self.labels)


def load(name: str) -> EncoderTagger:
    """`encoder:ner_ar` (or `encoder`, the Arabic NER) → the tagger on furat/data/encoder/ner_ar.npz."""
    head = name.partition(":")[2] or "ner_ar"
    path = data_path(f"{head}.npz")
    if not path.exists():
        raise FileNotFoundError(f"encoder head {path} is missing (scripts/train_encoder_ner.py writes it)")
    return EncoderTagger(path)
