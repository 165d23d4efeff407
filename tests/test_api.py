"""The HTTP API (furat/api) over a database of the seeds, through FastAPI's test client: every filter
of `furat events`, paging, errors as JSON (never a traceback), limits, search with SQL-like input."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from furat.api import create_app
from furat.store.db import Store
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def seeds_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("api") / "seeds.duckdb"
    result = run_cli("ingest", str(seeds_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    return db


@pytest.fixture(scope="module")
def client(seeds_db: Path) -> TestClient:
    return TestClient(create_app(seeds_db), raise_server_exceptions=False)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["events"]]


def test_stats_and_events_match_the_store(client: TestClient, seeds_db: Path):
    stats = client.get("/stats").json()
    with Store(seeds_db, read_only=True) as store:
        assert stats["events"] == store.stats()["events"] > 10
        expected = [r["event_id"] for r in store.events(certainty=["asserted", "reported"])]
    assert stats["database"] == "seeds.duckdb"  # no server path
    assert ids(client.get("/events", params={"limit": 1000})) == expected


def test_type_filter_any_case(client: TestClient):
    assault = client.get("/events", params={"type": "assault"}).json()["events"]
    assert assault and {e["type"] for e in assault} == {"ASSAULT"}
    assert ids(client.get("/events", params={"type": "ASSAULT"})) == [e["event_id"] for e in assault]


def test_country_in_any_language_and_iso(client: TestClient):
    syr = ids(client.get("/events", params={"country": "SYR"}))
    assert syr
    assert ids(client.get("/events", params={"country": "Syrie"})) == syr
    assert ids(client.get("/events", params={"country": "سوريا"})) == syr


def test_actor_alias_resolves(client: TestClient):
    events = client.get("/events", params={"actor": "FDS"}).json()["events"]
    assert events
    assert all("Syrian Democratic Forces" in (e["actor1"], e["actor2"]) or "FDS" in (e["actor1"] or "") + (e["actor2"] or "")
               for e in events)


def test_date_range_overlaps(client: TestClient):
    events = client.get("/events", params={"since": "2017-09-01", "until": "2017-09-30"}).json()["events"]
    assert events
    assert all(e["date_end"] >= "2017-09-01" and e["date_start"] <= "2017-09-30" for e in events)
    assert ids(client.get("/events", params={"since": "2017-09", "until": "2017-09"})) == [e["event_id"] for e in events]


def test_near_point_and_place(client: TestClient):
    near = client.get("/events", params={"near": "35.33,40.14", "km": 60}).json()["events"]
    assert near and all(abs(e["latitude"] - 35.33) < 1 for e in near)
    assert client.get("/events", params={"near": "Deir ez-Zor", "km": 60}).status_code == 200


def test_certainty_language_source_sources_disputed(client: TestClient):
    every = client.get("/events", params={"all": True, "limit": 1000}).json()["events"]
    default = client.get("/events", params={"limit": 1000}).json()["events"]
    assert len(every) >= len(default)
    hedged = client.get("/events", params={"certainty": "hedged,negated"}).json()["events"]
    assert all(e["certainty"] in ("hedged", "negated") for e in hedged)
    arabic = client.get("/events", params={"language": "ar"}).json()["events"]
    assert arabic and all("ar" in e["languages"] for e in arabic)
    linked = client.get("/events", params={"min_sources": 2}).json()["events"]
    assert all(e["n_sources"] >= 2 for e in linked)
    assert all(e["disputed"] for e in client.get("/events", params={"disputed": True}).json()["events"])
    outlet = default[0]["outlets"][0] if default[0]["outlets"] else None
    if outlet:
        assert default[0]["event_id"] in ids(client.get("/events", params={"source": outlet}))


def test_paging(client: TestClient):
    first = client.get("/events", params={"limit": 5}).json()
    second = client.get("/events", params={"limit": 5, "offset": 5}).json()
    both = ids(client.get("/events", params={"limit": 10}))
    assert first["next_offset"] == 5 and first["count"] == 5
    assert [e["event_id"] for e in first["events"] + second["events"]] == both
    last = client.get("/events", params={"limit": 5, "offset": 10_000}).json()
    assert last["events"] == [] and last["next_offset"] is None


def test_one_event_with_its_evidence_spans(client: TestClient):
    event_id = ids(client.get("/events", params={"type": "ASSAULT", "limit": 1}))[0]
    data = client.get(f"/events/{event_id}").json()
    assert data["event"]["event_id"] == event_id and data["mentions"]
    for m in data["mentions"]:
        doc = client.get(f"/documents/{m['doc_id']}").json()
        span = m["evidence_span"]
        assert doc["text"][span["start"]:span["end"]] == span["text"] == m["evidence"]
    # a mention id finds its event too
    assert client.get(f"/events/{data['mentions'][0]['mention_id']}").json()["event"]["event_id"] == event_id


def test_geojson(client: TestClient):
    response = client.get("/events.geojson", params={"type": "ASSAULT"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["event_id"] for f in data["features"]] == ids(
        client.get("/events", params={"type": "ASSAULT"}))


def test_documents_with_offsets(client: TestClient):
    listed = client.get("/documents").json()["documents"]
    assert len(listed) == client.get("/stats").json()["documents"]
    assert "text" not in listed[0]
    doc = client.get(f"/documents/{listed[0]['id']}").json()
    for e in doc["events"]:
        if e["evidence"]:
            assert doc["text"][e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
    assert client.get("/documents", params={"language": "ar"}).json()["documents"]


def test_actors_places_claims(client: TestClient):
    actors = client.get("/actors", params={"limit": 5}).json()["actors"]
    assert len(actors) == 5 and actors[0]["mentions"] >= actors[-1]["mentions"]
    assert client.get("/places").json()["places"]
    assert client.get("/claims", params={"limit": 3}).status_code == 200


@pytest.mark.parametrize("q", ["'; DROP TABLE events; --", "%", "_", "\\", "\" OR 1=1 --", "ضد"])
def test_search_takes_sql_like_input_as_text(client: TestClient, q: str):
    before = client.get("/stats").json()["events"]
    response = client.get("/search", params={"q": q})
    assert response.status_code == 200, response.text
    for hit in response.json()["documents"]:
        text = client.get(f"/documents/{hit['id']}").json()
        assert q.lower() in ((text["title"] or "") + text["text"]).lower()
    assert client.get("/stats").json()["events"] == before


def test_search_finds_a_word(client: TestClient):
    hits = client.get("/search", params={"q": "Deir"}).json()["documents"]
    assert hits and all(h["offset"] is None or h["offset"] >= 0 for h in hits)


@pytest.mark.parametrize("url", [
    "/events?type=zzz", "/events?limit=0", "/events?limit=abc", "/events?limit=100000", "/events?offset=-1",
    "/events?km=-1", "/events?since=yesterday", "/events?until=2021-13", "/events?near=100,200",
    "/events?near=Nowhereville%20Zzz", "/events?country=Atlantis", "/events?certainty=maybe",
    "/events?language=xx", "/events?min_sources=0", "/events?disputed=perhaps", "/events.geojson?type=zzz",
    "/search", "/search?q=", "/search?q=%20", "/documents?limit=0", "/actors?min_confidence=2",
])
def test_bad_parameters_answer_422_json(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] and "Traceback" not in response.text


@pytest.mark.parametrize("url", ["/events/ev-nope", "/documents/nope", "/nope", "/static/nope.js",
                                 "/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                 "/static/..%2f..%2fpyproject.toml"])
def test_not_found_is_json_and_no_path_traversal(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 404
    assert "[project]" not in response.text


def test_unexpected_errors_are_json_without_traceback(seeds_db: Path, monkeypatch: pytest.MonkeyPatch):
    def boom(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "stats", boom)
    response = TestClient(create_app(seeds_db), raise_server_exceptions=False).get("/stats")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error (RuntimeError)"}


def test_missing_database_is_503_json(tmp_path: Path):
    response = TestClient(create_app(tmp_path / "none.duckdb")).get("/events")
    assert response.status_code == 503 and "no such database" in response.json()["error"]


def test_no_cors_and_safe_headers(client: TestClient):
    response = client.get("/events", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.options("/events", headers={"Origin": "http://evil.example",
                                               "Access-Control-Request-Method": "GET"}).status_code == 405


def test_page_is_served_offline(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and "leaflet.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    for asset in ("/static/app.js", "/static/vendor/leaflet/leaflet.js", "/static/basemap/countries.geojson"):
        assert client.get(asset).status_code == 200
    assert "https://" not in client.get("/static/app.js").text


def test_post_refuses_large_bodies_and_bad_input(client: TestClient):
    big = json.dumps({"text": "x" * 1_100_000})
    response = client.post("/documents", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "at most" in response.json()["error"]
    assert client.post("/documents", json={"text": ""}).status_code == 422
    assert client.post("/documents", json={"text": "x", "format": "pdf"}).status_code == 422
    assert client.post("/documents", content=b"{not json", headers={"Content-Type": "application/json"}
                       ).status_code == 422


ARTICLE = ("Des affrontements ont éclaté lundi 18 septembre 2017 à Deir ez-Zor entre les Forces démocratiques "
           "syriennes et l'organisation État islamique, faisant au moins douze morts parmi les combattants, "
           "selon l'Observatoire syrien des droits de l'homme. Les FDS ont pris le contrôle de plusieurs "
           "quartiers de la ville après des combats qui ont duré toute la nuit, a indiqué un porte-parole.")


def test_post_codes_and_stores_an_article(seeds_db: Path, tmp_path: Path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    client = TestClient(create_app(db), raise_server_exceptions=False)
    before = client.get("/stats").json()["documents"]
    response = client.post("/documents", json={"text": ARTICLE})
    assert response.status_code == 201, response.text
    doc = response.json()["documents"][0]
    assert doc["language"] == "fr" and doc["events"]
    assert any(e["type"] == "ASSAULT" for e in doc["events"])
    assert all(e["event_id"] for e in doc["events"])
    assert client.get("/stats").json()["documents"] == before + 1
    stored = client.get(f"/events/{doc['events'][0]['event_id']}").json()
    assert any(m["doc_id"] == doc["id"] for m in stored["mentions"])


def test_committed_openapi_is_the_generated_one():
    spec = importlib.util.spec_from_file_location("write_openapi", ROOT / "scripts" / "write_openapi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == module.spec_text(), "docs/openapi.json is stale: run python scripts/write_openapi.py"


def test_cached_answers_follow_the_database(seeds_db: Path, tmp_path: Path):
    """A write by another process (an ingest alongside) is seen by the next request."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    client = TestClient(create_app(db))
    first = client.get("/events", params={"limit": 1000}).json()
    assert client.get("/events", params={"limit": 1000}).json() == first  # from the cache
    victim = first["events"][0]["event_id"]
    # an ingest in another process: the server lets go of the file when it sees the ingest lock
    script = ("import sys\nfrom furat.store.db import Store\nwith Store(sys.argv[1], ingest=True) as s, "
              "s.reading() as r:\n    r.conn.execute('DELETE FROM events WHERE event_id = ?', [sys.argv[2]])")
    subprocess.run([sys.executable, "-c", script, str(db), victim], check=True, timeout=60)
    after = client.get("/events", params={"limit": 1000}).json()
    assert after["count"] == first["count"] - 1
    assert victim not in [e["event_id"] for e in after["events"]]


