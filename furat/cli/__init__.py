"""furat's command line: thin typer commands over the package.

Exit status: 0 when at least one input gave a document (or the command succeeded), 1 when none
did (or the command failed), 2 on usage errors.
"""

import importlib
import os
import sys

from furat.cli.common import app, err

# one module per command group; they register their commands on import, in this --help order
for _group in ("run", "query", "evals"):
    importlib.import_module(f"furat.cli.{_group}")


def main() -> None:
    """Entry point: run the app, turning any unexpected error into one line (never a traceback)."""
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
