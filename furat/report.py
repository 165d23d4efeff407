"""Problems with inputs: one clear line each on stderr, never a traceback, never silent."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Reporter:
    """Collects input problems and prints each at once as `furat: SOURCE: message`."""

    stream: TextIO | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _print(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr, flush=True)

    def error(self, source: str, message: str) -> None:
        line = f"furat: error: {source}: {message}"
        self.errors.append(line)
        self._print(line)

    def warning(self, source: str, message: str) -> None:
        line = f"furat: warning: {source}: {message}"
        self.warnings.append(line)
        self._print(line)
