"""Train furat's linking models (reproducible; `nice -n 10 python scripts/train_linking.py`).

* `furat/data/link/ecbplus.json`: the English ECB+ pair scorer (train split of
  ../shared/data/linking/ecbplus_traindev); the topic and merge thresholds are chosen on dev by
  CoNLL F1. The test split is never read here.
* `furat/data/link/ecbplus_e5.json` + `ecbplus_e5.npz` (`--encoder`, the `accurate` profile): the
  same features + `e5_pair`, the logit of a linear model over the contextual vectors of furat's
  encoder (trigger and its sentence's participants, in context; `furat.eval.ecb_context`), fitted on
  the train pairs; the LR sees that logit out of fold (5 folds of train topics), as it will on dev.
* `furat/data/link/store.json`: the scorer of furat's own mentions (fr/ar/en event records), fitted
  on the blocked pairs of the hand-checked clusters in annotations/linking/ over a database of the
  dev pages and seeds (`--db`, made by `furat ingest`); its threshold is picked by leave-one-out.
  When the rule "sentence cosine >= RULE_COS" scores those pairs better than the regression's
  leave-one-out probabilities (too few coreferent pairs to learn from), the rule is shipped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from sklearn.linear_model import LogisticRegression

from furat.eval import linking as L
from furat.link.features import RULE_COS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "link"
STORE_USED = ("cos", "cos_cross", "near", "same_country", "actor_conflict", "date_gap")
RULE_SLOPE = 40.0  # the cosine rule as a logistic scorer: 0.5 exactly at RULE_COS, ~0 / ~1 0.1 away


def _subtopic(doc: str) -> str:
    return doc.split("_")[0] + ("+" if "plus" in doc else "")


E5_KINDS = ("trigger", "args")  # dev CoNLL: trigger alone +0.003, with args +0.007 (docs/QUALITY.md)
E5_FOLDS = 5


def fit_pair_model(v: np.ndarray, i: np.ndarray, j: np.ndarray, y: np.ndarray, epochs: int = 3,
                   lr: float = 1e-3, l2: float = 1e-4, batch: int = 256) -> tuple[np.ndarray, float]:
    """A logistic regression over `pair_inputs` by minibatch Adam (sklearn's lbfgs took over 15 min
    on the 185k x 768 train pairs of this shared CPU; this takes ~10 s)."""
    from furat.eval.ecb_context import pair_inputs

    rng = np.random.default_rng(0)
    w, b = np.zeros(2 * v.shape[1], np.float32), 0.0
    mw, sw, mb, sb, t = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0, 0
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch):
            idx = order[start:start + batch]
            x = pair_inputs(v, i[idx], j[idx])
            g = (1.0 / (1.0 + np.exp(-(x @ w + b))) - y[idx]) / len(idx)
            gw, gb = x.T @ g + l2 * w, float(g.sum())
            t += 1
            mw, sw = 0.9 * mw + 0.1 * gw, 0.999 * sw + 0.001 * gw ** 2
            mb, sb = 0.9 * mb + 0.1 * gb, 0.999 * sb + 0.001 * gb ** 2
            w = (w - lr * (mw / (1 - 0.9 ** t)) / (np.sqrt(sw / (1 - 0.999 ** t)) + 1e-8)).astype(np.float32)
            b -= lr * (mb / (1 - 0.9 ** t)) / (np.sqrt(sb / (1 - 0.999 ** t)) + 1e-8)
    return w, b


def e5_columns(folder: Path, train: list, train_sents: dict, dev: list, dev_sents: dict,
               pairs: list[tuple[int, int]], y: np.ndarray, adapters: Path | None = None,
               fold_vectors: dict[str, np.ndarray] | None = None):
    """Out-of-fold `e5_pair` logits of the train pairs, the pair model fitted on all of train, and a
    function giving the column for dev pairs; vectors of the encoder with `adapters` (None: plain e5).
    `fold_vectors` (kind → [fold, mention, hidden], scripts/train_linking_encoder.py --folds): when the
    encoder itself was fitted on train, fold f's pairs are scored over the vectors of an encoder fitted
    without fold f, so the out-of-fold column is as honest as it is for the plain encoder."""
    from furat.eval.ecb_context import PairModel, contextual, entity_tokens

    ctx_t = contextual(train, train_sents, entity_tokens(folder, "Train"), adapters=adapters)
    ctx_d = contextual(dev, dev_sents, entity_tokens(folder, "Dev"), adapters=adapters)
    means = tuple(getattr(ctx_t, k).mean(axis=0) for k in E5_KINDS)
    empty = PairModel(E5_KINDS, means, np.zeros(0, np.float32), 0.0)
    vt, vd = empty.vectors(ctx_t), empty.vectors(ctx_d)
    p = np.array(pairs)
    topic = np.array([int(train[i].doc.split("_")[0]) for i in p[:, 0]])
    folds = np.unique(topic)
    oof = np.zeros(len(y))
    for f in range(E5_FOLDS):
        held = np.isin(topic, folds[f::E5_FOLDS])
        vf, mf = vt, means
        if fold_vectors is not None:  # fold f's own encoder, fitted without fold f's topics
            mf = tuple(fold_vectors[k][f].astype(np.float32).mean(axis=0) for k in E5_KINDS)
            vf = PairModel(E5_KINDS, mf, np.zeros(0, np.float32), 0.0).vectors(
                SimpleNamespace(**{k: fold_vectors[k][f].astype(np.float32) for k in E5_KINDS}))
        w, b = fit_pair_model(vf, p[~held, 0], p[~held, 1], y[~held])
        oof[held] = PairModel(E5_KINDS, mf, w, b).logits(vf, p[held, 0], p[held, 1])
    w, b = fit_pair_model(vt, p[:, 0], p[:, 1], y)
    model = PairModel(E5_KINDS, means, w, b)

    def dev_column(dpairs: list[tuple[int, int]]) -> np.ndarray:
        d = np.array(dpairs)
        return model.logits(vd, d[:, 0], d[:, 1])[:, None]
    return oof[:, None], model, dev_column


def train_pairs(folder: Path) -> tuple[list, dict, dict[str, list[int]], list[tuple[int, int]], np.ndarray,
                                        np.ndarray]:
    """ECB+ train's mentions and sentences, the lemma-pair table, and every pair inside a gold
    sub-topic with its ECB_FEATURES and gold label (what the LR is fitted on; also read by
    scripts/train_linking_encoder.py)."""
    train, train_docs, train_sents = L.load_split(folder, "Train")
    enc_t = L.encode(train, train_sents)
    # training pairs: within the gold sub-topics of train (the topic grouping is not what is learnt)
    by_sub: dict[str, list[int]] = {}
    for i, m in enumerate(train):
        by_sub.setdefault(_subtopic(m.doc), []).append(i)
    groups_t = [by_sub[k] for k in sorted(by_sub)]
    # lemma-pair counts per sub-topic; a training pair's prior leaves its own sub-topic out
    counts: dict[str, dict[str, list[int]]] = {}
    for idx in groups_t:
        for x, i in enumerate(idx):
            for j in idx[x + 1:]:
                key = L.lemma_key(enc_t.lemmas[i], enc_t.lemmas[j])
                c = counts.setdefault(key, {}).setdefault(_subtopic(train[i].doc), [0, 0])
                c[0] += int(train[i].chain == train[j].chain)
                c[1] += 1
    table = {k: [sum(v[0] for v in subs.values()), sum(v[1] for v in subs.values())]
             for k, subs in counts.items()}

    def prior_t(i: int, j: int) -> float:
        key = L.lemma_key(enc_t.lemmas[i], enc_t.lemmas[j])
        own = counts.get(key, {}).get(_subtopic(train[i].doc), [0, 0])
        rest = {key: [table[key][0] - own[0], table[key][1] - own[1]]} if key in table else {}
        return L.lemma_prior(rest, enc_t.lemmas[i], enc_t.lemmas[j])

    names_t, sim_t = L.doc_similarity(train_docs)
    at_t = {d: i for i, d in enumerate(names_t)}
    pairs, x = L.topic_pairs(enc_t, groups_t, prior_t, lambda a, b: float(sim_t[at_t[a], at_t[b]]))
    y = np.array([train[i].chain == train[j].chain for i, j in pairs], dtype=int)
    return train, train_sents, table, pairs, x, y


def train_ecbplus(folder: Path, encoder: bool = False, adapters: Path | None = None,
                  out_dir: Path = OUT, fold_vectors: dict[str, np.ndarray] | None = None) -> dict:
    train, train_sents, table, pairs, x, y = train_pairs(folder)
    dev, dev_docs, dev_sents = L.load_split(folder, "Dev")
    enc_d = L.encode(dev, dev_sents)
    features, extra = list(L.ECB_FEATURES), None
    if encoder:
        oof, pair_model, extra = e5_columns(folder, train, train_sents, dev, dev_sents, pairs, y, adapters,
                                            fold_vectors)
        x, features = np.hstack([x, oof]), [*features, "e5_pair"]
        pair_model.save(out_dir / "ecbplus_e5.npz")
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    # ship only the lemma pairs that carry information (the others fall back on the smoothing)
    shipped = {k: v for k, v in sorted(table.items()) if v[0] > 0 or (k.split("|")[0] == k.split("|")[-1])}
    key = L.gold_clusters(dev)
    names_d, sim_d = L.doc_similarity(dev_docs)
    at_d = {d: i for i, d in enumerate(names_d)}
    best = None
    for topic_t in (0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21):
        groups = L.mention_groups(enc_d, L.average_link(names_d, sim_d, topic_t))
        dpairs, dx = L.topic_pairs(enc_d, groups, lambda i, j: L.lemma_prior(shipped, enc_d.lemmas[i],
                                                                              enc_d.lemmas[j]),
                                   lambda a, b: float(sim_d[at_d[a], at_d[b]]))
        if extra is not None:
            dx = np.hstack([dx, extra(dpairs)])
        probs = dict(zip(dpairs, np.round(lr.predict_proba(dx)[:, 1], 4).tolist(), strict=True))
        for t in np.arange(0.1, 0.51, 0.05):
            s = L.conll(key, L.cluster_mentions(enc_d, groups, probs, float(t)))
            print(f"topic {topic_t:.2f} merge {t:.2f} dev CoNLL {s['conll_f1']:.4f}", flush=True)
            if best is None or s["conll_f1"] > best[0]:
                best = (s["conll_f1"], topic_t, float(round(t, 2)), s)
        lemma = L.conll(key, L.lemma_baseline(enc_d, groups))
        print(f"topic {topic_t:.2f} lemma baseline dev CoNLL {lemma['conll_f1']:.4f}")
    _, topic_t, t, scores = best
    out = {"features": features, "coef": lr.coef_[0].round(6).tolist(),
           "intercept": round(float(lr.intercept_[0]), 6), "threshold": t, "topic_threshold": topic_t,
           "trained_on": "ECB+ train (25 topics), thresholds on dev",
           "dev": {k: round(float(v), 4) for k, v in scores.items()}, "lemma_pairs": shipped}
    if encoder:  # the adapters by their name under furat/data/encoder (where the run time finds them)
        out |= {"pair_model": "ecbplus_e5.npz"} | ({"adapters": adapters.name} if adapters else {})
    return out


def store_pairs(db: Path, gold: Path) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """Blocked pairs of the mentions in `db`, their features and gold labels."""
    import duckdb

    from furat.link.features import MIN_COS, blocks, pair_features

    conn = duckdb.connect(str(db), read_only=True)
    cur = conn.execute("SELECT * FROM mentions ORDER BY mention_id")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    vecs = np.array([r["embedding"] for r in rows], dtype=np.float32)
    cos = np.round(vecs @ vecs.T, 3)
    lines = gold.read_text().splitlines()
    # the gold's reports found again in this database (mention ids shift with the events stage)
    where = {m: i for i, line in enumerate(lines) for m in L.current_ids(json.loads(line), rows)}
    pairs, x, y = [], [], []
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if cos[i, j] >= MIN_COS and blocks(rows[i], rows[j]):
                a, b = rows[i]["mention_id"], rows[j]["mention_id"]
                pairs.append((a, b))
                x.append(pair_features(rows[i], rows[j], float(cos[i, j])))
                y.append(int(a in where and where.get(a) == where.get(b)))
    return pairs, np.array(x), np.array(y)


def train_store(db: Path, gold: Path) -> dict:
    from furat.link.features import FEATURES

    pairs, x_all, y = store_pairs(db, gold)
    print(f"store: {len(pairs)} blocked pairs, {y.sum()} coreferent")
    # few positives: only the features that carry the decision (the others get weight 0)
    used = [FEATURES.index(f) for f in STORE_USED]
    x = x_all[:, used]

    def fit(xs: np.ndarray, ys: np.ndarray) -> LogisticRegression:
        return LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(xs, ys)
    # leave-one-out probabilities: each pair scored by a model that never saw it
    loo = np.array([fit(np.delete(x, k, 0), np.delete(y, k))
                    .predict_proba(x[k:k + 1])[0, 1] for k in range(len(y))])
    best = max((L.prf(int(((loo >= t) & (y == 1)).sum()), int(((loo >= t) & (y == 0)).sum()),
                       int(((loo < t) & (y == 1)).sum()))[2], float(round(t, 2)))
                for t in np.arange(0.3, 0.96, 0.05))
    lr = fit(x, y)
    print(f"store: leave-one-out pairwise F1 {best[0]:.3f} at threshold {best[1]}")
    # the simpler rule the learned scorer must beat (the same pairs): sentences this close
    said = x_all[:, FEATURES.index("cos")] >= RULE_COS
    tp, fp, fn = int((said & (y == 1)).sum()), int((said & (y == 0)).sum()), int((~said & (y == 1)).sum())
    rule_f1 = L.prf(tp, fp, fn)[2]
    print(f"store: rule cosine >= {RULE_COS}: pairwise F1 {rule_f1:.3f}")
    if rule_f1 >= best[0]:
        # too few coreferent pairs to learn from: ship the rule, as a scorer over the cosine alone
        coef = np.zeros(len(FEATURES))
        coef[FEATURES.index("cos")] = RULE_SLOPE
        return {"features": FEATURES, "coef": coef.tolist(), "intercept": -RULE_SLOPE * RULE_COS,
                "threshold": 0.5,
                "trained_on": f"no fit: on {len(pairs)} blocked pairs ({int(y.sum())} coreferent) of "
                              f"annotations/linking the rule 'sentence cosine >= {RULE_COS}' (pairwise F1 "
                              f"{rule_f1:.3f}) beats a logistic regression (leave-one-out {best[0]:.3f})",
                "rule_pairwise_f1": round(rule_f1, 4), "loo_pairwise_f1": round(best[0], 4)}
    coef = np.zeros(len(FEATURES))
    coef[used] = lr.coef_[0]
    return {"features": FEATURES, "coef": coef.round(6).tolist(), "intercept":
            round(float(lr.intercept_[0]), 6), "threshold": best[1],
            "trained_on": f"{len(pairs)} blocked pairs ({int(y.sum())} coreferent) of annotations/linking "
                          "over the dev pages + seeds; threshold by leave-one-out pairwise F1",
            "loo_pairwise_f1": round(best[0], 4), "rule_pairwise_f1": round(rule_f1, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ecbplus", type=Path, default=ROOT.parent / "shared/data/linking/ecbplus_traindev")
    parser.add_argument("--db", type=Path, help="furat database of the dev pages + seeds (store model)")
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations/linking/clusters.jsonl")
    parser.add_argument("--only", choices=["ecbplus", "store"])
    parser.add_argument("--encoder", action="store_true",
                        help="ECB+: the accurate profile's scorer (ecbplus_e5), with the encoder's vectors")
    parser.add_argument("--adapters", type=Path, default=None,
                        help="with --encoder: the encoder's linking adapters (furat/data/encoder/"
                             "link_ecb.npz, scripts/train_linking_encoder.py), read there by name")
    parser.add_argument("--out-dir", type=Path, default=OUT, help="where the models are written (trials)")
    parser.add_argument("--fold-vectors", type=Path, default=None,
                        help="with --adapters: the per-fold encoders' train vectors "
                             "(train_linking_encoder.py --folds --folds-out FILE)")
    parser.add_argument("--fold-epoch", type=int, default=0, help="their epoch (that of --adapters)")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    fold_vectors = None
    if args.fold_vectors:
        with np.load(args.fold_vectors) as z:
            fold_vectors = {k: z[f"e{args.fold_epoch}.{k}"] for k in E5_KINDS}
            assert int(z["folds"]) == E5_FOLDS
    if args.only != "store":
        model = train_ecbplus(args.ecbplus, args.encoder, args.adapters, args.out_dir, fold_vectors)
        name = "ecbplus_e5" if args.encoder else "ecbplus"
        (args.out_dir / f"{name}.json").write_text(json.dumps(model, indent=1) + "\n")
        print("ecbplus:", model["dev"])
    if args.only != "ecbplus" and args.db:
        (args.out_dir / "store.json").write_text(json.dumps(train_store(args.db, args.gold), indent=1) + "\n")


if __name__ == "__main__":
    main()
