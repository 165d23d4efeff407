"""Peak memory and throughput of `furat extract --format jsonl` on a large JSONL corpus.

Usage: python bench/bench_jsonl_memory.py [SIZE_MB ...]   (default: 20 200)
Memory must stay flat as the corpus grows: it is bounded by the batch, not by the corpus.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(size_mb: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        subprocess.run([sys.executable, str(HERE / "make_jsonl.py"), str(corpus), str(size_mb)], check=True)
        start = time.perf_counter()
        # a fresh interpreter per size, so RUSAGE_CHILDREN's peak is this run's
        probe = (
            "import resource, subprocess, sys;"
            f"subprocess.run([sys.executable, '-m', 'furat.cli', 'extract', {str(corpus)!r}, "
            "'--format', 'jsonl', '--out', '/dev/null'], check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        records = sum(1 for _ in corpus.open(encoding="utf-8"))
    return {"size_mb": size_mb, "records": records, "seconds": round(seconds, 1),
            "docs_per_s": round(records / seconds), "peak_rss_mb": round(int(out.stdout.split()[-1]) / 1024)}


if __name__ == "__main__":
    sizes = [float(s) for s in sys.argv[1:]] or [20.0, 200.0]
    del resource  # only used in the child
    for size in sizes:
        print(run(size), flush=True)
