"""Cost of an ACLED sub-event decision per event sentence: the SVM alone against the blend of the
SVM and the encoder head (furat.events.acled_encoder), after loading, one core.

Run: python bench/bench_acled.py [../shared/data/events/case2021_acled_types/snippets.tsv]
(the CASE training snippets: news sentences of the length event evidence has; otherwise one
written sentence repeated). Both are timed in the same run, in turns, so the ratio holds on a
noisy machine; CPU time is printed beside wall time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from furat.events.acled import classify
from furat.events.acled_encoder import classify_blend, load

SENTENCE = ("Government warplanes bombed the village of Kafr Batna on Tuesday, killing four civilians, "
            "including a child, a monitoring group said.")


def timed(fn, texts: list[str]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn(texts)
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if path and path.exists():
        from furat.eval.acled import read_snippets

        texts = read_snippets(path)[0][:200]
    else:
        texts = [SENTENCE] * 200
    classify(texts[:5])  # load the SVM, USE and the encoder build (not timed)
    classify_blend(texts[:5])
    batches = [texts[i : i + 20] for i in range(0, len(texts), 20)]
    svm, both = [], []
    for batch in batches:  # in turns
        svm.append(timed(classify, batch))
        both.append(timed(classify_blend, batch))
    tokens = load().encoder.tokens_run
    per = len(batches[0])
    words = statistics.mean(len(t.split()) for t in texts)
    out = {"sentences": len(texts), "words_per_sentence": round(words, 1),
           "svm_ms_per_sentence_cpu": round(1000 * statistics.median(c for _, c in svm) / per, 1),
           "blend_ms_per_sentence_cpu": round(1000 * statistics.median(c for _, c in both) / per, 1),
           "svm_ms_per_sentence_wall": round(1000 * statistics.median(w for w, _ in svm) / per, 1),
           "blend_ms_per_sentence_wall": round(1000 * statistics.median(w for w, _ in both) / per, 1),
           "encoder_tokens_run": tokens}
    ratio = out["blend_ms_per_sentence_cpu"] / max(out["svm_ms_per_sentence_cpu"], 1e-9)
    out["blend_over_svm_cpu"] = round(ratio, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
