"""Cost of the `claims` stage (after loading), on the seeds and the dev pages, with the stages
before it already run (the events stage's parses left on each document, as in a pipeline run):
CPU ms per 600 words, and its ratio to the events stage's cost on the same documents. Also the
cost without parsing the cue sentences the events stage did not parse.
Usage: python bench/bench_claims.py [PATH ...]"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from furat.claims.extract import find_claims
from furat.config import load_config
from furat.ingest.build import IngestOptions, documents
from furat.pipeline import Pipeline, get_stage
from furat.report import Reporter

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT = [str(SHARED / "seeds"), str(SHARED / "annotation" / "dev_pages" / "pages.jsonl")]


def _per600(seconds: float, words: int) -> float:
    return seconds * 1000 * 600 / max(1, words)


def main(paths: list[str], repeat: int = 5) -> None:
    config = load_config()
    names = config["pipeline"]["stages"]
    before = names[:names.index("events")]
    docs = list(Pipeline.from_config(config, before).run(documents(paths, IngestOptions(), Reporter())))
    events = get_stage("events")(dict(config.get("events", {})))
    claims = get_stage("claims")(dict(config.get("claims", {})))
    start = time.process_time()
    docs = list(events(docs))
    events_cost = time.process_time() - start
    list(claims(docs))  # warm up
    words = sum(len(d.text.split()) for d in docs)
    per_doc = []
    for doc in docs:
        start = time.process_time()
        for _ in range(repeat):
            list(claims([doc]))
        per_doc.append(_per600((time.process_time() - start) / repeat, len(doc.text.split())))
    start = time.process_time()
    for doc in docs:
        find_claims(doc, doc._parses, parse_missing=True)
    with_parse = time.process_time() - start
    total = sum(per_doc[i] * len(d.text.split()) / 600 for i, d in enumerate(docs)) / 1000
    print(f"{len(docs)} documents, {words} words")
    print(f"claims stage, CPU ms per 600 words: median {statistics.median(per_doc):.1f}, "
          f"max {max(per_doc):.1f}, mean {_per600(total, words):.1f}")
    print(f"  parsing the cue sentences the events stage left unparsed too: {_per600(with_parse, words):.1f}")
    print(f"events stage, CPU ms per 600 words: {_per600(events_cost, words):.1f} "
          f"(claims / events = {total / events_cost:.2f})")


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
