"""Readers for the corpora the persuasion models learn from and are scored on: SemEval-2020 task 11
(PTC, English spans), SemEval-2023 task 3 subtask 3 (paragraph labels, fr/en) and FA-KES
(Syrian-war articles labelled credible or fake). One reader per format, shared by the training
scripts and `furat eval`, so that both see the same splits."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(10_000_000)


@dataclass
class Article:
    """A PTC article and its gold technique spans (technique, start, end)."""

    id: str
    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Paragraph:
    """A SemEval-2023 paragraph: its article, line number, text and techniques."""

    article: str
    line: int
    text: str
    labels: list[str]


def _ptc_root(path: Path) -> Path:
    """The folder holding train-articles/, given it or one of its parents."""
    for candidate in (path, path / "datasets"):
        if (candidate / "train-articles").is_dir():
            return candidate
    raise FileNotFoundError(f"no train-articles/ under {path}")


def read_ptc(path: Path) -> list[Article]:
    """The PTC training articles with their technique spans (the only split with gold labels:
    the dev and test labels were never released)."""
    root = _ptc_root(path)
    labels_dir = root / "train-labels-task2-technique-classification"
    articles = []
    for file in sorted((root / "train-articles").glob("article*.txt")):
        art_id = file.stem.removeprefix("article")
        text = file.read_text(encoding="utf-8")
        spans = []
        label_file = labels_dir / f"article{art_id}.task2-TC.labels"
        if label_file.is_file():
            for line in label_file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    _, technique, start, end = line.split("\t")
                    spans.append((technique, int(start), int(end)))
        articles.append(Article(art_id, text, sorted(spans, key=lambda s: (s[1], s[2]))))
    return articles


def is_heldout(article_id: str) -> bool:
    """A fixed fifth of the PTC articles (by a hash of the id, so independent of file order) kept
    out of training: furat's test split, since the task's dev/test labels are not public."""
    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 5 == 0


def ptc_split(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    """(train, held-out) articles."""
    return [a for a in articles if not is_heldout(a.id)], [a for a in articles if is_heldout(a.id)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line, trimmed: PTC articles hold one sentence per line."""
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped)
            out.append((start, start + len(stripped)))
        pos += len(line) + 1
    return out


def read_semeval2023(path: Path, lang: str, split: str) -> list[Paragraph]:
    """Paragraphs of SemEval-2023 subtask 3 (`split` train or dev: test labels are not public),
    text from the .template file joined with the labels file on (article, line)."""
    base = path / "data" / lang if (path / "data" / lang).is_dir() else path / lang
    labels: dict[tuple[str, int], list[str]] = {}
    with open(base / f"{split}-labels-subtask-3.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                names = parts[2].split(",") if len(parts) > 2 and parts[2].strip() else []
                labels[(parts[0], int(parts[1]))] = [n.strip() for n in names if n.strip()]
    out = []
    with open(base / f"{split}-labels-subtask-3.template", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or not parts[2].strip():
                continue
            key = (parts[0], int(parts[1]))
            if key in labels:
                out.append(Paragraph(parts[0], key[1], parts[2], labels[key]))
    return out


def read_fakes(path: Path) -> tuple[list[str], list[int], list[str]]:
    """FA-KES articles: (title + body texts, labels 1 credible / 0 fake, unit ids)."""
    file = path / "fakes.csv" if path.is_dir() else path
    texts, labels, ids = [], [], []
    with open(file, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts.append(f"{row['article_title']}\n\n{row['article_content']}")
            labels.append(int(row["label"]))
            ids.append(row["unit_id"])
    return texts, labels, ids
