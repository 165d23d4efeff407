"""`furat eval claims`: attributed statements against gold made with the guide (CLAIMS.md).

The gold is the events gold (same pages, same loader: `furat.eval.events.read_gold`), whose pages
carry `claims` (speaker, speaker_kind, cue, content, stance, hedged, via, about). The gold gives
strings, not offsets, and furat's ingest cleans pages (quotes, spaces), so fields are compared as
folded words (`furat.eval.events.words`):

- *content overlap*: furat's content and the gold's are the same clause or one holds the other
  (`furat.eval.events.overlaps`, the test used for event evidence, or the same words when they
  are fewer than three: "ces accusations"); *content exact*: the same folded words;
- *speaker + cue*: the cues share a word of three letters or more (or its inflection: "a déclaré",
  "déclarent") and the speakers are the same words, or one holds the other and is at least half
  its length ("the Russian Defense Ministry" for "the Russian Defense Ministry's spokesman" counts,
  "a spokesman" for "a spokesman for the Russian Defense Ministry" does not); the contents must
  share a word, so that one speaker's two statements are not swapped.

Each measure pairs furat's claims with the gold's one to one (greedily, best first), so a claim
found twice counts once. Stance and hedged accuracy are read on the content-overlap pairs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.eval.common import EvalResult, prf
from furat.eval.events import GoldPage, by_page, overlaps, read_gold, same_word, words
from furat.model import Claim, Document

MIN_SPEAKER_SHARE = 0.5
MEASURES = ("speaker_cue", "content_exact", "content_overlap")


@dataclass
class Predicted:
    """A furat claim as plain text, the way the gold states it."""

    speaker: str
    cue: str
    content: str
    stance: str
    hedged: bool

    @classmethod
    def of(cls, claim: Claim) -> Predicted:
        return cls(
            claim.speaker.text if claim.speaker else "",
            claim.cue.text if claim.cue else "",
            claim.content.text,
            claim.stance,
            claim.hedged,
        )


def speaker_ok(gold: str | None, mine: str) -> bool:
    """Same speaker: the same folded words, or one holding the other at half its length or more."""
    wg, wm = words(gold), words(mine)
    if not wg or not wm:
        return not wg and not wm
    if wg == wm:
        return True
    short, long_ = (wg, wm) if len(wg) <= len(wm) else (wm, wg)
    inside = " " + " ".join(short) + " " in " " + " ".join(long_) + " "
    return inside and len(short) / len(long_) >= MIN_SPEAKER_SHARE


def cue_ok(gold: str | None, mine: str) -> bool:
    """Same cue: a shared word of three letters or more, or its inflection (`same_word`)."""
    wg = [w for w in words(gold) if len(w) >= 3]
    wm = [w for w in words(mine) if len(w) >= 3]
    return same_word(" ".join(wg), " ".join(wm)) if wg and wm else False


def content_exact(gold: str, mine: str) -> bool:
    return bool(words(gold)) and words(gold) == words(mine)


def _linked(gold: str, mine: str) -> bool:
    """Contents that share a word of four letters or more: the two claims are about one thing."""
    return bool({w for w in words(gold) if len(w) >= 4} & set(words(mine))) or overlaps(gold, mine)


def _same_claim(g: dict[str, Any], p: Predicted) -> bool:
    return cue_ok(g.get("cue"), p.cue) and speaker_ok(g.get("speaker"), p.speaker) and \
        _linked(g["content"], p.content)


def _pairs(gold: list[dict[str, Any]], mine: list[Predicted],
           ok: Callable[[dict[str, Any], Predicted], bool]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, furat index) that pass `ok`, each gold claim taking the
    first free furat claim (furat's claims are in text order, like the gold's)."""
    used: set[int] = set()
    out = []
    for i, g in enumerate(gold):
        for j, p in enumerate(mine):
            if j not in used and ok(g, p):
                used.add(j)
                out.append((i, j))
                break
    return out


@dataclass
class PageScore:
    language: str
    gold: int = 0
    found: int = 0
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stance: list[int] = field(default_factory=lambda: [0, 0])
    hedged: list[int] = field(default_factory=lambda: [0, 0])
    errors: list[dict[str, Any]] = field(default_factory=list)


