"""furat's HTTP API (FastAPI) and the offline web page it serves: `furat serve --db FILE`."""

from furat.api.app import create_app

__all__ = ["create_app"]