def test_serve_refuses_a_missing_database(tmp_path: Path):
    result = run_cli("serve", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1
    assert "no such database" in result.stderr.decode()


def test_events_index_answers_as_the_store(tmp_path: Path):
    """The in-memory index (furat/api/index.py) finds the same events, in the same order, as
    Store.events' SQL, for every filter it answers; the API's bytes are the ones of the SQL path."""
    import random

    from furat.api.index import EventIndex, indexed

    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "bench" / "bench_api.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_api"] = bench  # its dataclass looks its module up
    spec.loader.exec_module(bench)
    db = tmp_path / "gen.duckdb"
    bench.generate(db, 1500)
    import duckdb

    with duckdb.connect(str(db)) as conn:  # NULLs, where SQL matches nothing
        conn.execute("UPDATE events SET date_start = NULL, date_end = NULL WHERE event_id < 'ev-00000050'")
        conn.execute("UPDATE events SET latitude = NULL, n_sources = NULL, disputed = NULL, certainty = NULL, "
                     "place_country = NULL WHERE event_id >= 'ev-00001400'")
        conn.execute("UPDATE events SET disputed = true, n_sources = 3 WHERE event_id LIKE '%7'")
    rng = random.Random(3)
    with Store(db, read_only=True) as store:
        index = EventIndex(store)
        for _ in range(300):
            query = {"type": rng.choice([None, "ASSAULT", "PROTEST", "assault", "NOPE"]),
                     "country": rng.choice([None, "SYR", "IRQ", "RUS", "FRA"]),
                     "since": rng.choice([None, "2020-01-01", "2021-06-15"]),
                     "until": rng.choice([None, "2020-12-31", "2023-02-28"]),
                     "near": rng.choice([None, (35.336, 40.14), (36.34, 43.13)]), "km": rng.choice([10.0, 50.0]),
                     "certainty": rng.choice([None, ["asserted"], ["asserted", "reported"], ["hedged"]]),
                     "disputed": rng.choice([None, True]), "min_sources": rng.choice([None, 2])}
            assert indexed(query)
            expected = [r["event_id"] for r in store.events(**query)]
            assert [index.ids[i] for i in index.select(query)] == expected, query
    client = TestClient(create_app(db))
    for url in ("/events?type=ASSAULT&country=SYR&since=2020&limit=50&offset=10",
                "/events.geojson?since=2021-03&until=2021-05&properties=map",
                "/events.geojson?country=IRQ&until=2020-02"):
        indexed_answer = client.get(url).json()
        client.app.state.db._index = (client.app.state.db.generation(), None)  # no index: the SQL path
        assert client.get(url + "&sql=1").json() == indexed_answer
        client.app.state.db._index = None


