"""Write docs/openapi.json: the API's OpenAPI spec as FastAPI generates it from furat/api (never
written by hand). tests/test_api.py fails when the committed file differs from the generated one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from furat.api import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def spec_text() -> str:
    """The spec as committed: sorted keys, two-space indents, a final newline."""
    spec = create_app("furat.duckdb").openapi()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(spec_text(), encoding="utf-8")
    print(f"wrote {out}")
