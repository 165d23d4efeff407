"""POST /documents: code a pasted article (text or HTML) with the full pipeline and store it.

The text goes through the same reader as `furat ingest` (a temporary file, so HTML is cleaned and
multi-article pages are split the same way), then the pipeline, whose models load once per process.
Documents are coded before the database is locked, so readers wait only while they are written.
"""

from __future__ import annotations

import io
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from furat.api.access import Database
from furat.api.routes import ERRORS, ErrorOut, db

router = APIRouter(responses=ERRORS)

MAX_TEXT_CHARS = 200_000
SOURCE = "POST /documents"
_pipeline: Any = None
_pipeline_lock = threading.Lock()  # one article coded at a time: the models are shared


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The article: plain text or HTML.")
    format: Literal["text", "html"] = Field(default="text", description="How to read `text`.")
    store: bool = Field(default=True, description="Store the coded documents (false: only code them).")


def _load_pipeline() -> tuple[Any, Any]:
    global _pipeline
    if _pipeline is None:
        from furat.config import load_config
        from furat.ingest.build import IngestOptions
        from furat.pipeline import Pipeline

        config = load_config(None)
        _pipeline = (Pipeline.from_config(config), IngestOptions.from_config(config.get("ingest", {})))
    return _pipeline


def code(text: str, fmt: str) -> tuple[list[Any], list[tuple[str, str, bytes]], list[str]]:
    """Documents of one pasted input, the raw input they came from, and the problems met."""
    from furat.ingest.build import documents
    from furat.report import Reporter

    report = Reporter(stream=io.StringIO())
    raws: list[tuple[str, str, bytes]] = []
    with _pipeline_lock, tempfile.TemporaryDirectory(prefix="furat-post-") as tmp:
        path = Path(tmp) / ("pasted.html" if fmt == "html" else "pasted.txt")
        path.write_text(text, encoding="utf-8")
        pipeline, options = _load_pipeline()
        docs = list(pipeline.run(documents([str(path)], options, report,
                                           on_raw=lambda sha, _src, data: raws.append((sha, SOURCE, data))),
                                 report))
        problems = [line.replace(str(path), SOURCE) for line in report.errors + report.warnings]
    for doc in docs:
        doc.source = SOURCE
    return docs, raws, problems


@router.post("/documents", status_code=201, summary="Code an article (text or HTML) and store it",
             responses={411: {"model": ErrorOut, "description": "No Content-Length"},
                        413: {"model": ErrorOut, "description": "Body too large"}})
def post_document(body: DocumentIn, database: Annotated[Database, Depends(db)]) -> dict[str, Any]:
    docs, raws, problems = code(body.text, body.format)
    if not docs:
        raise HTTPException(422, "no document in the text: " + ("; ".join(problems) or "too short or empty"))
    event_ids: dict[str, str] = {}
    if body.store:
        by_sha = {sha: (src, data) for sha, src, data in raws}
        with database.writer() as store:
            for _ in store.ingest(docs, by_sha.get):
                pass
        with database.reader() as store:
            event_ids = dict(store.conn.execute(
                "SELECT mention_id, event_id FROM mentions WHERE list_contains(?, doc_id)",
                [[d.id for d in docs]]).fetchall())
    out = []
    for doc in docs:
        data = doc.model_dump(mode="json", include={"id", "title", "language", "published", "text", "events",
                                                    "claims", "places", "actors", "times"})
        for n, e in enumerate(data["events"]):
            e["n"], e["mention_id"] = n, f"{doc.id}-{n}"
            e["event_id"] = event_ids.get(e["mention_id"])
        out.append(data)
    return {"stored": body.store, "documents": out, "problems": problems}
