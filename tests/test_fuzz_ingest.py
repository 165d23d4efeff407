"""Property-based fuzzing of ingest (issue 15): whatever lies beside them (random bytes, random
Unicode, huge lines, random HTML nesting, random JSONL lines), good inputs are all still read, and
no exception escapes. In-process over `furat.ingest` and the `language` stage, with few examples
so that CI stays fast; one CLI run checks the acceptance on the seeds with the full pipeline."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from furat.ingest.build import IngestOptions, documents
from furat.model import Document
from furat.pipeline import Pipeline
from furat.report import Reporter
from tests.conftest import run_cli

GOOD_TEXT = ("L'armée syrienne a repoussé mercredi une attaque lancée par des hommes armés près de "
             "Deir Ezzor, a indiqué une source militaire. Les assaillants ont été poursuivis jusqu'à "
             "la frontière, où plusieurs véhicules ont été détruits.")
GOOD_RECORDS = [
    {"text": "أفادت مصادر محلية بأن قوات سوريا الديمقراطية شنت هجوماً على بلدة في ريف دير الزور.",
     "date": "05/04/2017"},
    {"text": "Turkish drones struck a convoy near Qamishli on Tuesday, killing three fighters.",
     "date": "2019-10-15"},
]
FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_TAGS = ["div", "p", "span", "section", "article", "b", "table", "tr", "td", "ul", "li", "script",
         "style", "head", "body", "html", "br", "h1", "a", "nav"]
_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_any_chars = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.characters(),
                     max_size=200)  # lone surrogates too: JSON can spell them, files can hold them


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A tag around children, closed or not, sometimes with a broken attribute."""
    return st.builds(
        lambda tag, kids, close, attr: f"<{tag}{attr}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(_TAGS), st.lists(children, max_size=4), st.booleans(),
        st.sampled_from(["", ' class="x"', " id='", ' style="a<b"', " =="]),
    )


html_pages = st.builds(
    lambda depth, tag, body, tail: "<html><body>" + f"<{tag}>" * depth + body + tail,
    st.integers(0, 3000), st.sampled_from(["div", "span", "p", "td"]),
    st.recursive(_words, _element, max_leaves=30), st.sampled_from(["", "</body></html>", "<!--"]),
)
huge_lines = st.builds(
    lambda word, n, sep: (word + sep) * n,
    st.text(min_size=1, max_size=12), st.integers(10_000, 40_000), st.sampled_from(["", " ", ". "]),
)
bad_files = st.one_of(
    st.binary(max_size=4096).map(lambda b: ("bin", b)),
    _words.map(lambda t: ("txt", t.encode("utf-8"))),
    _any_chars.map(lambda t: ("txt", t.encode("utf-8", "surrogatepass"))),
    huge_lines.map(lambda t: ("txt", t.encode("utf-8"))),
    html_pages.map(lambda t: ("html", t.encode("utf-8"))),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _words,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_words, kids, max_size=3), max_leaves=8,
)
bad_lines = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.tuples(_any_chars, _any_chars).map(lambda t: json.dumps({"text": t[0], "title": t[1]}).encode()),
    st.fixed_dictionaries({"text": st.one_of(_words, st.integers(), st.none()),
                           "date": st.one_of(_words, st.integers(), st.none()),
                           "lang": st.one_of(_words, st.none())}).map(lambda d: json.dumps(d).encode()),
    huge_lines.map(lambda t: json.dumps({"text": t}).encode()),
).map(lambda line: line.replace(b"\n", b" ").replace(b"\r", b" "))


@pytest.fixture(scope="module")
def language_stage() -> Pipeline:
    return Pipeline(["language"], batch_size=4)


def run_ingest(folder: Path, pipeline: Pipeline) -> list[Document]:
    """Ingest and the language stage over `folder`, problems said on a buffer, not stderr."""
    report = Reporter(stream=io.StringIO())
    return list(pipeline.run(documents([str(folder)], IngestOptions(), report), report))


@FUZZ
@given(files=st.lists(bad_files, min_size=1, max_size=4))
def test_bad_files_never_cost_a_good_one(language_stage, files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
        for i, (suffix, data) in enumerate(files):
            (folder / f"bad{i}.{suffix}").write_bytes(data)
        docs = run_ingest(folder, language_stage)
        good = [d for d in docs if Path(d.source).name == "good.txt"]
        assert [d.text for d in good] == [GOOD_TEXT] and good[0].language == "fr"
        for doc in docs:
            assert len(doc.text) <= IngestOptions().max_doc_chars
            assert all(doc.text[p.start:p.end].strip() for p in doc.paragraphs)


@FUZZ
@given(lines=st.lists(bad_lines, max_size=8), at=st.lists(st.integers(0, 8), min_size=2, max_size=2))
def test_bad_jsonl_lines_never_cost_a_good_one(language_stage, lines, at):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for record, i in zip(GOOD_RECORDS, at, strict=True):
            lines.insert(min(i, len(lines)), json.dumps(record, ensure_ascii=False).encode())
        (folder / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        docs = run_ingest(folder, language_stage)
        texts = [d.text for d in docs]
        for record in GOOD_RECORDS:
            assert record["text"] in texts
        by_text = {d.text: d for d in docs}
        assert by_text[GOOD_RECORDS[0]["text"]].published == "2017-04-05"  # day first, Arabic


def test_cli_acceptance_seeds_beside_huge_and_deep_inputs(tmp_path, seeds_dir):
    """Issue 15: the seeds plus a 5 MB one-line file, a 1.2 MB JSONL record and deep HTML: the
    seeds' 11 documents stored, one line per bad input, exit 0."""
    folder = tmp_path / "inputs"
    shutil.copytree(seeds_dir, folder)
    seed_names = sorted(p.name for p in seeds_dir.iterdir())
    prose = " ".join(" ".join((seeds_dir / n).read_text(encoding="utf-8").split()) for n in seed_names)
    line = (prose + " ") * (5_000_000 // len(prose) + 1)
    (folder / "huge.txt").write_text(line[:5_000_000], encoding="utf-8")
    (folder / "big.jsonl").write_text(json.dumps({"text": line[:1_200_000]}) + "\n", encoding="utf-8")
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 300 + f"<p>{GOOD_TEXT}</p>" * 3 + "</body></html>", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    result = run_cli("ingest", str(folder), "--db", str(db))
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "Traceback" not in err
    with duckdb.connect(str(db), read_only=True) as conn:
        sources = [Path(s).name for (s,) in conn.execute("SELECT source FROM documents").fetchall()]
        [(raw_size,)] = conn.execute(
            "SELECT size FROM raw_inputs WHERE source LIKE '%huge.txt'").fetchall()
    assert raw_size == (folder / "huge.txt").stat().st_size  # its text is cut, its raw input kept
    assert sum(s in seed_names for s in sources) == 11
    assert "deep.html" in sources
    problems = [ln for ln in err.splitlines() if ln.startswith(("furat: error:", "furat: warning:"))]
    assert len([ln for ln in problems if "huge.txt" in ln]) == 1
    assert len([ln for ln in problems if "big.jsonl" in ln]) == 1
    assert len(problems) == 2, problems
