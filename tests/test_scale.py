"""--workers N, furat batch (local processes, Dask) and ingest --parquet: the same documents, events
and store as one process. The two runs on the whole pipeline load the models in 2 processes
each; the others use the language stage only or no model at all."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from furat.ingest.build import RawCache
from furat.model import Document, content_id
from furat.pipeline import Pipeline, stage
from furat.report import Reporter
from furat.scale.batch import BatchError, ParquetWriter, read_batch
from furat.scale.route import Router, guess_language
from furat.scale.workers import ParallelPipeline, chunks, ordered_results
from tests.conftest import run_cli


@stage("test-scale-probe")
def _probe(config):
    """Marks each document; fails on the ones whose text says FAIL (a stage fault on one input)."""

    def run(docs):
        for doc in docs:
            if "FAIL" in doc.text:
                raise ValueError("probe refuses this one")
            doc.language = "xx"
            yield doc

    return run


def make_doc(text: str, source: str = "test") -> Document:
    return Document(id=content_id(text), source=source, raw_sha256=content_id(source) * 4, text=text)


def extract_bytes(docs: list[dict]) -> bytes:
    """`furat extract --format json` output of these documents (each line is model_dump_json)."""
    lines = [Document.model_validate(d).model_dump_json() for d in docs]
    return ('{"documents": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def store_rows(path: Path) -> dict[str, list[str]]:
    """Every table of a store, rows sorted, without the ingestion times."""
    conn = duckdb.connect(str(path), read_only=True)
    out = {}
    for (table,) in conn.execute("SELECT table_name FROM information_schema.tables "
                                 "WHERE table_schema = 'main' ORDER BY 1").fetchall():
        cols = [c for (c,) in conn.execute("SELECT column_name FROM information_schema.columns "
                                           "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                if c != "ingested_at"]
        out[table] = sorted(repr(r) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall())
    conn.close()
    return out


# --- no models ----------------------------------------------------------------------------------


def test_chunks_ramp_up_then_keep_the_batch_size():
    sizes = [len(c) for c in chunks(range(40), 8)]
    assert sizes == [1, 2, 4, 8, 8, 8, 8, 1]
    assert [x for c in chunks(range(40), 8) for x in c] == list(range(40))


def test_ordered_results_keep_the_input_order_whatever_finishes_first():
    with ThreadPoolExecutor(4) as pool:
        def submit(i):
            return pool.submit(lambda: time.sleep(0.05 * (5 - i)) or i)
        assert list(ordered_results(submit, range(6), window=3)) == list(range(6))


def test_workers_keep_order_and_isolate_a_failing_document():
    texts = [f"document {i} " + ("FAIL" if i in (3, 9) else "fine") for i in range(12)]
    single, parallel = Reporter(stream=io.StringIO()), Reporter(stream=io.StringIO())
    one = list(Pipeline(["test-scale-probe"], {}, batch_size=4).run((make_doc(t) for t in texts), single))
    two = list(ParallelPipeline.from_config({"pipeline": {"batch_size": 4}}, ["test-scale-probe"], 2)
               .run((make_doc(t) for t in texts), parallel))
    assert [d.model_dump_json() for d in two] == [d.model_dump_json() for d in one]
    assert [d.language for d in two].count("xx") == 10
    assert parallel.errors == single.errors and len(parallel.errors) == 2


def test_parquet_round_trip_across_partitions(tmp_path):
    raws = RawCache()
    docs = []
    for i in range(5):
        source = f"page{i}.txt"
        raw = f"raw bytes {i}".encode()
        doc = make_doc(f"text of page {i} é ع", source)
        raws(doc.raw_sha256, source, raw)
        docs.append(doc)
    writer = ParquetWriter(tmp_path / "out", raws, ["language"], partition_docs=2)
    assert [d.id for d in writer.through(docs)] == [d.id for d in docs]
    writer.close("local")
    assert writer.partitions == 3
    back = RawCache()
    manifest, read = read_batch(tmp_path / "out", back)
    assert manifest["documents"] == 5 and manifest["raw_inputs"] == 5
    assert [d.model_dump_json() for d in read] == [d.model_dump_json() for d in docs]
    assert back.get(docs[4].raw_sha256) == ("page4.txt", b"raw bytes 4")
    with pytest.raises(BatchError, match=r"no _furat\.json"):
        read_batch(tmp_path, RawCache())


def test_scale_usage_errors(tmp_path, seeds_dir):
    bad = run_cli("extract", str(seeds_dir), "--workers", "2", "--stages", "nope")
    assert bad.returncode == 2 and b"unknown stage 'nope'" in bad.stderr
    assert run_cli("extract", str(seeds_dir), "--workers", "0").returncode == 2
    bad = run_cli("batch", str(seeds_dir), "--scheduler", "tcp://127.0.0.1:1", "--out", str(tmp_path / "o"))
    assert bad.returncode == 2 and b"--scheduler is for --engine dask" in bad.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    bad = run_cli("batch", str(seeds_dir), "--out", str(tmp_path / "full"))
    assert bad.returncode == 2 and b"not empty" in bad.stderr
    bad = run_cli("ingest", "--parquet", str(tmp_path / "full"), "--db", str(tmp_path / "x.duckdb"))
    assert bad.returncode == 2 and b"not a furat batch output" in bad.stderr
    bad = run_cli("ingest", str(seeds_dir), "--parquet", str(tmp_path / "full"))
    assert bad.returncode == 2 and b"give no PATH" in bad.stderr
    bad = run_cli("ingest", "--db", str(tmp_path / "x.duckdb"))
    assert bad.returncode == 2 and b"at least one PATH" in bad.stderr and b"Traceback" not in bad.stderr


# --- the language stage only: the store paths ---------------------------------------------------


def test_ingest_with_workers_and_from_local_batch_give_the_same_store(tmp_path, seeds_dir):
    args = ("--stages", "language")
    one = run_cli("ingest", str(seeds_dir), *args, "--db", str(tmp_path / "one.duckdb"))
    assert one.returncode == 0, one.stderr.decode()
    two = run_cli("ingest", str(seeds_dir), *args, "--workers", "2", "--db", str(tmp_path / "two.duckdb"))
    assert two.returncode == 0, two.stderr.decode()
    batch = run_cli("batch", str(seeds_dir), *args, "--workers", "2", "--out", str(tmp_path / "run"))
    assert batch.returncode == 0, batch.stderr.decode()
    stored = run_cli("ingest", "--parquet", str(tmp_path / "run"), "--db", str(tmp_path / "pq.duckdb"))
    assert stored.returncode == 0, stored.stderr.decode()
    reference = store_rows(tmp_path / "one.duckdb")
    assert len(reference["documents"]) == 11 and len(reference["raw_inputs"]) == 5
    assert store_rows(tmp_path / "two.duckdb") == reference
    assert store_rows(tmp_path / "pq.duckdb") == reference


# --- routing by language (the seeds' documents, language as the language stage decided it) ----


def test_the_parents_language_guess_agrees_with_the_language_stage_on_the_seeds(seed_docs):
    decided = [(d["text"], d["language"]) for d in seed_docs]
    assert {lang for _, lang in decided} == {"fr", "ar", "en"}
    assert [guess_language(make_doc(text)) for text, _ in decided] == [lang for _, lang in decided]


def test_router_sends_each_worker_its_own_languages_and_every_document_once(seed_docs):
    docs = [make_doc(d["text"]) for d in seed_docs] * 6  # the seeds' fr / ar / en pages, 66 documents
    router = Router(workers=2, largest=4)
    for index, doc in enumerate(docs):
        router.add(index, doc)
    taken: list[list[int]] = [[], []]
    langs: list[list[str]] = [[], []]
    while len(router):
        for worker in (0, 1):
            if chunk := router.take(worker):
                assert len({guess_language(doc) for _, doc in chunk}) == 1  # one language a chunk
                assert [i for i, _ in chunk] == sorted(i for i, _ in chunk)
                taken[worker] += [i for i, _ in chunk]
                langs[worker].append(guess_language(chunk[0][1]))
        if len(router) < 12:
            router.ended = True
    assert sorted(taken[0] + taken[1]) == list(range(len(docs)))
    # the second worker starts on a language the first does not have; each keeps its own while
    # it has documents of it
    assert langs[1][0] != langs[0][0]
    assert langs[0][:3] == [langs[0][0]] * 3 and langs[1][:3] == [langs[1][0]] * 3


def test_router_chunks_ramp_up_then_shrink_when_the_input_has_ended():
    router = Router(workers=2, largest=8)
    for index in range(40):
        router.add(index, make_doc(f"the report of the day {index} was read by the people of the town"))
    sizes = [len(router.take(0)) for _ in range(4)]
    assert sizes == [1, 2, 4, 8]
    router.ended = True  # 25 left: chunks of at most a quarter of what is left, down to one
    sizes = [len(router.take(0)) for _ in range(9)]
    assert sizes == [7, 5, 4, 3, 2, 1, 1, 1, 1] and not router.take(0) and not router.take(1)


# --- the whole pipeline -------------------------------------------------------------------------


def test_two_workers_give_byte_identical_extract_output(seed_docs, seeds_dir):
    """seed_docs is `furat extract SEEDS` in one process (shared with the other seed tests)."""
    two = run_cli("extract", str(seeds_dir), "--workers", "2")
    assert two.returncode == 0, two.stderr.decode()
    assert two.stdout == extract_bytes(seed_docs)


def test_dask_local_cluster_gives_the_single_process_documents_events_and_store(
        seed_docs, seeds_dir, tmp_path):
    out = tmp_path / "run"
    batch = run_cli("batch", str(seeds_dir), "--engine", "dask", "--workers", "2", "--out", str(out))
    assert batch.returncode == 0, batch.stderr.decode()
    assert json.loads((out / "_furat.json").read_text())["engine"] == "dask"
    _, docs = read_batch(out, RawCache())
    # the documents, with their events and claims, are those of one process, in the same order
    assert [d.model_dump_json() for d in docs] == [Document.model_validate(d).model_dump_json()
                                                   for d in seed_docs]
    assert sum(len(d["events"]) for d in seed_docs) > 20

    stored = run_cli("ingest", "--parquet", str(out), "--db", str(tmp_path / "dask.duckdb"))
    assert stored.returncode == 0, stored.stderr.decode()
    # the reference store: the single-process documents through the store's ingest (what `furat
    # ingest SEEDS` does with them), the raw inputs read from the seed files
    from furat.store.db import Store

    raw = {}
    for d in seed_docs:
        data = Path(d["source"]).read_bytes()
        raw[d["raw_sha256"]] = (d["source"], data)
    with Store(tmp_path / "one.duckdb", ingest=True) as store:
        for _ in store.ingest((Document.model_validate(d) for d in seed_docs), raw.get):
            pass
    reference = store_rows(tmp_path / "one.duckdb")
    assert len(reference["events"]) > 20
    assert store_rows(tmp_path / "dask.duckdb") == reference



@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed (no train extra)")
def test_furat_processes_leave_torch_out_of_spacy_even_when_it_is_installed():
    """thinc imports torch at `import spacy` when it can: ~0.9 s and ~130 MB a process. Hidden from
    thinc only, torch leaves no trace that other libraries trip over: scipy's array API helpers
    (under scikit-learn) failed on a None in `sys.modules`, and a test module asking
    `importlib.util.find_spec` failed on a finder that refused torch to everyone."""
    code = ("from furat.runtime import hide_training_libraries; hide_training_libraries(); "
            "import importlib.util, spacy, thinc.compat, scipy.stats, sklearn.linear_model, sys; "
            "print(thinc.compat.has_torch, 'torch' in sys.modules, importlib.util.find_spec('torch') is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # thinc saw no torch, none was imported, and asking whether torch is installed still works
    assert out.stdout.split() == ["False", "False", "False"]
