"""furat's command line: thin typer commands over the package.

Exit status: 0 when at least one input gave a document (or the command succeeded), 1 when none
did (or the command failed), 2 on usage errors.
"""

import importlib
import os
import sys
from typing import Any, NoReturn

from furat.cli.common import app, err
from furat.runtime import hide_training_libraries

# one module per command group; they register their commands on import, in this --help order
for _group in ("run", "query", "claims", "evals", "serve"):
    importlib.import_module(f"furat.cli.{_group}")


class _PipeSafeStdout:
    """stdout that ends the run quietly with status 0 when its reader goes away (`furat events |
    head`): click would turn that broken pipe into status 1."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _reader_gone(self) -> NoReturn:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())  # silence the final flush
        raise SystemExit(0)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._reader_gone()

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_gone()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    """Entry point: run the app, turning any unexpected error into one line (never a traceback)."""
    hide_training_libraries()
    sys.stdout = _PipeSafeStdout(sys.stdout)  # type: ignore[assignment]
    try:
        app()
    except KeyboardInterrupt:
        err.print("furat: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (`furat events | head`): not an error; silence the final flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        err.print(f"furat: error: {type(exc).__name__}: {exc} (set FURAT_DEBUG=1 for details)")
        if os.environ.get("FURAT_DEBUG"):
            raise
        sys.exit(1)


if __name__ == "__main__":
    main()
