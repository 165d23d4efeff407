"""Time of each part of the foundation on the test pages and seeds: ingest (decode, clean,
split, metadata) and each configured stage, per document, after loading.

Usage: python bench/bench_ingest.py [PATH ...]   (default: tests/pages and ../shared/seeds)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from furat.config import load_config
from furat.ingest.build import IngestOptions, documents
from furat.pipeline import get_stage
from furat.report import Reporter

ROOT = Path(__file__).resolve().parents[1]


def main(paths: list[str], repeat: int = 5) -> None:
    config = load_config()
    options = IngestOptions.from_config(config["ingest"])
    docs = list(documents(paths, options, Reporter()))  # warm up (dateparser, lexicons)
    start = time.perf_counter()
    for _ in range(repeat):
        docs = list(documents(paths, options, Reporter()))
    ingest_ms = (time.perf_counter() - start) / repeat / len(docs) * 1000
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(f"{len(docs)} documents, {words:.0f} words on average")
    print(f"ingest: {ingest_ms:.2f} ms/doc")
    for name in config["pipeline"]["stages"]:
        load = time.perf_counter()
        run = get_stage(name)(dict(config.get(name, {})))
        list(run(docs[:1]))
        loaded = time.perf_counter() - load
        start = time.perf_counter()
        for _ in range(repeat):
            list(run(docs))
        ms = (time.perf_counter() - start) / repeat / len(docs) * 1000
        print(f"{name}: {ms:.2f} ms/doc (load + first doc {loaded:.2f} s)")


if __name__ == "__main__":
    default = [str(ROOT / "tests" / "pages"), str(ROOT.parent / "shared" / "seeds")]
    main(sys.argv[1:] or [p for p in default if Path(p).exists()])
