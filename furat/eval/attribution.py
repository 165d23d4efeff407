"""`furat eval attribution --corpus polnear`: source / cue / content spans on PolNeAR's test set,
by the CofeNet protocol (COLING 2022), so that the figures sit beside the published ones.

Each line of `cofenet_sentence_bio/test.txt` is one CoreNLP-tokenised sentence with BIO labels over
source, cue and content. furat reads the sentence as text (tokens joined by spaces, PTB quotes
back to `"`), finds its claims with the claims stage's rules (no parse: the same path as a
sentence the events stage did not parse; `--parse` parses every cue sentence), and projects
each character span onto the tokens it covers. With the `accurate` profile the encoder's
attribution tagger (furat.claims.tagger) tags the given tokens instead (BIO-constrained). Per role,
a gold span is found only by an identical predicted span (exact match); begin match compares start
tokens. P, R, F1 and Acc = TP / (TP + FP + FN) per role. A test set: score on it, never tune on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from furat.claims.tagger import ROLES, bio_spans, token_text
from furat.eval.common import EvalResult, prf


def _predict(tokens: list[str], parse: bool = False) -> dict[str, set[tuple[int, int]]]:
    from furat.claims.extract import find_claims
    from furat.model import Document, Paragraph

    text, offsets = token_text(tokens)
    doc = Document(id="s", source="polnear", raw_sha256="-", text=text, language="en",
                   paragraphs=[Paragraph(start=0, end=len(text), language="en")])

    def tokens_of(span: tuple[int, int] | None) -> tuple[int, int] | None:
        if span is None or span[1] <= span[0]:
            return None
        inside = [i for i, (a, b) in enumerate(offsets) if a < span[1] and b > span[0]]
        return (inside[0], inside[-1] + 1) if inside else None

    out: dict[str, set[tuple[int, int]]] = {r: set() for r in ROLES}
    for claim in find_claims(doc, parse_missing=parse):
        for role, span in (("source", claim.speaker), ("cue", claim.cue), ("content", claim.content)):
            if (t := tokens_of(span)) is not None:
                out[role].add(t)
    return out


def evaluate(path: Path, parse: bool = False, tagger: str | None = None) -> EvalResult:
    """Score furat on PolNeAR test (a folder holding cofenet_sentence_bio/test.txt, or the file).
    With `parse`, every sentence holding a reporting verb is parsed (in the pipeline only those the
    events stage parsed are). With `tagger` (a head under furat/data/encoder, the `accurate`
    profile's "attribution_en"), the encoder's tagger labels the tokens instead of the rules."""
    file = path / "cofenet_sentence_bio" / "test.txt" if path.is_dir() else path
    counts = {m: {r: [0, 0, 0] for r in ROLES} for m in ("exact", "begin")}
    items = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    tagged = None
    if tagger:
        from furat.claims.tagger import load

        tagged = load(tagger).tag_tokens([item["tokens"] for item in items])
    n = 0
    for k, item in enumerate(items):
        n += 1
        gold = bio_spans(item["labels"])
        mine = bio_spans(tagged[k]) if tagged is not None else _predict(item["tokens"], parse)
        for r in ROLES:
            for mode, key in (("exact", lambda s: s), ("begin", lambda s: s[0])):
                g, p = {key(s) for s in gold[r]}, {key(s) for s in mine[r]}
                c = counts[mode][r]
                c[0] += len(g & p)
                c[1] += len(p - g)
                c[2] += len(g - p)
    rows: list[dict[str, object]] = []
    summary: dict[str, object] = {"sentences": n, "corpus": "polnear", "protocol": "CofeNet sentence BIO",
                                  "parsed": parse, "system": f"encoder:{tagger}" if tagger else "rules"}
    for mode in ("exact", "begin"):
        for r in ROLES:
            tp, fp, fn = counts[mode][r]
            p, rec, f = prf(tp, fp, fn)
            acc = tp / (tp + fp + fn) if tp + fp + fn else 0.0
            rows.append({"match": mode, "role": r, "precision": p, "recall": rec, "f1": f, "acc": acc})
            summary[f"{mode}_{r}_f1"] = round(f, 4)
            if mode == "exact":
                summary[f"{mode}_{r}_p"], summary[f"{mode}_{r}_r"] = round(p, 4), round(rec, 4)
    summary["published_cofenet_exact_f1"] = {"source": 0.832, "cue": 0.753, "content": 0.729}
    return EvalResult("Attribution on PolNeAR test (CofeNet protocol)", rows, summary)
