"""The FastAPI app: routes, limits, JSON errors and the static page.

Safety by construction: every query is SQL with parameters (furat/store), the page's files are
served by Starlette's StaticFiles (which refuses paths outside its folder), no CORS middleware (a
page of another origin cannot read the API), request bodies are capped before they are read, slow
requests answer 504, and any error reaches the client as `{"error": message}`, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from furat import __version__
from furat.api.access import Database
from furat.api.cache import ResponseCache
from furat.store.db import StoreError
from furat.store.filters import FilterError

log = logging.getLogger("furat.api")

MAX_BODY_BYTES = 1_000_000  # a news article is far smaller; POST /documents refuses more
REQUEST_TIMEOUT_S = 30.0  # reads; POST /documents may first load the pipeline's models
POST_TIMEOUT_S = 300.0
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
}
SECURITY_HEADERS_RAW = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def static_dir() -> Path:
    return Path(str(files("furat.web") / "static"))


def create_app(db_path: str | Path, *, max_body: int = MAX_BODY_BYTES,
               timeout: float = REQUEST_TIMEOUT_S) -> FastAPI:
    """An app over the database at `db_path` (opened per request, so it may not exist yet)."""
    from furat.api.fast import FastEvents
    from furat.api.ingest import router as ingest_router
    from furat.api.routes import router

    database = Database(db_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # the server answers once the events index is built (~0.3 s for 10,000 events) and the
        # country names loaded (filters check them on the event loop), not before
        from furat.geo.countries import countries

        await run_in_threadpool(countries)
        await run_in_threadpool(database.build_index)
        yield

    app = FastAPI(title="furat", version=__version__, lifespan=lifespan, description=(
        "Conflict events read from French, Arabic and English news: filtered lists, GeoJSON, each "
        "event's sources with their evidence sentences, the documents with character offsets, and "
        "a POST that codes a new article. Errors are `{\"error\": message}`."))
    app.state.db = database
    app.state.max_body = max_body
    app.include_router(router)
    app.include_router(ingest_router)
    app.add_middleware(FastEvents, database=app.state.db)  # the inner one
    app.add_middleware(ResponseCache, database=app.state.db)
    app.add_middleware(Limits, max_body=max_body, timeout=timeout)  # the outer one
    _errors(app)
    _page(app)
    return app


class Limits:
    """ASGI middleware: refuses bodies without a length or over `max_body` bytes, answers 504 when a
    request takes longer than `timeout` seconds, and adds the security headers to every answer. Plain
    ASGI (not Starlette's BaseHTTPMiddleware, which costs a task and a stream per request)."""

    def __init__(self, app: Any, max_body: int, timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.timeout = timeout

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method in ("POST", "PUT", "PATCH"):
            length = dict(scope["headers"]).get(b"content-length")
            if length is None:
                await error(411, "give the body's length (Content-Length); chunked bodies are refused")(
                    scope, receive, send)
                return
            if not length.isdigit() or int(length) > self.max_body:
                await error(413, f"body too large: at most {self.max_body} bytes")(scope, receive, send)
                return
        started = False

        async def secure(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS_RAW if k not in present)]
            await send(message)

        wait = POST_TIMEOUT_S if method == "POST" else self.timeout
        try:
            await asyncio.wait_for(self.app(scope, receive, secure), wait)
        except TimeoutError:
            if started:  # too late for a clean answer: the client sees the connection end
                raise
            await error(504, f"the request took longer than {wait:g} s")(scope, receive, secure)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'query')}: {e.get('msg')}"
                    for e in exc.errors()]
        return error(422, "; ".join(problems) or "invalid request", problems=problems)

    @app.exception_handler(FilterError)
    async def bad_filter(_: Request, exc: FilterError) -> JSONResponse:
        return error(422, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        return error(503, f"database unavailable: {Path(str(exc).split(':')[0]).name}: "
                          f"{str(exc).split(':', 1)[-1].strip()}")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("furat serve: unexpected error")
        return error(500, f"internal error ({type(exc).__name__})")


def _page(app: FastAPI) -> None:
    static = static_dir()
    if not (static / "index.html").exists():
        return
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html")
