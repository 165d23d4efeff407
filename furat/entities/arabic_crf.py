"""furat's Arabic NER: a linear-chain CRF (python-crfsuite) over word, clitic-free key, affix,
gazetteer and context features, trained on NewsFANE by scripts/train_ner_ar.py.

Why a CRF and not spaCy's CNN: no Arabic vectors or transformer ship with any PyPI package, and
with ~2,600 training sentences hand-made features generalise better than a CNN trained from
scratch: on NewsFANE's held-out test split the CRF reaches 0.58 micro-F1 against 0.54 for the CNN
(docs/QUALITY.md), and tags 600 words in about 10 ms.

The model folder (written by the training script, shipped in the package) holds the CRF and the
word lists its features read, snapshotted at training time so that tagging sees the lists the
model was trained with: vocabulary.txt, places.txt, kb_words.txt.

The features are defined here only, so that training and tagging cannot drift apart. Tokens follow
NewsFANE's convention (the conjunction و is its own token): a leading و is split off a word when the
rest is a word the training data knows, or starts with the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from furat.actors.normalize import TOKEN_RE, key, surface

# The actor matcher's words (diacritics and tatweel inside), or single punctuation marks.
_TOKEN = re.compile(TOKEN_RE.pattern + r"|[^\w\s]")
_MARKS = str.maketrans({"\u200e": None, "\u200f": None, "\u200b": None, "\ufeff": None})
_LATIN = re.compile(r"[a-z]")
_DIGITS = re.compile(r"\d+")
_WORDISH = re.compile(r"\w")


def clean(token: str) -> str:
    """A token without direction and zero-width marks (NewsFANE prefixes most with U+200E)."""
    return token.translate(_MARKS)


def tokenize(text: str, vocabulary: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of each token of `text`, with a leading conjunction و split off as NewsFANE
    does ("والعراق" → "و" + "العراق") when the rest starts with the article or is a known word."""
    out: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = _word(m.group())[0]
        rest = word[1:]
        if word.startswith("و") and len(rest) >= 3 and word not in vocabulary and (
                rest.startswith("ال") or rest in vocabulary):
            out += [(s, s + 1), (s + 1, e)]
        else:
            out.append((s, e))
    return out


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> tuple[str, str, tuple[str, ...]]:
    """Surface, key and the context-free feature names of one token (cached: news repeats words)."""
    w = surface(clean(token))
    k = key(w) or w
    names = ["s=" + w, "k=" + k, "p2=" + k[:2], "p3=" + k[:3], "x2=" + k[-2:], "x3=" + k[-3:],
             f"len={min(len(k), 8)}"]
    if w.startswith(("ال", "وال", "بال", "لل")):
        names.append("article")
    if _DIGITS.fullmatch(w):
        names.append("number")
    elif not _WORDISH.search(w):
        names.append("punct")
    elif _LATIN.search(w):
        names.append("latin")
    return w, k, tuple(names)


def token_features(tokens: list[str], places: frozenset[str],
                   kb_words: frozenset[str]) -> list[dict[str, float]]:
    """One feature dict per token (crfsuite attributes): surface and key of the word and of its
    neighbours (±2), affixes of the key, the article, shape, and whether the word is a known place
    name or a word of an Arabic actor name in furat's knowledge base."""
    info = [_word(t) for t in tokens]
    words = [w for w, _, _ in info]
    keys = [k for _, k, _ in info]
    is_place = [w in places or k in places for w, k in zip(words, keys, strict=True)]
    n = len(words)
    feats: list[dict[str, float]] = []
    for i, (_, k, names) in enumerate(info):
        f = dict.fromkeys(names, 1.0)
        f["bias"] = 1.0
        if is_place[i]:
            f["place"] = 1.0
        if k in kb_words:
            f["kbword"] = 1.0
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f[f"{d}:s={words[j]}"] = 1.0
                f[f"{d}:k={keys[j]}"] = 1.0
                if is_place[j]:
                    f[f"{d}:place"] = 1.0
            else:
                f[f"{d}:edge"] = 1.0
        if i > 0:
            f[f"bigram-={keys[i - 1]}|{k}"] = 1.0
        if i < n - 1:
            f[f"bigram+={k}|{keys[i + 1]}"] = 1.0
        feats.append(f)
    return feats


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token ranges [i, j) and labels of the entities of a BIO tag sequence."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None and tag[2:] == label
        if start is not None and not inside:
            spans.append((start, i, label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


def read_lines(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())


class ArabicCRF:
    """The trained tagger in a folder: model.crfsuite, vocabulary.txt, places.txt, kb_words.txt."""

    def __init__(self, folder: str | Path) -> None:
        import pycrfsuite

        folder = Path(folder)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(folder / "model.crfsuite"))
        self.vocabulary = read_lines(folder / "vocabulary.txt")
        self.places = read_lines(folder / "places.txt")
        self.kb_words = read_lines(folder / "kb_words.txt")

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        return list(self.tagger.tag(token_features(tokens, self.places, self.kb_words)))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of the PER/ORG/LOC entities of one text, sentence by sentence."""
        offsets = tokenize(text, self.vocabulary)
        out: list[tuple[int, int, str]] = []
        for a, b in _sentences(text, offsets):
            part = offsets[a:b]
            for i, j, label in bio_spans(self.tag_tokens([text[s:e] for s, e in part])):
                out.append((part[i][0], part[j - 1][1], label))
        return out

    def pipe(self, texts: Iterable[str]) -> Iterable[list[tuple[int, int, str]]]:
        for text in texts:
            yield self.spans(text)


def _sentences(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token index ranges of sentences (ended by . ! ? ؟ or a line break), as NewsFANE's are."""
    out, start = [], 0
    for i, (s, e) in enumerate(offsets):
        end_here = text[s:e] in (".", "!", "?", "؟") or (
            i + 1 < len(offsets) and "\n" in text[e:offsets[i + 1][0]])
        if end_here:
            out.append((start, i + 1))
            start = i + 1
    if start < len(offsets):
        out.append((start, len(offsets)))
    return out


@lru_cache(maxsize=2)
def load(folder: str) -> ArabicCRF:
    return ArabicCRF(folder)
