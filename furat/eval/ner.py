"""`furat eval ner`: exact-span precision/recall/F1 of the `entities` stage on gold NER corpora.

Corpora (paths given on the command line, never hard-coded):
- re3d: a folder of sources, each with documents.json + entities.json (Dstl). Scored over Person,
  Organisation, Location, Nationality, Weapon, MilitaryPlatform; every annotated span is gold (re3d
  keeps overlapping ones, "Karim" and "Karim Wasifi", which caps recall below 1).
- newsfane: NewsFANE_Gold_2014_170K.txt (token TAB fine-tag, blank line between sentences). Fine
  types are mapped to coarse PER/ORG/LOC (table `NEWSFANE_COARSE`, ACE-style); other types
  (books, vehicles, films…) are dropped from gold. Scored on the held-out `test` split (last 10 %
  of sentences) that `scripts/train_ner_ar.py` never trains on.
- wikineural: a WikiNEuRal .conllu file (index TAB token TAB BIO tag), PER/ORG/LOC/MISC.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from furat.entities.arabic_crf import bio_spans
from furat.eval.common import EvalResult, prf
from furat.model import Document, Paragraph

# (text, [(start, end, label)]) with character offsets.
Example = tuple[str, list[tuple[int, int, str]]]

# ACE-style fine types of NewsFANE → coarse type. PER includes ACE PER.Group (nationals:
# "الصينيين") and Police; GPE, LOC and FAC all go to LOC (furat's geo stage wants all of them).
NEWSFANE_COARSE: dict[str, str] = {
    **dict.fromkeys(
        ["Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist",
         "Businessperson", "Lawyer", "Police", "Engineer", "Group"], "PER"),
    **dict.fromkeys(
        ["Non-Governmental", "Government", "Sports", "Media", "Commercial", "Educational",
         "Religious_ORG", "Medical-Science", "Entertainment"], "ORG"),
    **dict.fromkeys(
        ["Nation", "Population-Center", "State-or-Province", "County-or-District", "GPE-Cluster",
         "Continent", "Water-Body", "Land-Region-Natural", "Celestial", "Building-Grounds",
         "Airport", "Path", "Subarea-Facility", "Plant", "Address", "Boundary",
         "Region-General", "Region-International"], "LOC"),
}

CORPORA = ("re3d", "newsfane", "wikineural")
RE3D_TYPES = ("Person", "Organisation", "Location", "Nationality", "Weapon", "MilitaryPlatform")
# furat labels → re3d types (spaCy OntoNotes labels are mapped to furat labels by the stage).
RE3D_FROM_FURAT = {
    "PER": "Person", "ORG": "Organisation", "ARMED_GROUP": "Organisation", "LOC": "Location",
    "NORP": "Nationality", "WEAPON": "Weapon", "MIL_PLATFORM": "MilitaryPlatform",
}
WIKINEURAL_FROM_FURAT = {"PER": "PER", "ORG": "ORG", "ARMED_GROUP": "ORG", "LOC": "LOC",
                         "MISC": "MISC", "NORP": "MISC"}
NEWSFANE_FROM_FURAT = {"PER": "PER", "ORG": "ORG", "ARMED_GROUP": "ORG", "LOC": "LOC"}


def _from_tokens(tokens: list[str], tags: list[str]) -> Example:
    """Join tokens with spaces and turn BIO tags into character spans."""
    text, offs = "", []
    for tok in tokens:
        if text:
            text += " "
        offs.append((len(text), len(text) + len(tok)))
        text += tok
    spans = [(offs[i][0], offs[j - 1][1], label) for i, j, label in bio_spans(tags)]
    return text, spans


def _conll_sentences(path: Path, tok_col: int, tag_col: int) -> Iterator[tuple[list[str], list[str]]]:
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) <= max(tok_col, tag_col) or not cols[tok_col].strip():
                if tokens:
                    yield tokens, tags
                tokens, tags = [], []
                continue
            # NewsFANE prefixes Arabic tokens with U+200E (left-to-right mark): drop it.
            tokens.append(cols[tok_col].replace("\u200e", "").strip())
            tags.append(cols[tag_col].strip() or "O")
    if tokens:
        yield tokens, tags


def newsfane_tag(tag: str) -> str:
    if tag[:2] not in ("B-", "I-"):
        return "O"
    coarse = NEWSFANE_COARSE.get(tag[2:])
    return f"{tag[:2]}{coarse}" if coarse else "O"


def read_newsfane(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """All sentences as (tokens, coarse BIO tags)."""
    return [(toks, [newsfane_tag(t) for t in tags]) for toks, tags in _conll_sentences(Path(path), 0, 1)]


def newsfane_split(sents: list, part: str) -> list:
    """Deterministic contiguous split: first 80 % train, next 10 % dev, last 10 % test."""
    n = len(sents)
    a, b = int(n * 0.8), int(n * 0.9)
    return {"train": sents[:a], "dev": sents[a:b], "test": sents[b:], "all": sents}[part]


def read_wikineural(path: str | Path) -> list[tuple[list[str], list[str]]]:
    return list(_conll_sentences(Path(path), 1, 2))


def read_re3d(path: str | Path, min_confidence: float = 0.0) -> list[Example]:
    """Every re3d document under `path` (one source folder or the folder of sources). Entities
    below `min_confidence` (re3d's IBCC score) are not gold; by default all are, as in the
    dataset's own use: a third of the spans have score 0, among them plain "Russian", "Iraqi"."""
    root = Path(path)
    out: list[Example] = []
    for doc_file in sorted(root.rglob("documents.json")):
        ents: dict[str, list] = {}
        for line in (doc_file.parent / "entities.json").read_text(encoding="utf-8").splitlines():
            if line.strip():
                e = json.loads(line)
                if e["type"] in RE3D_TYPES and e.get("confidence", 1) >= min_confidence:
                    ents.setdefault(e["documentId"], []).append(
                        (e.get("confidence", 1), e["begin"], e["end"], e["type"]))
        for line in doc_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append((d["text"], sorted({(b, e, t) for _, b, e, t in ents.get(d["_id"], [])})))
    return out


def load_examples(corpus: str, path: str | Path, split: str = "test",
                  limit: int | None = None) -> tuple[list[Example], str]:
    """Gold examples and their language."""
    if corpus == "re3d":
        ex, lang = read_re3d(path), "en"
    elif corpus == "newsfane":
        ex, lang = [_from_tokens(t, g) for t, g in newsfane_split(read_newsfane(path), split)], "ar"
    elif corpus == "wikineural":
        ex, lang = [_from_tokens(t, g) for t, g in read_wikineural(path)], "fr"
    else:
        raise ValueError(f"unknown corpus {corpus!r} (re3d, newsfane, wikineural)")
    return (ex[:limit] if limit else ex), lang


def score(gold: list[set], pred: list[set], labels: list[str]) -> EvalResult:
    """Per-type and micro P/R/F1 over exact (start, end, label) spans."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        for s in p & g:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    rows = []
    for lab in labels:
        p, r, f = prf(tp[lab], fp[lab], fn[lab])
        rows.append({"type": lab, "gold": tp[lab] + fn[lab], "pred": tp[lab] + fp[lab],
                     "precision": p, "recall": r, "f1": f})
    T, F, N = (sum(c[lab] for lab in labels) for c in (tp, fp, fn))
    p, r, f = prf(T, F, N)
    rows.append({"type": "micro", "gold": T + N, "pred": T + F, "precision": p, "recall": r, "f1": f})
    summary = {"micro_f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4),
               "gold": T + N, "per_type": {row["type"]: round(row["f1"], 4) for row in rows[:-1]}}
    return EvalResult(title="NER (exact spans)", rows=rows, summary=summary)


def stage_tagger(lang: str, config: dict | None = None) -> Callable[[list[str]], list[list]]:
    """furat's `entities` stage run on texts of one language, returning (start, end, label)."""
    from furat.entities.stage import make_entities_stage

    run = make_entities_stage(config or {})

    def tag(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        docs = [Document(id=str(i), source="eval", raw_sha256="", text=t, language=lang,
                         paragraphs=[Paragraph(start=0, end=len(t), language=lang)])
                for i, t in enumerate(texts)]
        return [[(e.start, e.end, e.label) for e in d.entities] for d in run(docs)]

    return tag


def evaluate(corpus: str, path: str | Path, split: str = "test", limit: int | None = None,
             tagger: Callable | None = None, config: dict | None = None) -> EvalResult:
    """Score the entities stage (built with `config`, or `tagger`) on `corpus` at `path`."""
    examples, lang = load_examples(corpus, path, split, limit)
    mapping, labels = {
        "re3d": (RE3D_FROM_FURAT, list(RE3D_TYPES)),
        "newsfane": (NEWSFANE_FROM_FURAT, ["PER", "ORG", "LOC"]),
        "wikineural": (WIKINEURAL_FROM_FURAT, ["PER", "ORG", "LOC", "MISC"]),
    }[corpus]
    preds = (tagger or stage_tagger(lang, config))([t for t, _ in examples])
    gold = [set(spans) for _, spans in examples]
    pred = [{(s, e, mapping[lab]) for s, e, lab in p if lab in mapping} for p in preds]
    result = score(gold, pred, labels)
    result.title = f"NER {corpus} ({lang}, {len(examples)} texts, exact spans)"
    result.summary.update(corpus=corpus, n_texts=len(examples))
    return result
