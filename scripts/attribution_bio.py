"""Check annotated attributions and turn them into BIO tags over each sentence's tokens.

An annotation file has one line per sentence of a batch (`scripts/attribution_sentences.py`):
`{"id": …, "attributions": [{"source": str|null, "cue": str|null, "content": str|null}, …]}` (the parts
of an attribution that lie in this sentence: a quotation going on from the last sentence is content
alone), each span an exact substring of the sentence's `text`; when a span's words occur more than
once, `"<role>_at"` gives its character offset. Spans become token spans (every token the characters
touch); tags are flat BIO over source / cue / content (`B-source`, `I-cue`, …), the first
attribution winning where two overlap, as in the flat tagging the benchmark uses.

    python scripts/attribution_bio.py annotations/attribution/todo/batch0.jsonl \
        annotations/attribution/batch0.jsonl [--out bio.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROLES = ("source", "cue", "content")


def token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Character offsets of each token in the text (the tokens are the text's, in order)."""
    out, pos = [], 0
    for tok in tokens:
        start = text.find(tok, pos)
        if start < 0:
            raise ValueError(f"token {tok!r} not found after {pos}")
        out.append((start, start + len(tok)))
        pos = start + len(tok)
    return out


def locate(text: str, span: str, at: int | None) -> tuple[int, int]:
    """Character span of `span` in `text`: at `at` when given, else its only occurrence."""
    if at is not None:
        if text[at:at + len(span)] != span:
            raise ValueError(f"{span!r} is not at {at}")
        return at, at + len(span)
    first = text.find(span)
    if first < 0:
        raise ValueError(f"{span!r} is not in the sentence")
    if text.find(span, first + 1) >= 0:
        raise ValueError(f"{span!r} occurs more than once: give its offset")
    return first, first + len(span)


def bio(row: dict, attributions: list[dict]) -> list[str]:
    """Flat BIO tags of one sentence."""
    offsets = token_offsets(row["text"], row["tokens"])
    tags = ["O"] * len(offsets)
    for attr in attributions:
        for role in ROLES:
            span = attr.get(role)
            if not span:
                continue
            a, b = locate(row["text"], span, attr.get(f"{role}_at"))
            inside = [i for i, (s, e) in enumerate(offsets) if s < b and e > a]
            if not inside or any(tags[i] != "O" for i in inside):
                continue
            tags[inside[0]] = f"B-{role}"
            for i in inside[1:]:
                tags[i] = f"I-{role}"
    return tags


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sentences", type=Path)
    ap.add_argument("annotations", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="write {id, tokens, labels} lines here")
    args = ap.parse_args()
    rows = {r["id"]: r for r in map(json.loads, args.sentences.open(encoding="utf-8"))}
    done, problems, out, counts = set(), 0, [], {"attributions": 0, "no_source": 0}
    for n, line in enumerate(args.annotations.open(encoding="utf-8"), 1):
        try:
            ann = json.loads(line)
            row = rows[ann["id"]]
            attrs = ann.get("attributions") or []
            if ann["id"] in done:
                raise ValueError("sentence annotated twice")
            for attr in attrs:
                if not any(attr.get(role) for role in ROLES):
                    raise ValueError("an attribution with no span")
            tags = bio(row, attrs)
        except (ValueError, KeyError, json.JSONDecodeError) as err:
            problems += 1
            print(f"line {n}: {err}", file=sys.stderr)
            continue
        done.add(ann["id"])
        counts["attributions"] += len(attrs)
        counts["no_source"] += sum(1 for a in attrs if not a.get("source"))
        out.append({"id": ann["id"], "tokens": row["tokens"], "labels": tags})
    missing = [i for i in rows if i not in done]
    print(f"{len(done)} of {len(rows)} sentences annotated, {counts['attributions']} attributions "
          f"({counts['no_source']} without a source), {problems} problems, {len(missing)} left"
          + (f" (first: {missing[0]})" if missing else ""))
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
