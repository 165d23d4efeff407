"""The FastAPI app: routes, limits, JSON errors and the static page.

Safety by construction: every query is SQL with parameters (furat/store), the page's files are
served by Starlette's StaticFiles (which refuses paths outside its folder), no CORS middleware (a
page of another origin cannot read the API), request bodies are capped before they are read, slow
requests answer 504, and any error reaches the client as `{"error": message}`, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
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


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def static_dir() -> Path:
    return Path(str(files("furat.web") / "static"))


def create_app(db_path: str | Path, *, max_body: int = MAX_BODY_BYTES,
               timeout: float = REQUEST_TIMEOUT_S) -> FastAPI:
    """An app over the database at `db_path` (opened per request, so it may not exist yet)."""
    from furat.api.ingest import router as ingest_router
    from furat.api.routes import router

    app = FastAPI(title="furat", version=__version__, description=(
        "Conflict events read from French, Arabic and English news: filtered lists, GeoJSON, each "
        "event's sources with their evidence sentences, the documents with character offsets, and "
        "a POST that codes a new article. Errors are `{\"error\": message}`."))
    app.state.db = Database(db_path)
    app.state.cache = ResponseCache(str(db_path))
    app.state.db.on_write = app.state.cache.invalidate
    app.state.max_body = max_body
    app.include_router(router)
    app.include_router(ingest_router)
    app.middleware("http")(app.state.cache)
    _limits(app, max_body, timeout)
    _errors(app)
    _page(app)
    return app


def _limits(app: FastAPI, max_body: int, timeout: float) -> None:
    @app.middleware("http")
    async def limit(request: Request, call_next: Any) -> Any:
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is None:
                return error(411, "give the body's length (Content-Length); chunked bodies are refused")
            if not length.isdigit() or int(length) > max_body:
                return error(413, f"body too large: at most {max_body} bytes")
        wait = POST_TIMEOUT_S if request.method == "POST" else timeout
        try:
            response = await asyncio.wait_for(call_next(request), wait)
        except TimeoutError:
            return error(504, f"the request took longer than {wait:g} s")
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response


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
