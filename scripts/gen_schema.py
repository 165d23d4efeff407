"""Generate the JSON Schema (furat/data/document.schema.json) and docs/schema.md from
furat/model.py. Run after changing the model: `python scripts/gen_schema.py`.
A test fails when the committed files are out of date."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from furat.model import SCHEMA_VERSION, Document  # noqa: E402

SCHEMA_PATH = ROOT / "furat" / "data" / "document.schema.json"
DOC_PATH = ROOT / "docs" / "schema.md"


def schema_json() -> str:
    return json.dumps(Document.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def _type(prop: dict) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " | ".join(_type(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " | ".join(json.dumps(v) for v in prop["enum"])
    if "const" in prop:
        return json.dumps(prop["const"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list[{_type(prop.get('items', {}))}]"
    if kind == "object" and "additionalProperties" in prop:
        return f"dict[str, {_type(prop['additionalProperties'])}]"
    return str(kind)


def _table(name: str, schema: dict) -> list[str]:
    lines = [f"## {name}", ""]
    if schema.get("description"):
        lines += [" ".join(schema["description"].split()), ""]
    lines += ["| field | type | required | description |", "|---|---|---|---|"]
    required = set(schema.get("required", []))
    for field, prop in schema.get("properties", {}).items():
        desc = " ".join(prop.get("description", "").split()).replace("|", "\\|")
        typ = _type(prop).replace("|", "\\|")
        lines.append(f"| `{field}` | {typ} | {'yes' if field in required else ''} | {desc} |")
    return [*lines, ""]


def schema_markdown() -> str:
    schema = Document.model_json_schema()
    out = [
        "# furat document schema",
        "",
        f"Schema version {SCHEMA_VERSION}. Generated from `furat/model.py` by "
        "`scripts/gen_schema.py`: do not edit by hand. The JSON Schema is "
        "`furat/data/document.schema.json` (also printed by `furat schema`).",
        "",
        "Spans are `start`/`end` character offsets into `Document.text` (end exclusive).",
        "",
    ]
    out += _table("Document", schema)
    for name, sub in schema.get("$defs", {}).items():
        out += _table(name, sub)
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    SCHEMA_PATH.write_text(schema_json(), encoding="utf-8")
    DOC_PATH.parent.mkdir(exist_ok=True)
    DOC_PATH.write_text(schema_markdown(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH.relative_to(ROOT)} and {DOC_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
