"""`furat eval acled --model shipped`: the shipped classifier scored as it is, without retraining."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from furat.cli import app

CASE = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "case2021_acled_types" / "snippets.tsv"


def test_shipped_model_scores_a_snippets_file(tmp_path: Path) -> None:
    lines = CASE.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "snippets.tsv"
    small.write_text("\n".join(lines[:13]) + "\n", encoding="utf-8")  # header + 12 real snippets
    result = CliRunner().invoke(app, ["eval", "acled", "--model", "shipped", str(small)])
    assert result.exit_code == 0, result.output
    assert '"model": "shipped"' in result.output and '"weighted_f1"' in result.output
    bad = CliRunner().invoke(app, ["eval", "acled", "--model", "retrained", str(small)])
    assert bad.exit_code == 2
