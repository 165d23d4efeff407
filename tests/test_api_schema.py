"""schemathesis against furat's own OpenAPI spec: generated requests to every read route of the app
(over the seeds) get no 500 and responses that match the spec. Bounded examples, so it stays a
test; POST /documents is left out (it runs the whole pipeline; tests/test_api.py covers it)."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

from furat.api import create_app  # noqa: E402
from tests.conftest import SEEDS, run_cli  # noqa: E402


def _seeds_db() -> Path:
    """One database of the seeds for the module (schemathesis builds its tests at import time)."""
    import tempfile

    db = Path(tempfile.mkdtemp(prefix="furat-schema-")) / "seeds.duckdb"
    if SEEDS.is_dir():
        result = run_cli("ingest", str(SEEDS), "--db", str(db))
        assert result.returncode == 0, result.stderr.decode()
    return db


@pytest.fixture(scope="module")
def api_schema():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not here")
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(_seeds_db()))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").parametrize()
@hypothesis.settings(max_examples=15, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_no_server_error_and_responses_match_the_spec(case):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
