"""Read-only routes: events (list, one, GeoJSON), documents, actors, places, claims, search, stats.

Filters are validated by furat/store/filters.py, the same code as `furat events`; every query is
run by furat/store with parameters. Handlers are plain functions: FastAPI runs them in its thread
pool, each with its own read-only connection.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from furat.api.access import Database
from furat.api.index import MAP_PROPERTIES, EventIndex, dumps, indexed, plain
from furat.events.lexicon import MATERIAL, VERBAL
from furat.store import filters
from furat.store.claims import query_claims
from furat.store.events import geojson_feature
from furat.store.filters import FilterError


class ErrorOut(BaseModel):
    """Every error: a message a person can act on (and, for bad parameters, one line per problem)."""

    error: str
    problems: list[str] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such event or document"},
    422: {"model": ErrorOut, "description": "A parameter is wrong: the message says what to give"},
    503: {"model": ErrorOut, "description": "The database cannot be read (missing, or locked too long)"},
    504: {"model": ErrorOut, "description": "The request took too long"},
}
router = APIRouter(responses=ERRORS)
PLOVER = MATERIAL | VERBAL

MAX_LIMIT = 50_000
Text = Annotated[str | None, Query(max_length=200)]


def db(request: Request) -> Database:
    return request.app.state.db


DB = Annotated[Database, Depends(db)]


class EventFilters:
    """The filters of `furat events`, as query parameters (same names, same validation)."""

    def __init__(
        self,
        type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT.")] = None,
        actor: Annotated[str | None, Query(max_length=200, description="An actor as the news names it "
                                           "(SDF, FDS, قسد) or part of its canonical name.")] = None,
        country: Annotated[str | None, Query(max_length=60, description="Country name (en/fr/ar) or "
                                             "ISO code.")] = None,
        near: Annotated[str | None, Query(max_length=100, description="'lat,lon' or a place name.")] = None,
        km: Annotated[float, Query(gt=0, le=20_000, description="Radius for `near`, in km.")] = 50.0,
        since: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
        until: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
        certainty: Annotated[str | None, Query(max_length=100, description="Comma-separated: asserted, "
                             "reported, hedged, denied, negated (default asserted,reported).")] = None,
        all: Annotated[bool, Query(description="Every certainty level (hedged and negated too).")] = False,
        source: Annotated[str | None, Query(min_length=1, max_length=200, description="Part of an outlet "
                          "or input name one of the reports comes from.")] = None,
        language: Annotated[str | None, Query(max_length=2, description="fr, ar or en: reported in it "
                            "by at least one source.")] = None,
        disputed: Annotated[bool, Query(description="Only events whose sources disagree.")] = False,
        min_sources: Annotated[int | None, Query(ge=1, le=1000, description="Told by at least this many "
                               "documents.")] = None,
    ) -> None:
        levels = filters.certainty(certainty, "certainty")
        self.query: dict[str, Any] = {
            "type": type, "actor": actor, "actor_names": filters.actor_names(actor),
            "country": filters.country_code(country, "country"),
            "since": filters.day("since", since, last=False), "until": filters.day("until", until, last=True),
            "near": filters.point(near, "near"), "km": km,
            "certainty": levels or (None if all else ["asserted", "reported"]),
            "source": source, "language": filters.language(language, "language"),
            "disputed": True if disputed else None, "min_sources": min_sources,
        }

    def resolved(self, stored: Callable[[], set[str]]) -> dict[str, Any]:
        """The query for Store.events / EventIndex.select; `stored`: the database's event types,
        asked only for a type that is not PLOVER's."""
        kind = self.query["type"]
        known = stored() if kind and kind.upper() not in PLOVER else set()
        return dict(self.query, type=filters.event_type(kind, known, "type"))


async def event_filters(**given: Any) -> EventFilters:
    """EventFilters made on the event loop (its checks are lookups in loaded tables: no thread hop),
    except for an actor or a place name, whose first use loads the actor KB or the gazetteer."""
    if given.get("actor") or not _is_point(given.get("near")):
        return await run_in_threadpool(lambda: EventFilters(**given))
    return EventFilters(**given)


def _is_point(near: str | None) -> bool:
    """Whether `near` is absent or 'lat,lon' (a place name needs the gazetteer)."""
    if not near:
        return True
    try:
        [float(v) for v in near.split(",", 1)]
    except ValueError:
        return False
    return "," in near