FAST_URLS = [
    "/events?type=ASSAULT&country=SYR&since=2020&until=2020&limit=50&offset=10",
    "/events?type=assault&country=Syrie&since=2021-03&until=2021-05",
    "/events?near=35.336,40.14&km=25.5&certainty=asserted&limit=20&offset=100",
    "/events?min_sources=2&disputed=true&all=true", "/events?all=false&disputed=false",
    "/events?limit=007&offset=0", "/events?country=%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82",
    "/events.geojson?type=PROTEST&since=2019&certainty=asserted,reported&limit=50000&properties=map",
    "/events.geojson?country=IRQ&until=2020-02&properties=all", "/events.geojson?limit=3&offset=5",
    # not the shortcut's: FastAPI answers (errors included)
    "/events?type=zzz", "/events?limit=0", "/events?limit=50001", "/events?km=0", "/events?km=1e3&near=35,40",
    "/events?since=yesterday", "/events?type=", "/events?type=ASSAULT&type=PROTEST", "/events?bust=1",
    "/events?near=Deir%20ez-Zor", "/events?near=100,200", "/events?actor=SDF", "/events?language=ar",
    "/events?disputed=yes", "/events?disputed=1", "/events?min_sources=0", "/events?offset=-1",
    "/events.geojson?properties=some", "/events?properties=map", "/events?certainty=maybe",
    "/events?type=" + "A" * 41,
]


