"""schemathesis against furat's own OpenAPI spec: generated requests to every read route of the app
(over the seeds) get no 500 and responses that match the spec. Bounded examples, so it stays a
test; POST /documents is left out (it runs the whole pipeline; tests/test_api.py covers it)."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

from furat.api import create_app  # noqa: E402
from tests.conftest import SEEDS, run_cli  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):
    """The app's own spec, over a database of the seeds."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not here")
    db = tmp_path_factory.mktemp("schema") / "seeds.duckdb"
    result = run_cli("ingest", str(SEEDS), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").parametrize()
@hypothesis.settings(max_examples=15, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_no_server_error_and_responses_match_the_spec(case):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
