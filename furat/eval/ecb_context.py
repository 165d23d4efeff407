"""Contextual vectors of ECB+ event mentions from furat's encoder (e5 token states), for the
`accurate` pair scorer of `furat eval linking`.

Why: the USE vectors of the fast scorer embed a trigger alone or its whole sentence; a token state
embeds the trigger *in* its sentence ("fired" a coach vs "fired" a shot), which is what published
systems above the USE/lexical ceiling compare. Each selected sentence is encoded once (its tokens
joined by spaces) and its token states cached on disk (`$FURAT_CACHE/link/`), so eval runs after
the first do not re-encode.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from furat.encoder import cache_root, get_encoder
from furat.encoder.pooling import span_vector, unit

Key = tuple[str, int]  # (document, sentence)


@dataclass
class SentenceStates:
    """Token states of one sentence (`text` = its tokens joined by one space)."""

    text: str
    spans: list[tuple[int, int]]  # characters of each corpus token in `text`
    offsets: np.ndarray  # [pieces, 2]
    states: np.ndarray  # [pieces, hidden]
    vector: np.ndarray  # e5's sentence vector

    def tokens_vector(self, tokens: list[int]) -> np.ndarray:
        """Mean state of the pieces of the corpus tokens `tokens` (indices in the sentence)."""
        spans = [self.spans[t] for t in tokens if 0 <= t < len(self.spans)]
        return span_vector(self.offsets, self.states, spans)


def joined_tokens(tokens: list[str], at: int = 0) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by spaces, and each token's characters in that text (shifted by `at`)."""
    spans = []
    for tok in tokens:
        spans.append((at, at + len(tok)))
        at += len(tok) + 1
    return " ".join(tokens), spans


def neighbours(folder: Path, split: str, sents: dict[Key, list[str]]) -> dict[Key, tuple[str, str]]:
    """The sentences before and after each selected sentence in its whole document (Cattan et al.'s
    unlabelled full texts, whose sentence numbers differ from the selection's: found by their
    tokens; 97% are). Empty strings where not found or at the document's ends. Tried as context for
    the trigger's state and not kept (dev CoNLL 0.7801 → 0.7788, docs/QUALITY.md)."""
    found = sorted((folder / "full_documents_cattan2021").glob(f"{split.lower()}_text*.txt"))
    if not found:
        return {}
    docs: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in found[0].read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc, sent, _tok, token = line.split("\t", 3)
            docs[doc.removesuffix(".xml")][int(sent)].append(token.strip())
    out: dict[Key, tuple[str, str]] = {}
    for (doc, sid), toks in sents.items():
        full = docs.get(doc, {})
        at = [n for n, t in sorted(full.items()) if t == toks]
        if at:
            n = at[0]
            out[(doc, sid)] = (" ".join(full.get(n - 1, [])), " ".join(full.get(n + 1, [])))
    return out


def sentence_states(sents: dict[Key, list[str]], keys: list[Key],
                    around: dict[Key, tuple[str, str]] | None = None,
                    adapters: Path | None = None) -> dict[Key, SentenceStates]:
    """Encode the sentences `keys`, each between its `around` sentences when given (the trigger's
    state then sees the document's neighbouring sentences too), by the encoder with `adapters`
    merged (None: plain e5); cached on disk by the texts and the encoder build."""
    enc = get_encoder(adapters)
    around = around or {}
    joined = {}
    for k in keys:
        before, after = around.get(k, ("", ""))
        text, spans = joined_tokens(sents[k], len(before) + 1 if before else 0)
        joined[k] = ((f"{before} " if before else "") + text + (f" {after}" if after else ""), spans)
    digest = hashlib.sha256(enc.folder.name.encode())
    for k in keys:
        digest.update(f"{k[0]}\t{k[1]}\t{joined[k][0]}\n".encode())
    path = cache_root() / "link" / f"ecb-{digest.hexdigest()[:16]}.npz"
    if path.exists():
        with np.load(path) as z:
            offsets, states, vectors, bounds = z["offsets"], z["states"], z["vectors"], z["bounds"]
    else:
        out = enc.encode([joined[k][0] for k in keys])
        bounds = np.cumsum([0] + [len(o.offsets) for o in out])
        offsets = np.concatenate([o.offsets for o in out])
        states = np.concatenate([o.states for o in out]).astype(np.float16)
        vectors = np.stack([o.vector for o in out])
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, offsets=offsets, states=states, vectors=vectors, bounds=bounds)
        tmp.rename(path)
    return {k: SentenceStates(joined[k][0], joined[k][1], offsets[bounds[i]:bounds[i + 1]],
                              states[bounds[i]:bounds[i + 1]].astype(np.float32), vectors[i])
            for i, k in enumerate(keys)}


