"""Write a large JSONL corpus of news-like records (for the memory and speed benchmarks).

The records are the test pages' paragraphs shuffled into new articles, each with its own id,
so that nothing is deduplicated away. Usage: python bench/make_jsonl.py OUT.jsonl SIZE_MB
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages"


def paragraphs() -> list[str]:
    out = []
    for page in sorted(PAGES.glob("*.txt")):
        out += [ln.strip() for ln in page.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 80]
    return out


def main(out: str, size_mb: float) -> None:
    rng = random.Random(1)
    pool = paragraphs()
    target = int(size_mb * 1024 * 1024)
    written = n = 0
    with open(out, "w", encoding="utf-8") as handle:
        while written < target:
            text = "\n".join(rng.sample(pool, k=min(len(pool), rng.randint(3, 8))))
            record = {"id": f"bench-{n}", "text": text, "published": "2021-01-24",
                      "url": f"https://example.org/{n}"}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(f"{out}: {n} records, {written / 1048576:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
