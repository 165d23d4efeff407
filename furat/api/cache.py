"""A small cache of GET responses, valid while the database file is unchanged.

Many people opening the page ask the same few queries; a burst of identical requests is answered by
one computation (the others wait for it) and then from memory. An entry is only used while the
database's generation — the size and modification time of the file and its write-ahead log, and a
counter bumped by this process's own writes — is the one it was computed under, so a `furat ingest`
running alongside, or a POST, is seen by the next request.
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

MAX_ENTRIES = 256
MAX_ENTRY_BYTES = 4_000_000  # larger answers (e.g. every event as GeoJSON) are not kept
CACHED_PREFIXES = ("/events", "/documents", "/actors", "/places", "/claims", "/search", "/stats")


class ResponseCache:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.writes = 0
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, dict[str, str], bytes]] = OrderedDict()
        self.pending: dict[tuple[Any, ...], asyncio.Future] = {}

    def generation(self) -> tuple[Any, ...]:
        stamp: list[Any] = [self.writes]
        for path in (self.db_path, self.db_path + ".wal"):
            try:
                st = os.stat(path)
                stamp += [st.st_size, st.st_mtime_ns]
            except OSError:
                stamp += [None, None]
        return tuple(stamp)

    def invalidate(self) -> None:
        self.writes += 1
        self.entries.clear()

    async def __call__(self, request: Request, call_next: Any) -> Response:
        if request.method != "GET" or not request.url.path.startswith(CACHED_PREFIXES):
            return await call_next(request)
        key = (self.generation(), request.url.path, tuple(sorted(request.query_params.multi_items())))
        hit = self.entries.get(key)
        if hit is None and key in self.pending:
            hit = await asyncio.shield(self.pending[key])
        if hit is not None:
            if key in self.entries:
                self.entries.move_to_end(key)
            status, headers, body = hit
            return Response(body, status_code=status, headers=headers)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        try:
            response = await call_next(request)
            body = b"".join([chunk async for chunk in response.body_iterator])
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            entry = (response.status_code, headers, body)
            if response.status_code == 200 and len(body) <= MAX_ENTRY_BYTES:
                self.entries[key] = entry
                while len(self.entries) > MAX_ENTRIES:
                    self.entries.popitem(last=False)
            future.set_result(entry)
            return Response(body, status_code=response.status_code, headers=headers)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiting requests get it, none is left unread
            raise
        finally:
            del self.pending[key]
