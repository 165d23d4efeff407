"""Cost of the `events` stage (after loading), on the seeds and test pages, with the stages before
it already run: per document alone, and over the corpus as a stream (how the pipeline runs it,
sentences of a batch parsed together). Usage: python bench/bench_events.py [PATH ...]"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from furat.config import load_config
from furat.ingest.build import IngestOptions, documents
from furat.pipeline import Pipeline, get_stage
from furat.report import Reporter

ROOT = Path(__file__).resolve().parents[1]


def main(paths: list[str], repeat: int = 5) -> None:
    config = load_config()
    before = [s for s in config["pipeline"]["stages"] if s != "events"]
    docs = list(Pipeline.from_config(config, before).run(documents(paths, IngestOptions(), Reporter())))
    run = get_stage("events")(dict(config.get("events", {})))
    list(run(docs))  # warm up: lexicons compiled, classifier loaded
    per_doc = []
    for doc in docs:
        start = time.process_time()
        for _ in range(repeat):
            list(run([doc]))
        per_doc.append((time.process_time() - start) / repeat * 1000 * 600 / max(1, len(doc.text.split())))
    words = sum(len(doc.text.split()) for doc in docs)
    start = time.process_time()
    for _ in range(repeat):
        list(run(docs))
    stream = (time.process_time() - start) / repeat * 1000 * 600 / words
    print(f"{len(docs)} documents; events stage, CPU ms per 600 words: one document at a time "
          f"median {statistics.median(per_doc):.1f}, max {max(per_doc):.1f}; as a stream {stream:.1f}")


if __name__ == "__main__":
    default = [str(ROOT / "tests" / "pages"), str(ROOT.parent / "shared" / "seeds")]
    main(sys.argv[1:] or [p for p in default if Path(p).exists()])
