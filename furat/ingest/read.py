"""Find and read inputs: files, folders (recursive) and stdin, by kind."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from furat.report import Reporter

Kind = Literal["text", "html", "jsonl"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass
class Input:
    """One input: a path (or '-' for stdin) and its kind; for stdin, `data` (a page) or `lines`
    (JSONL, streamed)."""

    source: str
    kind: Kind
    path: Path | None = None
    data: bytes | None = None
    lines: Iterator[bytes] | None = None


def too_large(limit_mb: float, size_mb: float | None = None) -> str:
    """The one-line refusal of an input over `[ingest] max_file_mb` (a file, or stdin, whose
    size is not known: it is not read to its end)."""
    size = f"over {limit_mb:g} MB" if size_mb is None else f"{size_mb:.1f} MB > {limit_mb:g} MB"
    return (f"file too large ({size}; a news page is far smaller: split it, give it as JSONL, "
            "or raise [ingest] max_file_mb)")


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


def find_inputs(
    paths: list[str], report: Reporter, max_mb: float | None = None
) -> Iterator[Input]:
    """Every input named by `paths`, folders walked recursively in a stable order; hidden files
    are skipped, missing or unreadable paths reported. Stdin holding more than `max_mb` of
    text or HTML is refused like a file (JSONL is streamed, any size, as from a file)."""
    for name in paths:
        if name == "-":
            if (item := read_stdin(sys.stdin.buffer, max_mb, report)) is not None:
                yield item
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


def read_stdin(stream: BinaryIO, max_mb: float | None, report: Reporter) -> Input | None:
    """Stdin as an input: JSONL streamed line by line, a page read whole unless it holds more
    than `max_mb` megabytes (then refused, without reading the rest into memory)."""
    max_bytes = None if max_mb is None else int(max_mb * 1024 * 1024)
    head = stream.read(2048)
    if sniff(head) == "jsonl":
        return Input("-", "jsonl", lines=_lines(head, stream))
    rest = stream.read(-1 if max_bytes is None else max(0, max_bytes + 1 - len(head)))
    data = head + rest
    if max_bytes is not None and len(data) > max_bytes:
        report.error("-", too_large(max_mb or 0))
        return None
    return Input("-", sniff(data), data=data)


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield from (head + stream.readline()).splitlines(keepends=True)
    yield from stream