event_filters.__signature__ = inspect.signature(EventFilters)  # type: ignore[attr-defined]
Filters = Annotated[EventFilters, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many first.")]
Rows = list[dict[str, Any]] | None
Encode = Callable[[EventIndex | None, list[int], Rows], list[bytes]]


def _matches(database: Database, f: EventFilters, index: EventIndex | None, limit: int, offset: int,
             encode: Encode) -> tuple[list[bytes], bool]:
    """The page of matching events (offset skipped, at most limit), each encoded, and whether more
    match. From the in-memory index when it is built and answers every filter given, else through
    Store.events (whose rows take their encoding from the index when there is one)."""
    if index is not None:
        query = f.resolved(lambda: index.types)
        if indexed(query):
            found = index.select(query)
            return encode(index, found[offset:offset + limit].tolist(), None), len(found) > offset + limit
    with database.reader() as store:
        query = f.resolved(store.event_types)
        rows = store.events(**query, limit=offset + limit + 1)
    more = len(rows) > offset + limit
    rows = rows[offset:offset + limit]
    positions = index.positions([r["event_id"] for r in rows]) if index is not None else None
    return encode(index if positions is not None else None, positions or [], rows), more


async def _answer(request: Request, f: EventFilters, limit: int, offset: int,
                  encode: Encode) -> tuple[list[bytes], bool]:
    """`_matches` on the event loop when the index is ready (array work, well under a millisecond for
    10,000 events), else in the thread pool (a DuckDB query, or the index being built)."""
    database: Database = request.app.state.db
    index = database.ready_index()
    if index is not None and indexed(f.resolved(lambda: index.types)):
        return _matches(database, f, index, limit, offset, encode)

    def slow() -> tuple[list[bytes], bool]:
        return _matches(database, f, database.index(), limit, offset, encode)

    return await run_in_threadpool(slow)


def _records(index: EventIndex | None, positions: list[int], rows: Rows) -> list[bytes]:
    if index is not None:
        return [index.record[i] for i in positions]
    return [dumps(plain(r)) for r in rows or []]


def _features(index: EventIndex | None, positions: list[int], rows: Rows) -> list[bytes]:
    if index is not None:
        return [index.feature[i] for i in positions]
    return [dumps(geojson_feature(plain(r))) for r in rows or []]


def _map_features(index: EventIndex | None, positions: list[int], rows: Rows) -> list[bytes]:
    if index is not None:
        return [index.map_feature[i] for i in positions]
    return [dumps(geojson_feature(plain({k: r[k] for k in MAP_PROPERTIES}))) for r in rows or []]


def _wrap(head: bytes, items: list[bytes], tail: bytes) -> bytes:
    """head + items joined by commas + tail, in one copy (an answer may be megabytes)."""
    if len(items) < 2:
        return head + b"".join(items) + tail
    return b",".join([head + items[0], *items[1:-1], items[-1] + tail])


def page_body(records: list[bytes], offset: int, limit: int, more: bool) -> bytes:
    """The `/events` answer around its encoded events."""
    head = dumps({"count": len(records), "offset": offset, "limit": limit,
                  "next_offset": offset + len(records) if more else None})
    return _wrap(head[:-1] + b',"events":[', records, b"]}")


def collection_body(features: list[bytes]) -> bytes:
    """The `/events.geojson` answer around its encoded features."""
    return _wrap(b'{"type":"FeatureCollection","features":[', features, b"]}")


@router.get("/events", summary="Events matching every filter, by date", response_class=JSONResponse)
async def list_events(request: Request, f: Filters, limit: Limit = 100, offset: Offset = 0) -> Response:
    # the events come encoded (EventIndex): the page is joined as bytes, no model validation
    records, more = await _answer(request, f, limit, offset, _records)
    return Response(page_body(records, offset, limit, more), media_type="application/json")


@router.get("/events.geojson", summary="Events matching every filter, as a GeoJSON FeatureCollection",
            response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
async def events_geojson(request: Request, f: Filters, limit: Limit = 10_000, offset: Offset = 0,
                         properties: Annotated[Literal["all", "map"], Query(description=(
                             "all: every column; map: what a map shows (under half the size)"))] = "all",
                         ) -> Response:
    encode = _map_features if properties == "map" else _features
    features, _ = await _answer(request, f, limit, offset, encode)
    return Response(collection_body(features), media_type="application/geo+json")


@router.get("/events/{event_id}", summary="One event: merged record, versions, each source's evidence")
def get_event(database: DB, event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
    with database.reader() as store:
        found = store.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event or mention {event_id!r}")
        event, mentions = found
        for m in mentions:
            m["evidence_span"], m["trigger_span"] = _spans(store.conn, m["doc_id"], m["n"])
            m["title"] = _title(store.conn, m["doc_id"])
        claims = [c for m in mentions for c in query_claims(store.conn, event=m["mention_id"], limit=50)]
    return {"event": plain(event), "mentions": [plain(m) for m in mentions],
            "claims": [plain(c) for c in claims]}


def _spans(conn: Any, doc_id: str, n: int) -> tuple[Any, Any]:
    """Where the mention's evidence sentence and trigger lie in its document's text."""
    row = conn.execute("SELECT json_extract(doc, ?), json_extract(doc, ?) FROM documents WHERE id = ?",
                       [f"$.events[{int(n)}].evidence", f"$.events[{int(n)}].trigger", doc_id]).fetchone()
    return tuple(json.loads(v) if isinstance(v, str) else v for v in row) if row else (None, None)


def _title(conn: Any, doc_id: str) -> str | None:
    row = conn.execute("SELECT title FROM documents WHERE id = ?", [doc_id]).fetchone()
    return row[0] if row else None


DOC_LIST = ("id", "title", "outlet", "source", "url", "published", "language", "n_chars")


@router.get("/documents", summary="Stored documents (no text), newest first")
def list_documents(database: DB, limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0,
                   language: Annotated[str | None, Query(max_length=2)] = None) -> dict[str, Any]:
    filters.language(language, "language")
    where, params = ("WHERE language = ?", [language]) if language else ("", [])
    with database.reader() as store:
        cur = store.conn.execute(
            f"SELECT {', '.join(DOC_LIST)}, (SELECT count(*) FROM mentions m WHERE m.doc_id = d.id) AS "
            f"n_events FROM documents d {where} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
            [*params, limit, offset])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {"count": len(rows), "offset": offset, "documents": rows}


@router.get("/documents/{doc_id}", summary="One document: its text and every span as character offsets")
def get_document(database: DB, doc_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
    with database.reader() as store:
        doc = store.document(doc_id)
        mentions = dict(store.conn.execute("SELECT n, event_id FROM mentions WHERE doc_id = ?",
                                           [doc_id]).fetchall()) if doc else {}
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    data = doc.model_dump(mode="json", exclude={"persuasion"})
    for n, e in enumerate(data["events"]):
        e["n"], e["mention_id"], e["event_id"] = n, f"{doc_id}-{n}", mentions.get(n)
    return data


@router.get("/actors", summary="Canonical actors with their mention and document counts")
def actors(database: DB, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
           min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0) -> dict[str, Any]:
    from furat.actors.report import actor_counts

    with database.lock.read():
        return {"actors": actor_counts(database.path, min_confidence, limit)}


@router.get("/places", summary="Places of the events with their counts")
def places(database: DB, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    with database.reader() as store:
        cur = store.conn.execute(
            "SELECT place, latitude, longitude, place_country, admin1, count(*) AS events, "
            "coalesce(sum(fatalities), 0) AS fatalities FROM events WHERE place IS NOT NULL "
            "GROUP BY ALL ORDER BY events DESC, place LIMIT ?", [limit])
        names = [d[0] for d in cur.description]
        return {"places": [dict(zip(names, r, strict=True)) for r in cur.fetchall()]}


@router.get("/claims", summary="Who said what: claims filtered by speaker, stance or event")
def claims(database: DB, speaker: Text = None, stance: Annotated[str | None, Query(max_length=20)] = None,
           event: Text = None, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    with database.reader() as store:
        rows = query_claims(store.conn, speaker=speaker, stance=stance, event=event, limit=limit)
    return {"claims": [plain(r) for r in rows]}


@router.get("/search", summary="Full-text search in the documents' titles and texts")
def search(database: DB, q: Annotated[str, Query(min_length=1, max_length=200)],
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    """Case-insensitive substring search; `%`, `_` and `\\` in `q` are literal characters."""
    needle = q.strip()
    if not needle:
        raise FilterError("q: give some text to look for")
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with database.reader() as store:
        cur = store.conn.execute(
            "SELECT id, title, outlet, published, language, strpos(lower(text), lower(?)) - 1 AS at, "
            "text FROM documents WHERE title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\' "
            "ORDER BY published DESC NULLS LAST, id LIMIT ?", [needle, pattern, pattern, limit])
        rows = cur.fetchall()
    hits = []
    for doc_id, title, outlet, published, language, at, text in rows:
        start = max(at - 80, 0) if at >= 0 else 0
        hits.append({"id": doc_id, "title": title, "outlet": outlet, "published": published,
                     "language": language, "offset": at if at >= 0 else None,
                     "snippet": text[start:start + 200]})
    return {"query": needle, "count": len(hits), "documents": hits}


@router.get("/stats", summary="Counts: documents, events by type and certainty, languages, months")
def stats(database: DB) -> dict[str, Any]:
    with database.reader() as store:
        data = store.stats()
    data["database"] = Path(data["database"]).name  # no server path to the client
    return data
