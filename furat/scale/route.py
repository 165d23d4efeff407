"""Which worker a document goes to: one that has already loaded its language's models.

Why: most of a worker's start-up is language models, and the languages do not cost the same
(French ~4 s of ~8: spaCy's French tokenizer exceptions compile a 1.4 MB regular expression, then
fr_core_news_md loads; English and Arabic ~0.5 s each). With chunks in reading order every worker
needs every language early, so each pays the whole start-up before its share of the work. Sent
by language, a worker loads only the languages it is given, so the loading is split between the
workers instead of repeated, and each keeps less in memory.

The language is guessed in the parent, cheaply (script, then French and English function words
from furat/data/language): a hint only. The `language` stage still decides in the worker, and a
document is processed the same whichever worker runs it, so a wrong guess costs at most a
model load, never a different output.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from furat.language.detect import letter_counts
from furat.model import Document

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "language"
SAMPLE_CHARS = 1500  # enough words to tell French from English; the whole text is not needed
WORD = re.compile(r"[^\W\d_]+")
UNKNOWN = ""  # a document with no guess: routed like any language of its own


@cache
def function_words() -> dict[str, frozenset[str]]:
    """{language: its function words}, one data file per language."""
    out = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            out[path.stem] = frozenset(tomllib.load(fh).get("function_words", []))
    return out


def guess_language(doc: Document) -> str:
    """The document's language if a stage set it, else "ar" for Arabic script, else the language
    whose function words are the most frequent in its first lines, else UNKNOWN."""
    if doc.language:
        return doc.language
    sample = doc.text[:SAMPLE_CHARS]
    arabic, latin, _ = letter_counts(sample)
    if arabic > latin:
        return "ar"
    counts: dict[str, int] = {}
    lexicons = function_words()
    for word in WORD.findall(sample.lower()):
        for lang, words in lexicons.items():
            if word in words:
                counts[lang] = counts.get(lang, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else UNKNOWN


@dataclass
class Router:
    """Documents waiting for a worker, by guessed language, and the choice of the next chunk for a
    worker with a free slot:
    1. the language it already has with the oldest waiting document;
    2. else a language no worker has yet (the oldest first): a new language goes to a worker that
       runs out of its own, so the loading spreads over the workers;
    3. else the oldest waiting document of any language, so that no worker idles while another
       has a queue (it loads that language too: balance before affinity).
    Each worker's chunks grow 1, 2, 4 … `largest` documents, so that a handful of documents
    still reaches every worker and the first results come back early; once the input has ended,
    they shrink with what is left, so that the workers finish together (16 English documents are
    ~1.5 s of one worker's time)."""

    workers: int
    largest: int
    waiting: dict[str, deque[tuple[int, Document]]] = field(default_factory=dict)
    loaded: list[set[str]] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    ended: bool = False  # no more documents will be added

    def __post_init__(self) -> None:
        self.loaded = [set() for _ in range(self.workers)]
        self.sent = [0] * self.workers

    def add(self, index: int, doc: Document) -> None:
        self.waiting.setdefault(guess_language(doc), deque()).append((index, doc))

    def __len__(self) -> int:
        return sum(len(q) for q in self.waiting.values())

    def _pick(self, worker: int) -> str | None:
        heads = {lang: q[0][0] for lang, q in self.waiting.items() if q}
        if not heads:
            return None
        own = [lang for lang in heads if lang in self.loaded[worker]]
        if own:
            return min(own, key=heads.__getitem__)
        anyone = set().union(*self.loaded)
        fresh = [lang for lang in heads if lang not in anyone]
        return min(fresh or heads, key=heads.__getitem__)

    def take(self, worker: int) -> list[tuple[int, Document]]:
        """The next chunk for `worker` ((input index, document) pairs of one language), or []."""
        lang = self._pick(worker)
        if lang is None:
            return []
        queue = self.waiting[lang]
        size = min(self.largest, 2 ** min(self.sent[worker], 16))
        if self.ended:
            size = min(size, -(-len(self) // (2 * self.workers)))
        chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
        self.loaded[worker].add(lang)
        self.sent[worker] += 1
        return chunk
