"""Speed of the shared encoder (furat.encoder, int8 ONNX, one thread): tokens/s per core.

Run: python bench/bench_encoder.py [--adapters furat/data/encoder/ner_ar.npz] [--docs 20]
The input is the five seed pages (fr/ar) cut into ~600-word documents, split into sentences as the
Arabic tagger does, encoded a document at a time (the per-document cache cleared each run). CPU
time of the process is the figure (per core: one intra-op thread); the wall clock is printed beside
it, but on the shared machine it also counts the other jobs. With --tagger, the Arabic NER head
(furat.entities.encoder_tagger) runs on the Arabic documents: its cost per 600 words.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from furat.encoder import Encoder
from furat.entities.encoder_tagger import EncoderTagger, sentence_spans

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def documents(words_per_doc: int = 600) -> list[str]:
    """The seed pages' words regrouped into documents of `words_per_doc` words, lines kept."""
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        cur: list[str] = []
        n = 0
        for line in lines:
            cur.append(line)
            n += len(line.split())
            if n >= words_per_doc:
                docs.append("\n".join(cur))
                cur, n = [], 0
        if n > words_per_doc // 2:
            docs.append("\n".join(cur))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapters", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tagger", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    enc = Encoder(args.adapters)
    load = time.perf_counter() - t0
    docs = documents()
    enc.encode(["warm up"])
    tokens = cpu = wall = 0.0
    for _ in range(args.rounds):
        for doc in docs:
            enc._docs.clear()
            before = enc.tokens_run
            c, w = time.process_time(), time.perf_counter()
            enc.encode_document(doc, sentence_spans(doc))
            cpu += time.process_time() - c
            wall += time.perf_counter() - w
            tokens += enc.tokens_run - before
    words = sum(len(d.split()) for d in docs) * args.rounds
    out = {"documents": len(docs) * args.rounds, "words": words, "tokens": int(tokens),
           "tokens_per_word": round(tokens / words, 2), "tokens_per_cpu_s": round(tokens / cpu),
           "tokens_per_wall_s": round(tokens / wall), "cpu_ms_per_600_words": round(1000 * cpu / words * 600),
           "load_s": round(load, 1), "build_s": enc.meta.get("build_seconds")}
    if args.tagger and args.adapters:
        tagger = EncoderTagger(args.adapters, enc)
        arabic = [d for d in docs if sum("\u0600" <= ch <= "\u06ff" for ch in d) > len(d) / 3]
        enc._docs.clear()
        c = time.process_time()
        list(tagger.pipe(arabic))
        out["ar_ner_cpu_ms_per_600_words"] = round(
            1000 * (time.process_time() - c) / sum(len(d.split()) for d in arabic) * 600)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