def test_the_shortcut_answers_as_fastapi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """furat/api/fast.py: the same status, type and bytes as the routes, for the requests it takes and
    for those it leaves to FastAPI."""
    from furat.api.fast import FastEvents

    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "bench" / "bench_api.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_api"] = bench
    spec.loader.exec_module(bench)
    db = tmp_path / "gen.duckdb"
    bench.generate(db, 1500)
    fast, routes = TestClient(create_app(db)), TestClient(create_app(db))
    for client in (fast, routes):
        client.app.state.db.index()
    taken = 0
    for url in FAST_URLS:
        monkeypatch.setattr(FastEvents, "enabled", True)
        path, _, query = url.partition("?")
        shortcut = FastEvents(None, fast.app.state.db).answer(path, query) is not None
        taken += shortcut
        mine = fast.get(url)
        monkeypatch.setattr(FastEvents, "enabled", False)
        theirs = routes.get(url)
        assert (mine.status_code, mine.headers["content-type"]) == (theirs.status_code,
                                                                    theirs.headers["content-type"]), url
        assert mine.content == theirs.content, url
        assert shortcut == (url in FAST_URLS[:10]), url
    assert taken == 10


def test_gzip_for_clients_that_take_it(client: TestClient):
    """Answers of 1 KB or more go gzip-encoded to a client that accepts it (decoded: the same JSON),
    as they are to one that does not; the cache keeps both forms."""
    url = "/events?limit=1000&all=true"
    for _ in range(2):  # computed, then from the cache
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        packed = client.get(url, headers={"Accept-Encoding": "gzip;q=0.8, deflate"})
        assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
        assert packed.headers["content-encoding"] == "gzip"
        assert int(packed.headers["content-length"]) < len(plain.content)
        assert packed.json() == plain.json()
    assert "content-encoding" not in client.get(url, headers={"Accept-Encoding": "gzip;q=0"}).headers
