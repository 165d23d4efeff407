"""`furat serve`: the HTTP API and the offline web page over a database (uvicorn)."""

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from furat.cli.common import DbOpt, app, err


@app.command(epilog="Exit status: 0 when stopped (Ctrl-C), 1 when the database cannot be read, 2 on usage "
             "errors.")
def serve(
    db: DbOpt = Path("furat.duckdb"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on; the default answers this machine "
                                      "only (the API has no authentication).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=32, help="Server processes (more answer "
                                         "more requests at once; each reads the database on its own).")] = 1,
) -> None:
    """Serve the events as an HTTP API (OpenAPI at /docs) and a web page at / with a map, a timeline
    and each event's evidence; works offline. `furat ingest` may add documents meanwhile.

    Example: furat ingest news/ --db furat.duckdb && furat serve --db furat.duckdb
    """
    import uvicorn

    from furat.api import create_app
    from furat.store.db import Store, StoreError

    try:
        with Store(db, read_only=True):
            pass
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    err.print(f"furat: serving {db} on http://{host}:{port}/ (Ctrl-C to stop)")
    options = {"host": host, "port": port, "log_level": "warning", "timeout_keep_alive": 5,
               "limit_concurrency": 512, "server_header": False}
    if workers == 1:
        uvicorn.run(create_app(db), **options)
        return
    # worker processes import the app themselves: they find the database in the environment
    os.environ[DB_ENV] = str(db.resolve())
    uvicorn.run("furat.cli.serve:app_from_env", factory=True, workers=workers, **options)


DB_ENV = "FURAT_SERVE_DB"


def app_from_env() -> Any:
    """The app of one worker process of `furat serve --workers N`."""
    from furat.api import create_app

    return create_app(os.environ[DB_ENV])
