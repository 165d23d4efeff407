"""The geoparsing metrics: EUPEG matching, and the published figures reproduced from shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from furat.eval.geoparse import Toponym, auc, evaluate_system, match, read_corpus, score

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing"


def test_eupeg_matching_rule() -> None:
    gold = [Toponym("Pandi", 170, 175, 14.87, 120.95), Toponym("Bulacan", 177, 184, 15.0, 121.08)]
    pred = [Toponym("pandi", 169, 174, 14.87, 120.96),  # one char off, other case: a match
            Toponym("Bulacan", 200, 207, 15.0, 121.08),  # midpoints 23 chars apart: no match
            Toponym("Luzon", 177, 184, 15.0, 121.0)]  # same span, other surface: no match
    assert [(g.text, p.text) for g, p in match(gold, pred)] == [("Pandi", "pandi")]
    s = score([(gold, pred)], "t").summary
    assert (s["matched"], s["precision"], s["recall"]) == (1, pytest.approx(1 / 3, abs=1e-3), 0.5)
    assert s["acc161"] == 1.0 and s["acc161_of_gold"] == 0.5


def test_unresolved_match_counts_as_maximal_error() -> None:
    s = score([([Toponym("Hajin", 0, 5, 34.69, 40.83)], [Toponym("Hajin", 0, 5)])], "t").summary
    assert s["f1"] == 1.0 and s["acc161"] == 0.0 and s["mean_km"] == 20039.0
    assert auc([0.0, 0.0]) == 0.0 and auc([20039.0, 20039.0]) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/geoparsing not available")
def test_published_figures_reproduced() -> None:
    """StanfordNER on GeoVirus: F1 0.915, acc161_of_gold 0.592 as in the issue's table."""
    s = evaluate_system(DATA / "system_outputs/GeoVirus_StanfordNER.txt", DATA / "gold/GeoVirus_gold.txt").summary
    assert s["f1"] == pytest.approx(0.915, abs=1e-3)
    assert s["acc161_of_gold"] == pytest.approx(0.592, abs=1e-3)


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/geoparsing not available")
def test_corpus_readers_agree_with_gold_files() -> None:
    docs = read_corpus(DATA / "corpora/TR-News.xml")
    with_coords = [t for d in docs for t in d.toponyms if t.lat is not None]
    assert len(docs) == 118 and len(with_coords) == 1275
    # TR-News has 92 toponyms whose offsets are a few characters off (the midpoint rule absorbs
    # them); LGL and GeoVirus (after its one-based offsets are shifted) agree everywhere.
    agree = sum(d.text[t.start:t.end] == t.text for d in docs for t in d.toponyms)
    assert agree == 1319 - 92
    for name in ("lgl.xml", "GeoVirus.xml"):
        assert all(d.text[t.start:t.end] == t.text for d in read_corpus(DATA / "corpora" / name)
                   for t in d.toponyms)


def test_eupeg_generic_format_is_read(tmp_path: Path) -> None:
    """EUPEG's dataset format: entries/entry, toponym start/end/phrase, footprint "lon lat"."""
    xml = ("<entries><entry><text><![CDATA[Shelling hit Raqqa and Deir ez-Zor.]]></text><toponyms>"
           "<toponym><start>13</start><end>18</end><phrase>Raqqa</phrase><place><placename>Raqqa"
           "</placename><footprint>39.01 35.95</footprint></place></toponym>"
           "<toponym><start>23</start><end>34</end><phrase>Deir ez-Zor</phrase><place>"
           "<footprint>40.14 35.34</footprint></place></toponym></toponyms></entry></entries>")
    (tmp_path / "c.xml").write_text(xml, encoding="utf-8")
    docs = read_corpus(tmp_path / "c.xml")
    assert [(t.text, t.lat, t.lon) for t in docs[0].toponyms] == [("Raqqa", 35.95, 39.01),
                                                                 ("Deir ez-Zor", 35.34, 40.14)]
    assert all(docs[0].text[t.start:t.end] == t.text for t in docs[0].toponyms)
