"""Candidate event triggers of raw texts, one JSON line each, for annotating event decisions.

Reads plain text (one document per input line, or a whole file with --whole) and prints, for each
sentence holding a trigger of furat's lexicon, {"source", "sentence", "trigger", "plover"}: the
pairs the events stage has to decide on (annotations/event_decisions/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys

from furat.events.extract import sentences
from furat.events.lexicon import find_triggers, lexicon
from furat.model import Document, Paragraph
from furat.textnorm import normalise


def candidates(text: str, lang: str, source: str):
    doc = Document(id="x", source=source, raw_sha256="", text=text, language=lang,
                   paragraphs=[Paragraph(start=0, end=len(text), language=lang)])
    lex = lexicon(lang)
    for s, _ in sentences(doc):
        raw = text[s.start:s.end]
        norm = normalise(raw)
        for m in find_triggers(lex, norm.text):
            a, b = norm.to_original(m.start, m.end)
            yield {"source": source, "sentence": raw, "trigger": raw[a:b], "trigger_start": a,
                   "plover": m.trigger.plover}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("lang", choices=["en", "fr", "ar"])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--whole", action="store_true", help="each file is one document")
    args = ap.parse_args()
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            docs = [f.read()] if args.whole else f.read().splitlines()
        for i, text in enumerate(docs):
            for c in candidates(text, args.lang, f"{path}#{i}"):
                sys.stdout.write(json.dumps(c, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
