"""Persuasion stage cost of a ~600-word document after loading (budget to join the default stage
list: < 10 ms on one core).

Run: python bench/bench_persuasion.py [../shared/data/news/persuasion_semeval2023_fr_en]. The
documents are consecutive dev paragraphs of SemEval-2023 (real news, one paragraph a line) cut
into ~600-word documents, when the data is there; otherwise written news paragraphs repeated.
CPU time is printed beside wall time: on a shared machine the wall clock also counts others.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from furat.claims.persuasion.data import read_semeval2023
from furat.claims.persuasion.score import paragraph_model, score_document
from furat.model import Document, Paragraph

FALLBACK = {
    "en": "Konashenkov said government forces control most of the city and that the militants were "
          "retreating towards the border with Iraq under heavy fire from artillery and aircraft.",
    "fr": "Le ministère de la Défense russe a fourni quelques informations concernant la situation "
          "dans l'est de la Syrie et le soutien de la coalition aux groupes armés de la région.",
}


def documents(lang: str, data: Path | None, words: int = 600) -> list[str]:
    paras = ([p.text for p in read_semeval2023(data, lang, "dev")] if data and data.is_dir()
             else [FALLBACK[lang]] * 400)
    docs, cur = [], []
    for text in paras:
        cur.append(text)
        if sum(len(t.split()) for t in cur) >= words:
            docs.append("\n".join(cur))
            cur = []
    return docs


def as_document(text: str, lang: str) -> Document:
    paragraphs, pos = [], 0
    for block in text.split("\n"):
        paragraphs.append(Paragraph(start=pos, end=pos + len(block), language=lang))
        pos += len(block) + 1
    return Document(id="b", source="-", raw_sha256="-", text=text, language=lang, paragraphs=paragraphs)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for lang in ("fr", "en"):
        paragraph_model(lang)
        docs = [as_document(t, lang) for t in documents(lang, data)]
        score_document(docs[0])  # warm up
        wall, cpu = [], []
        for doc in docs:
            w, c = time.perf_counter(), time.process_time()
            score_document(doc)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
        n_words = statistics.mean(len(d.text.split()) for d in docs)
        print(f"{lang}: {len(docs)} documents of {n_words:.0f} words: median wall "
              f"{statistics.median(wall) * 1000:.1f} ms, CPU {statistics.median(cpu) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
