"""Find and read inputs: files, folders (recursive) and stdin, by kind."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from furat.report import Reporter

Kind = Literal["text", "html", "jsonl"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass
class Input:
    """One input: a path (or '-' for stdin) and its kind; `data` is set for stdin only."""

    source: str
    kind: Kind
    path: Path | None = None
    data: bytes | None = None


def kind_of(path: Path) -> Kind:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def sniff(data: bytes) -> Kind:
    """The kind of an input that has no file name (stdin)."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def find_inputs(paths: list[str], report: Reporter) -> Iterator[Input]:
    """Every input named by `paths`, folders walked recursively in a stable order; hidden files
    are skipped, missing or unreadable paths reported."""
    for name in paths:
        if name == "-":
            data = sys.stdin.buffer.read()
            yield Input("-", sniff(data), data=data)
            continue
        path = Path(name)
        if not path.exists():
            report.error(name, "no such file or folder")
        elif path.is_dir():
            try:
                files = sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            except OSError as exc:
                report.error(name, f"cannot list folder ({exc.strerror or exc})")
                continue
            if not files:
                report.error(name, "folder holds no files")
            for file in files:
                yield Input(str(file), kind_of(file), path=file)
        elif path.is_file():
            yield Input(name, kind_of(path), path=path)
        else:
            report.error(name, "not a regular file")
