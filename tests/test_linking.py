"""Linking reports of one occurrence across documents and languages: metrics, order independence,
the seeds' events, the store's linked-event queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from furat.eval.linking import b_cubed, ceaf_e, conll, muc
from furat.link.cluster import average_link
from furat.store.db import Store
from tests.conftest import SHARED, run_cli

KEY = [{"a", "b", "c"}, {"d", "e"}, {"f"}]
RESPONSE = [{"a", "b"}, {"c", "d", "e"}, {"f"}]


def test_metrics_match_scorch_and_a_hand_computed_example():
    # by hand, MUC: key {a,b,c} is split in 2 parts, {d,e} in 1 → R = (1 + 1) / (2 + 1); response
    # {a,b} whole, {c,d,e} split in 2 → P = (1 + 1) / (1 + 2)
    p, r, _ = muc(KEY, RESPONSE)
    assert r == pytest.approx(2 / 3) and p == pytest.approx(2 / 3)
    # B³ recall: a,b 2/3 each, c 1/3, d,e 1, f 1 → (2/3+2/3+1/3+1+1+1)/6
    assert b_cubed(KEY, RESPONSE)[1] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 3) / 6)
    scores = pytest.importorskip("scorch.scores")
    for ours, theirs in ((muc, scores.muc), (b_cubed, scores.b_cubed), (ceaf_e, scores.ceaf_e)):
        r, p, f = theirs(KEY, RESPONSE)
        assert ours(KEY, RESPONSE) == pytest.approx((p, r, f))
    assert conll(KEY, RESPONSE)["conll_f1"] == pytest.approx(scores.conll2012(KEY, RESPONSE))


def test_average_link_does_not_depend_on_the_order_of_its_input():
    rng = np.random.default_rng(0)
    ids = [f"m{i:02d}" for i in range(12)]
    s = rng.random((12, 12))
    s = (s + s.T) / 2
    first = average_link(ids, s, 0.6)
    order = rng.permutation(12)
    again = average_link([ids[i] for i in order], s[np.ix_(order, order)], 0.6)
    assert first == again


def _events(db: Path) -> set[tuple[str, ...]]:
    with Store(db, read_only=True) as store:
        rows = store.conn.execute("SELECT event_id, mentions FROM events").fetchall()
    return {(e, m if isinstance(m, str) else json.dumps(m)) for e, m in rows}


@pytest.fixture(scope="module")
def seeds_linked(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("link") / "seeds.duckdb"
    assert run_cli("ingest", str(seeds_dir), "--db", str(db)).returncode == 0
    return db


def test_seeds_in_any_order_and_twice_give_the_same_events(seeds_dir: Path, seeds_linked: Path, tmp_path: Path):
    files = sorted(seeds_dir.iterdir())
    db = tmp_path / "reversed.duckdb"
    for f in reversed(files):  # one file per run: several runs, the other order
        assert run_cli("ingest", str(f), "--db", str(db)).returncode == 0
    assert run_cli("ingest", str(seeds_dir), "--db", str(db)).returncode == 0  # and once more
    assert _events(db) == _events(seeds_linked)


def test_the_stored_mentions_relinked_in_other_orders_give_the_same_events(seeds_linked: Path, tmp_path: Path):
    # the linker alone, on one extraction (the test above also re-extracts, run by run)
    import duckdb

    from furat.link.linker import link
    from furat.store.events import EVENT_COLUMNS, insert_mentions

    with Store(seeds_linked, read_only=True) as store:
        rows = store.conn.execute(f"SELECT {', '.join(['mention_id', *EVENT_COLUMNS[1:]])}, embedding "
                                  "FROM mentions ORDER BY mention_id").fetchall()
    by_doc: dict[str, list] = {}
    for r in rows:
        by_doc.setdefault(r[1], []).append(r)
    docs = sorted(by_doc)
    found = []
    for k, batches in enumerate(([docs], [[d] for d in reversed(docs)], [docs[1::2], docs[::2]])):
        db = tmp_path / f"relinked{k}.duckdb"
        Store(db).close()
        for batch in batches:
            part = [r for d in batch for r in by_doc[d]]
            with duckdb.connect(str(db)) as conn:
                conn.execute("BEGIN TRANSACTION")
                link(conn, insert_mentions(conn, [list(r[:-1]) for r in part], np.array([r[-1] for r in part])))
                conn.execute("COMMIT")
        found.append(_events(db))
    assert found[0] == found[1] == found[2] == _events(seeds_linked)


@pytest.mark.xfail(reason="the Arabic report the gold names is the lede 'تحمل تسليماً أميركياً بتقدم الجيش شرق "
                   "الفرات' inside a sentence on Russian-American understandings: USE cosine 0.17 with the "
                   "English crossing (e5 centred 0.05), under the 0.25 blocking floor and the shipped rule's "
                   "0.55; its resolved fields (same point, actor, type, compatible day) are shared by reports "
                   "the gold keeps apart. See docs/QUALITY.md, Linking", strict=False)
def test_the_euphrates_crossing_in_arabic_and_english_is_one_event(seeds_linked: Path):
    with Store(seeds_linked, read_only=True) as store:
        found = store.event("7d302afaf2e2fe9f-4")  # "On Monday, Syrian government troops crossed the Euphrates"
    assert found is not None
    event, sources = found
    assert event["n_sources"] == 2 and {s["language"] for s in sources} == {"ar", "en"}


def test_a_report_dated_by_its_publication_alone_may_tell_of_the_days_before():
    from datetime import date

    from furat.link.consensus import event_row
    from furat.link.features import REPORT_LAG_DAYS, blocks, date_gap

    def report(mid: str, day: str, precision: str | None, published: str, lang: str) -> dict:
        start = date.fromisoformat(day) if len(day) == 10 else None
        return {"mention_id": mid, "doc_id": mid.split("-")[0], "type": "ASSAULT", "date": day,
                "date_precision": precision, "date_start": start, "date_end": start, "published": published,
                "latitude": 35.3, "longitude": 40.1, "language": lang, "outlet": mid, "certainty": "asserted"}

    stated = report("en-0", "2017-09-18", "day", "2017-09-21", "en")  # "on Monday"
    late = report("ar-0", "2017-09-21", None, "2017-09-21", "ar")  # no date: the publication day
    assert date_gap(stated, late) == 0.0 and blocks(stated, late)
    told_later = report("fr-0", "2017-09-21", "day", "2017-09-21", "fr")  # "today": a stated day
    assert date_gap(stated, told_later) == 3.0
    assert REPORT_LAG_DAYS == 3 and date_gap(report("en-1", "2017-09-14", "day", "2017-09-14", "en"), late) == 4.0
    assert not blocks(report("en-2", "2017-09-10", "day", "2017-09-10", "en"), late)
    # the consensus keeps the stated date and does not call the event disputed over the other
    row = event_row([late, stated])
    assert row["date"] == "2017-09-18" and not row["disputed"]


def test_linked_events_are_queried_and_shown(seeds_linked: Path):
    linked = json.loads(run_cli("events", "--db", str(seeds_linked), "--min-sources", "2", "--all",
                                "--format", "json").stdout)
    assert linked and all(e["n_sources"] >= 2 for e in linked)
    shown = run_cli("event", linked[0]["event_id"], "--db", str(seeds_linked))
    assert shown.returncode == 0 and linked[0]["event_id"] in shown.stdout.decode()
    arabic = json.loads(run_cli("events", "--db", str(seeds_linked), "--language", "ar", "--all",
                                "--format", "json").stdout)
    assert arabic and all("ar" in json.loads(e["languages"]) for e in arabic)
    for bad in (["--min-sources", "0"], ["--language", "de"], ["--certainty", "sure"]):
        result = run_cli("events", "--db", str(seeds_linked), *bad)
        assert result.returncode == 2 and len(result.stderr.decode().strip().splitlines()) == 1
    assert run_cli("event", "ev-nothing", "--db", str(seeds_linked)).returncode == 1


def test_a_version_4_database_is_upgraded_in_place(seeds_linked: Path, tmp_path: Path):
    import duckdb

    db = tmp_path / "v4.duckdb"
    shutil.copy(seeds_linked, db)
    with duckdb.connect(str(db)) as conn:  # as version 4 left it: events rows, no linked events
        conn.execute("DROP TABLE events")
        conn.execute("DROP INDEX mentions_component")
        conn.execute("DROP INDEX mentions_event")
        for column in ("grp", "day_from", "day_to", "embedding", "component", "event_id"):
            conn.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
        conn.execute("ALTER TABLE mentions RENAME COLUMN mention_id TO event_id")
        conn.execute("ALTER TABLE mentions RENAME TO events")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'db_version'")
    with Store(db) as store:
        assert store.version() >= 5
    assert _events(db) == _events(seeds_linked)


def test_reports_that_disagree_keep_their_versions_and_flag_the_event():
    from datetime import date

    from furat.link.consensus import event_row

    def report(mid: str, outlet: str, dead: int | None, actor: str, country: str) -> dict:
        day = date(2021, 1, 24)
        return {"mention_id": mid, "doc_id": mid.split("-")[0], "type": "ASSAULT", "actor1": actor,
                "actor1_country": country, "fatalities": dead, "date": "2021-01-24", "date_start": day,
                "date_end": day, "place": "Al-Malha", "latitude": 34.6, "longitude": 38.7, "language": "fr",
                "outlet": outlet, "published": "2021-01-25", "certainty": "asserted"}

    agree = event_row([report("a-0", "sana.sy", 3, "Islamic State", ""),
                       report("b-0", "afp.com", 3, "Islamic State", "")])
    assert not agree["disputed"] and agree["n_sources"] == 2 and agree["fatalities"] == 3
    differ = event_row([report("a-0", "sana.sy", 3, "Islamic State", ""), report("b-0", "afp.com", 7,
                        "Islamic State", ""), report("c-0", "x.org", 3, "Islamic State", "")])
    versions = json.loads(differ["versions"])
    assert differ["disputed"] and differ["fatalities"] == 3  # the majority, the other kept with its source
    assert {v["value"]: v["sources"] for v in versions["fatalities"]} == {3: ["sana.sy", "x.org"], 7: ["afp.com"]}
    # the same side named two ways is two versions, not a dispute
    same_side = event_row([report("a-0", "sana.sy", None, "Syria", "SYR"),
                           report("b-0", "afp.com", None, "Syrian Arab Army", "SYR")])
    assert not same_side["disputed"] and len(json.loads(same_side["versions"])["actor1"]) == 2


def test_linked_events_export_one_row_each(seeds_linked: Path, tmp_path: Path):
    import duckdb

    out = tmp_path / "events.parquet"
    result = run_cli("export", "--db", str(seeds_linked), "--format", "events-parquet", "--out", str(out))
    assert result.returncode == 0
    with Store(seeds_linked, read_only=True) as store:
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        mentions = store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    with duckdb.connect() as conn:
        exported = conn.execute(f"SELECT count(*), sum(n_sources) FROM '{out}'").fetchone()
    assert exported[0] == events < mentions and exported[1] >= events
    assert run_cli("export", "--db", str(seeds_linked), "--format", "events-parquet").returncode == 2


def test_the_gold_finds_its_reports_again_when_mention_ids_shift():
    from furat.eval.linking import current_ids

    cluster = {"mentions": ["en-1", "fr-0"], "told": [
        {"id": "en-1", "type": "ASSAULT", "evidence": "Russia warned the United States of reprisals Thursday after"},
        {"id": "fr-0", "type": "ASSAULT", "evidence": "Des raids aériens sur Tripoli menés samedi soir"}]}
    rows = [  # the English page now has one more record before, and the threat shares the sentence
        {"mention_id": "en-0", "doc_id": "en", "type": "MOBILIZE", "evidence": "Troops moved in."},
        {"mention_id": "en-1", "doc_id": "en", "type": "THREATEN",
         "evidence": "Russia warned the United States of reprisals Thursday after artillery fire."},
        {"mention_id": "en-2", "doc_id": "en", "type": "ASSAULT",
         "evidence": "Russia  warned the United States of reprisals Thursday after artillery fire."},
        {"mention_id": "fr-3", "doc_id": "fr", "type": "ASSAULT", "evidence": "Autre chose."}]
    assert current_ids(cluster, rows) == ["en-2"]  # the French report is no record any more: missed


@pytest.mark.skipif(not (SHARED / "annotation" / "dev_pages" / "pages.jsonl").exists(), reason="no dev pages")
def test_the_store_links_the_hand_checked_clusters_at_least_as_well_as_the_cosine_rule(tmp_path: Path):
    """The dev pages and seeds ingested: the shipped linker against the rule it must beat, on the same
    blocked pairs (annotations/linking); a learned scorer that overfits its few coreferent pairs
    links wrong reports together and falls below linking nothing at all on B³."""
    from furat.eval.linking import evaluate_store

    db = tmp_path / "dev.duckdb"
    pages = SHARED / "annotation" / "dev_pages" / "pages.jsonl"
    assert run_cli("ingest", str(pages), str(SHARED / "seeds"), "--db", str(db)).returncode == 0
    result = evaluate_store(db, Path(__file__).resolve().parent.parent / "annotations/linking/clusters.jsonl")
    shipped, rule = result.rows[-1], next(r for r in result.rows if "cosine" in r["system"])
    assert "scorer" in shipped["system"]
    assert shipped["pair_f1"] >= rule["pair_f1"] > 0 and shipped["b3_f1"] >= rule["b3_f1"]
