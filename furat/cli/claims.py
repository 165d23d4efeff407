"""`furat claims`: who said what about which event, and how surely, from the store."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from furat.cli.common import DbOpt, app, err


class ClaimsFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("claims", epilog="Exit status: 0 on success (even with no claim), 1 when the database cannot "
             "be read.")
def claims_cmd(
    db: DbOpt = Path("furat.duckdb"),
    speaker: Annotated[str | None, typer.Option(help="Speaker text or canonical actor (substring).")] = None,
    stance: Annotated[str | None, typer.Option(help="assert, deny, accuse, warn, demand, confirm, "
                                               "speculate.")] = None,
    event: Annotated[str | None, typer.Option(help="An event id (furat events --format json) the claims "
                                              "report.")] = None,
    fmt: Annotated[ClaimsFormat, typer.Option("--format", help="table or json.")] = ClaimsFormat.table,
    limit: Annotated[int, typer.Option(help="At most this many claims.")] = 1000,
) -> None:
    """Stored claims: speaker, cue, stance, hedged, content and the events they report.

    Examples:

      furat claims --db corpus.duckdb --stance deny

      furat claims --db corpus.duckdb --speaker Konashenkov --format json
    """
    from furat.store.claims import query_claims
    from furat.store.db import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            assert store.conn is not None
            rows = query_claims(store.conn, speaker=speaker, stance=stance, event=event, limit=limit)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    if fmt is ClaimsFormat.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table(title=f"{len(rows)} claims")
    for col in ("speaker", "cue", "stance", "hedged", "content", "events"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["speaker"] or "", r["cue"] or "", r["stance"], "yes" if r["hedged"] else "",
                      (r["content"] or "")[:90], ", ".join(json.loads(r["events"] or "[]")))
    Console(highlight=False).print(table)
