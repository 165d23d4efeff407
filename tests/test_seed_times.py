"""The time issue's acceptance cases on the seed pages themselves (skipped without ../shared)."""

from __future__ import annotations

from tests.conftest import by_seed


def values(docs, prefix, text):
    return {t["value"] for d in by_seed(docs, prefix) for t in d["times"] if text in t["text"]}


def test_seed_time_expressions(seed_docs):
    assert "2021-01-24" in values(seed_docs, "003", "24 janvier")
    assert "2017-09-18" in values(seed_docs, "001", "Monday")
    assert "2017-09-20" in values(seed_docs, "001", "September 20")
    assert "2017-09-20" in values(seed_docs, "001", "أمس")
    assert values(seed_docs, "004", "semaine dernière") == {"2017-W45"}  # the week before 2017-11-15
    assert "2021-10-21" in values(seed_docs, "000", "21 octobre")


def test_relative_times_keep_their_anchor_and_every_time_its_offsets(seed_docs):
    for doc in seed_docs:
        for t in doc["times"]:
            assert doc["text"][t["start"]:t["end"]] == t["text"]
        yesterday = [t for t in doc["times"] if t["text"] in ("أمس", "yesterday", "hier")]
        assert all(t["anchor"] == doc["published"] for t in yesterday)