def entity_tokens(folder: Path, split: str) -> dict[Key, dict[str, list[list[int]]]]:
    """Token numbers of the gold entity mentions (HUM, NON, LOC, TIM) of each sentence."""
    path = folder / "barhom2019_setup" / f"ECB_{split}_Entity_gold_mentions.json"
    out: dict[Key, dict[str, list[list[int]]]] = defaultdict(lambda: defaultdict(list))
    for e in json.loads(path.read_text(encoding="utf-8")):
        out[(e["doc_id"], e["sent_id"])][e["mention_type"][:3]].append(e["tokens_number"])
    return out


@dataclass
class Contextual:
    """Per-mention unit vectors (rows in the order of the mentions)."""

    trigger: np.ndarray  # the trigger's pieces in its sentence
    sentence: np.ndarray  # e5's sentence vector
    args: np.ndarray  # the participants, places and times of its sentence, in context
    hum: np.ndarray  # its sentence's participants (HUM) only


def contextual(mentions: list, sents: dict[Key, list[str]],
               entities: dict[Key, dict[str, list[list[int]]]] | None = None,
               around: dict[Key, tuple[str, str]] | None = None, adapters: Path | None = None) -> Contextual:
    """Contextual vectors of `mentions` (furat.eval.linking.Mention), by the encoder with `adapters`
    (furat/data/encoder/link_ecb.npz for the accurate scorer; None: plain e5)."""
    keys = sorted({(m.doc, m.sent) for m in mentions})
    states = sentence_states(sents, keys, around, adapters)
    entities = entities or {}
    trig, sent, args, hum = [], [], [], []
    for m in mentions:
        s = states[(m.doc, m.sent)]
        ents = entities.get((m.doc, m.sent), {})
        trig.append(s.tokens_vector(m.tokens))
        sent.append(s.vector)
        args.append(s.tokens_vector([t for kind in ("HUM", "NON", "LOC", "TIM") for toks in ents.get(kind, [])
                                     for t in toks if t not in m.tokens]))
        hum.append(s.tokens_vector([t for toks in ents.get("HUM", []) for t in toks]))
    return Contextual(*(np.stack(v) for v in (trig, sent, args, hum)))


def centred(x: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Unit rows after removing `mean` (e5 states share a large common direction: raw cosines of
    unrelated triggers sit near 0.8, which leaves a linear scorer little range)."""
    return unit(x - mean) if mean is not None else unit(x)


def pair_inputs(v: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """What the pair model sees of two mentions' vectors: their product and absolute difference,
    per dimension (symmetric in the pair)."""
    a, b = v[i], v[j]
    return np.hstack([a * b, np.abs(a - b)]).astype(np.float32)


@dataclass(frozen=True)
class PairModel:
    """A linear model over `pair_inputs` of the centred contextual vectors `kinds` (trained by
    scripts/train_linking.py --encoder on ECB+ train); its logit is the scorer's `e5_pair` feature."""

    kinds: tuple[str, ...]
    means: tuple[np.ndarray, ...]  # train means of each kind (centring)
    weight: np.ndarray
    bias: float

    def vectors(self, ctx: Contextual) -> np.ndarray:
        return np.hstack([centred(getattr(ctx, k), m) for k, m in zip(self.kinds, self.means, strict=True)])

    def logits(self, v: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 20000) -> np.ndarray:
        """Logits of the pairs (i[k], j[k]) over `vectors` rows `v`."""
        out = [pair_inputs(v, i[s:s + chunk], j[s:s + chunk]) @ self.weight + self.bias
               for s in range(0, len(i), chunk)]
        return np.round(np.concatenate(out), 4) if out else np.zeros(0)

    def save(self, path: Path) -> None:
        np.savez(path, kinds=np.array(self.kinds), weight=self.weight, bias=np.float32(self.bias),
                 **{f"mean_{k}": m for k, m in zip(self.kinds, self.means, strict=True)})

    @classmethod
    def load(cls, path: Path) -> PairModel:
        with np.load(path) as z:
            kinds = tuple(str(k) for k in z["kinds"])
            return cls(kinds, tuple(z[f"mean_{k}"] for k in kinds), z["weight"], float(z["bias"]))
