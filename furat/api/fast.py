"""A shortcut for the commonest reads: filtered `/events` and `/events.geojson` from the events index
without FastAPI's routing and parameter machinery, which is about half of such a request's CPU.

It takes only requests it can check exactly as FastAPI would: GET on those two paths, each parameter
known, given once, not empty, and of a plain form (digits, a decimal, true/false, short text within
the declared length), the filters `EventIndex` answers, and the index built. It then runs the same
code as the routes (EventFilters, EventIndex.select, the same encoders), so the answer is the same
bytes. Anything else (an actor, a source, a language, a place name, a value out of range or of
another form, a filter error, no index yet) goes on to FastAPI, which answers it as before, errors
included.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from furat.api.access import Database
from furat.api.index import indexed
from furat.api.routes import (
    MAX_LIMIT,
    EventFilters,
    _features,
    _is_point,
    _map_features,
    _records,
    collection_body,
    page_body,
)
from furat.store.filters import FilterError

DIGITS = re.compile(r"[0-9]{1,9}")
DECIMAL = re.compile(r"[0-9]{1,6}(\.[0-9]{1,9})?")
TEXT = {"type": 40, "country": 60, "near": 100, "since": 10, "until": 10, "certainty": 100}  # max_length
FLAGS = ("all", "disputed")
PATHS = {"/events": 100, "/events.geojson": 10_000}  # and their default limit


class FastEvents:
    """ASGI middleware: answers the plain filtered reads of /events and /events.geojson itself."""

    enabled = True  # tests compare with FastAPI's own answers

    def __init__(self, app: Any, database: Database) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self.enabled and scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in PATHS:
            answer = self.answer(scope["path"], scope.get("query_string", b"").decode("latin-1"))
            if answer is not None:
                media, body = answer
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-length", str(len(body)).encode()), (b"content-type", media)]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def answer(self, path: str, query: str) -> tuple[bytes, bytes] | None:
        """(content type, body), or None: FastAPI's to answer."""
        index = self.database.ready_index()
        params = parse_qsl(query, keep_blank_values=True)
        given = dict(params)
        if index is None or len(given) != len(params):
            return None
        limit, offset, properties = PATHS[path], 0, "all"
        filters: dict[str, Any] = {}
        for key, value in given.items():
            if not value:
                return None
            if key in TEXT:
                if len(value) > TEXT[key] or (key == "near" and not _is_point(value)):
                    return None
                filters[key] = value
            elif key in FLAGS:
                if value not in ("true", "false"):
                    return None
                filters[key] = value == "true"
            elif key == "km":
                if not DECIMAL.fullmatch(value) or not 0 < float(value) <= 20_000:
                    return None
                filters[key] = float(value)
            elif key == "min_sources":
                if not DIGITS.fullmatch(value) or not 1 <= int(value) <= 1000:
                    return None
                filters[key] = int(value)
            elif key == "limit":
                if not DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_LIMIT:
                    return None
                limit = int(value)
            elif key == "offset":
                if not DIGITS.fullmatch(value) or int(value) > 10_000_000:
                    return None
                offset = int(value)
            elif key == "properties" and path == "/events.geojson" and value in ("all", "map"):
                properties = value
            else:
                return None
        try:
            resolved = EventFilters(**filters).resolved(lambda: index.types)
        except FilterError:
            return None
        if not indexed(resolved):
            return None
        found = index.select(resolved)
        page = found[offset:offset + limit].tolist()
        if path == "/events":
            return b"application/json", page_body(_records(index, page, None), offset, limit,
                                                   len(found) > offset + limit)
        encode = _map_features if properties == "map" else _features
        return b"application/geo+json", collection_body(encode(index, page, None))
