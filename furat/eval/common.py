"""Shared metric code and output for every `furat eval` command: a table, then one JSON line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass
class EvalResult:
    """Rows for the table (one dict per row, same keys) and the summary printed as JSON."""

    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_result(result: EvalResult, console: Console | None = None) -> None:
    """The table on stdout, then the summary as one JSON object on the last line."""
    console = console or Console(highlight=False)
    if result.rows:
        table = Table(title=result.title)
        for key in result.rows[0]:
            table.add_column(str(key))
        for row in result.rows:
            table.add_row(*(_cell(v) for v in row.values()))
        console.print(table)
    print(json.dumps(result.summary, ensure_ascii=False, sort_keys=True), flush=True)