def score_page(page: GoldPage, claims: list[Predicted]) -> PageScore:
    s = PageScore(page.language, gold=len(page.claims), found=len(claims))
    gold = page.claims
    s.tp["speaker_cue"] = len(_pairs(gold, claims, _same_claim))
    s.tp["content_exact"] = len(_pairs(gold, claims, lambda g, p: content_exact(g["content"], p.content)))
    matched = _pairs(gold, claims, lambda g, p: content_exact(g["content"], p.content) or
                     overlaps(g["content"], p.content))
    s.tp["content_overlap"] = len(matched)
    for i, j in matched:
        g, p = gold[i], claims[j]
        s.stance[0] += g["stance"] == p.stance
        s.stance[1] += 1
        s.hedged[0] += bool(g.get("hedged")) == p.hedged
        s.hedged[1] += 1
        wrong = {k: [g.get(k), getattr(p, k)] for k in ("stance", "hedged") if g.get(k) != getattr(p, k)}
        if not speaker_ok(g.get("speaker"), p.speaker):
            wrong["speaker"] = [g.get("speaker"), p.speaker]
        if not cue_ok(g.get("cue"), p.cue):
            wrong["cue"] = [g.get("cue"), p.cue]
        if wrong:
            s.errors.append({"kind": "field", **wrong, "content": g["content"][:160]})
    got = {i for i, _ in matched}
    mine = {j for _, j in matched}
    for i, g in enumerate(gold):
        if i not in got:
            s.errors.append({"kind": "missed", "speaker": g.get("speaker"), "cue": g.get("cue"),
                             "stance": g["stance"], "content": g["content"][:200]})
    for j, p in enumerate(claims):
        if j not in mine:
            s.errors.append({"kind": "false", "speaker": p.speaker, "cue": p.cue, "stance": p.stance,
                             "content": p.content[:200]})
    return s


def _row(label: str, scores: list[PageScore]) -> dict[str, Any]:
    gold = sum(s.gold for s in scores)
    found = sum(s.found for s in scores)
    row: dict[str, Any] = {"set": label, "pages": len(scores), "gold": gold, "claims": found}
    for m in MEASURES:
        tp = sum(s.tp[m] for s in scores)
        p, r, f = prf(tp, found - tp, gold - tp)
        row[f"{m}_p"], row[f"{m}_r"], row[f"{m}_f1"] = p, r, f
    for name in ("stance", "hedged"):
        ok, n = sum(getattr(s, name)[0] for s in scores), sum(getattr(s, name)[1] for s in scores)
        row[name] = ok / n if n else 0.0
    return row


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items() if k != "set"}


def evaluate(gold_paths: list[Path], docs: Iterable[Document], errors_out: Path | None = None) -> EvalResult:
    """Score the claims of `docs` (already through the pipeline) against the gold pages' claims."""
    pages = read_gold(gold_paths)
    claims, missing = by_page(docs, {p.id for p in pages}, lambda doc: [Predicted.of(c) for c in doc.claims])
    scores = [score_page(p, claims.get(p.id, [])) for p in pages]
    by_lang: dict[str, list[PageScore]] = defaultdict(list)
    for s in scores:
        by_lang[s.language].append(s)
    rows = [_row(lang, by_lang[lang]) for lang in sorted(by_lang)] + [_row("all", scores)]
    if errors_out is not None:
        with errors_out.open("w", encoding="utf-8") as f:
            for page, s in zip(pages, scores, strict=True):
                for e in s.errors:
                    f.write(json.dumps({"page": page.id, **e}, ensure_ascii=False, default=str) + "\n")
    summary = _rounded(rows[-1])
    summary["per_language"] = {r["set"]: _rounded(r) for r in rows[:-1]}
    summary["pages_without_documents"] = missing
    table = [{k: v for k, v in r.items() if k != "pages" and not k.endswith(("_p", "_r"))} for r in rows]
    return EvalResult("Claims against gold (CLAIMS.md)", table, summary)
