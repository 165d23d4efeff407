"""docs/schema.md and the JSON Schema are generated from furat/model.py and kept current."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_schema_files_are_up_to_date():
    gen = load_generator()
    assert gen.SCHEMA_PATH.read_text(encoding="utf-8") == gen.schema_json(), \
        "run python scripts/gen_schema.py"
    assert gen.DOC_PATH.read_text(encoding="utf-8") == gen.schema_markdown(), \
        "run python scripts/gen_schema.py"


def test_schema_lists_every_stage_field():
    schema_md = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for field in ("published_precision", "languages", "paragraphs", "entities", "places", "actors",
                  "times", "events", "claims"):
        assert f"`{field}`" in schema_md
