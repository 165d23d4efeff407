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


def test_cross_validation_with_project_snippets(tmp_path: Path) -> None:
    """`--extra` files (annotations/acled) join every training fold and are never scored."""
    import csv
    from collections import defaultdict

    by_type: dict[str, list[str]] = defaultdict(list)
    lines = CASE.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) == 3 and parts[2] in ("AIR_STRIKE", "PEACE_PROTEST", "ARREST"):
            by_type[parts[2]].append(line)
    small = tmp_path / "snippets.tsv"
    small.write_text("\n".join([lines[0]] + [x for rows in by_type.values() for x in rows[:6]]) + "\n",
                     encoding="utf-8")
    own = Path(__file__).resolve().parents[1] / "annotations" / "acled" / "helper_d.tsv"
    with open(own, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r["SubType"] == "AIR_STRIKE"][:4]
    extra = tmp_path / "extra.tsv"
    extra.write_text("id\tEventSnippet\tSubType\tsource\n" + "".join(
        f"{r['id']}\t{r['EventSnippet']}\t{r['SubType']}\t{r['source']}\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "acled", str(small), "--extra", str(extra)])
    assert result.exit_code == 0, result.output
    assert '"extra_snippets": 4' in result.output and '"snippets": 18' in result.output
    assert "+ 4 project snippets" in result.output
