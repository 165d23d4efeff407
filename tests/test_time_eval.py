"""`furat.eval.timex` on the shared TimeML data (skipped where the data is absent)."""

from __future__ import annotations

import pathlib

import pytest

from furat.eval.timex import evaluate, read_timeml

DATA = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data" / "time"
FR = DATA / "fr_timebank" / "Data"
AR = DATA / "arabic_timex_silver" / "Corpus_test"


@pytest.mark.skipif(not FR.is_dir(), reason="French TimeBank not available")
def test_read_timeml_offsets() -> None:
    doc = read_timeml(sorted(FR.glob("*.tml"))[0])
    assert doc.dct and doc.timexes
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


@pytest.mark.skipif(not AR.is_dir(), reason="Arabic silver corpus not available")
def test_arabic_silver_value_accuracy() -> None:
    summary = evaluate("ar-silver", [AR]).summary
    assert summary["value_accuracy"] >= 0.75
    assert {"strict_f1", "relaxed_f1", "value_f1", "type_accuracy"} <= set(summary)
