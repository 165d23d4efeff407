"""The foundation's acceptance on the five seed pages, through the real CLI."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

from tests.conftest import by_seed, run_cli

CHROME = ["Search This Blog", "Related Articles", "Related Videos", "Aller à", "RSS Feed",
          "image: http", "Partager la publication", "Facebook0Twitter", "En savoir plus sur",
          "Click to see the full-size image", "Traduction :", "About Ginette"]


def test_one_document_per_single_article_seed(seed_docs):
    for prefix in ("000", "002", "003", "004"):
        assert len(by_seed(seed_docs, prefix)) == 1, prefix


def test_multi_article_page_is_split(seed_docs):
    docs = by_seed(seed_docs, "001")
    assert 5 <= len(docs) <= 9
    assert {d["language"] for d in docs} >= {"ar", "en"}
    assert [d["part"] for d in docs] == list(range(len(docs)))
    titles = [d["title"] for d in docs]
    assert all(titles) and len(set(titles)) == len(titles)
    # each article keeps its own date where the page gives one: the Voltaire piece is of the 20th
    assert {d["published"] for d in docs} == {"2017-09-20", "2017-09-21"}


def test_languages(seed_docs):
    for prefix in ("000", "002", "003", "004"):
        assert by_seed(seed_docs, prefix)[0]["language"] == "fr"
    tweet_page = by_seed(seed_docs, "000")[0]
    assert 0 < tweet_page["languages"]["ar"] < 0.1
    assert tweet_page["languages"]["fr"] > 0.9
    arabic_paragraphs = [p for p in tweet_page["paragraphs"] if p["language"] == "ar"]
    assert len(arabic_paragraphs) == 1
    p = arabic_paragraphs[0]
    assert "pic.twitter.com" in tweet_page["text"][p["start"]:p["end"]]


def test_publication_dates(seed_docs):
    d004 = by_seed(seed_docs, "004")[0]
    assert (d004["published"], d004["published_precision"]) == ("2017-11-15", "day")
    assert (by_seed(seed_docs, "002")[0]["published"], by_seed(seed_docs, "002")[0]["published_precision"]) \
        == ("2023-06", "month")
    assert by_seed(seed_docs, "003")[0]["published"] == "2021-01"
    d000 = by_seed(seed_docs, "000")[0]
    assert d000["published"].startswith("2021-11")
    assert d000["published_source"] == "embedded-post"


def test_metadata_from_page_header(seed_docs):
    d004 = by_seed(seed_docs, "004")[0]
    assert d004["author"] == "Samer Hussein"
    assert d004["outlet"] == "Réseau International"
    assert d004["title"].startswith("Le Ministère de la Défense russe")


def test_chrome_is_removed(seed_docs):
    for doc in seed_docs:
        for junk in CHROME:
            assert junk not in doc["text"], (doc["source"], junk)
        assert not doc["title"] or doc["title"] not in doc["text"]


def test_offsets_and_lists(seed_docs):
    for doc in seed_docs:
        assert doc["id"] and doc["raw_sha256"]
        previous_end = 0
        for p in doc["paragraphs"]:
            assert previous_end <= p["start"] < p["end"] <= len(doc["text"])
            assert doc["text"][p["start"]:p["end"]].strip() == doc["text"][p["start"]:p["end"]]
            previous_end = p["end"]
        for key in ("entities", "places", "actors", "times", "events", "claims"):
            assert isinstance(doc[key], list)


def test_every_output_validates_against_the_schema(seed_docs):
    schema = json.loads(resources.files("furat").joinpath("data/document.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for doc in seed_docs:
        errors = list(validator.iter_errors(doc))
        assert not errors, errors[0].message


def test_ingest_twice_on_the_seeds_gives_the_same_counts(seeds_dir, seed_docs, tmp_path):
    db = str(tmp_path / "seeds.duckdb")
    assert run_cli("ingest", str(seeds_dir), "--db", db).returncode == 0
    first = json.loads(run_cli("stats", "--db", db, "--json").stdout)
    again = run_cli("ingest", str(seeds_dir), "--db", db)
    assert again.returncode == 0 and b" 0 new, 0 new raw" in again.stderr
    second = json.loads(run_cli("stats", "--db", db, "--json").stdout)
    assert first == second
    assert first["documents"] == len(seed_docs) and first["raw_inputs"] == 5
