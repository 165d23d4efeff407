"""`furat batch`: the pipeline on a Dask cluster (or local worker processes), written as
partitioned Parquet that `furat ingest --parquet DIR` stores.

Layout of DIR (readable by any Parquet tool: `dask.dataframe.read_parquet(DIR / "documents")`):

    documents/part-00000.parquet    one row per document: id, raw_sha256, part, source, language,
                                    schema_version and `doc`, the document model as JSON
                                    (exactly `Document.model_dump_json()`, so it round-trips)
    raw_inputs/part-00000.parquet   the raw inputs those documents came from (sha256, source,
                                    size, data): the store keeps them beside the documents
    _furat.json                     written last: format version, counts, stages. A folder
                                    without it is an interrupted run and is refused.

The client reads the inputs and writes the files, the cluster runs the stages: the workers need
furat installed (the same version) but no access to the client's files.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat import __version__
from furat.ingest.build import RawCache
from furat.model import SCHEMA_VERSION, Document
from furat.report import Reporter
from furat.scale.workers import (
    IN_FLIGHT_PER_WORKER,
    ChunkResult,
    check_stages,
    chunks,
    ordered_results,
    pipeline_for,
    relay,
    run_chunk,
)

MANIFEST = "_furat.json"
FORMAT = "furat-batch"
FORMAT_VERSION = 1
PARTITION_DOCS = 512  # documents per Parquet file: a few MB, one row group


class BatchError(RuntimeError):
    """A batch run or a batch folder that cannot be used, said in one line."""


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise BatchError("Parquet needs pyarrow: pip install 'furat[scale]'") from exc
    return pa, pq


# --- Dask ---------------------------------------------------------------------------------------

_LOCK = threading.Lock()


def _dask_chunk(config: dict[str, Any], names: list[str], modules: list[str],
                docs: list[Document]) -> ChunkResult:
    """A task on a Dask worker: the worker's pipeline (built on its first task) over one chunk.
    The lock keeps a worker run with several threads from sharing the models at once."""
    with _LOCK:
        return run_chunk(pipeline_for(config, names, modules), docs)


def _worker_version() -> str:
    import furat

    return furat.__version__


@dataclass
class DaskCluster:
    """A Dask client, on a LocalCluster it started or on a running scheduler."""

    client: Any
    cluster: Any = None

    @classmethod
    def connect(cls, scheduler: str | None, workers: int | None) -> DaskCluster:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BatchError("--engine dask needs Dask: pip install 'furat[scale]'") from exc
        cluster = None
        try:
            if scheduler is None:
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            if cluster is not None:
                cluster.close()
            where = f"scheduler {scheduler}" if scheduler else "a local Dask cluster"
            raise BatchError(f"cannot reach {where}: {' '.join(str(exc).split())[:200]}") from exc
        self = cls(client, cluster)
        try:
            versions = client.run(_worker_version)
        except Exception as exc:
            self.close()
            raise BatchError(f"a Dask worker cannot run furat (is it installed there?): "
                             f"{type(exc).__name__}: {exc}") from exc
        if not versions:
            self.close()
            raise BatchError(f"scheduler {scheduler} has no workers")
        wrong = {w: v for w, v in versions.items() if v != __version__}
        if wrong:
            self.close()
            worker, version = next(iter(wrong.items()))
            raise BatchError(f"Dask worker {worker} runs furat {version}, this client {__version__}")
        return self

    def threads(self) -> int:
        workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@dataclass
class DaskPipeline:
    """`Pipeline.run` on a Dask cluster: same documents, same order (see ParallelPipeline)."""

    cluster: DaskCluster
    names: list[str]
    config: dict[str, Any]
    batch_size: int = 64
    modules: list[str] = field(default_factory=list)

    @classmethod
    def from_config(cls, cluster: DaskCluster, config: dict[str, Any],
                    stages: list[str] | None) -> DaskPipeline:
        pipe_cfg = config.get("pipeline", {})
        names = stages if stages is not None else list(pipe_cfg.get("stages", []))
        modules = check_stages(names)
        return cls(cluster, names, config, int(pipe_cfg.get("batch_size", 64)), modules)

    def in_flight(self) -> int:
        """At most this many documents are between the reader and the output at once."""
        return self.cluster.threads() * IN_FLIGHT_PER_WORKER * self.batch_size

    def run(self, docs: Iterable[Document], report: Reporter | None = None) -> Iterator[Document]:
        report = report or Reporter()
        client = self.cluster.client

        def submit(chunk: list[Document]) -> Any:
            return client.submit(_dask_chunk, self.config, self.names, self.modules, chunk, pure=False)

        window = self.cluster.threads() * IN_FLIGHT_PER_WORKER
        for result in ordered_results(submit, chunks(docs, self.batch_size), window):
            relay(report, result)
            yield from result.docs


# --- Parquet ------------------------------------------------------------------------------------


def check_out(out: Path) -> None:
    """--out must be a new or empty folder: a batch never mixes with another run's files.
    Checked before any work; the folder is made only when documents come."""
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out}: is a file; give a folder")
    if out.is_dir() and any(out.iterdir()):
        raise BatchError(f"--out {out}: not empty; give a new or empty folder")
    parent = next((p for p in out.absolute().parents if p.exists()), None)
    if not out.exists() and (parent is None or not parent.is_dir() or not os.access(parent, os.W_OK)):
        raise BatchError(f"--out {out}: cannot be made ({parent} is not a writable folder)")


@dataclass
class ParquetWriter:
    """Writes documents as they pass (in order), a partition every PARTITION_DOCS documents,
    each with the raw inputs its documents are the first of."""

    out: Path
    raws: RawCache
    stages: list[str]
    partition_docs: int = PARTITION_DOCS
    documents: int = 0
    raw_inputs: int = 0
    partitions: int = 0
    _docs: list[Document] = field(default_factory=list)
    _raw: list[tuple[str, str, bytes]] = field(default_factory=list)
    _last_sha: str | None = None

    def through(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Pass `docs` on (for the progress line) while writing them."""
        for doc in docs:
            if doc.raw_sha256 != self._last_sha:  # the documents of one input come together
                self._last_sha = doc.raw_sha256
                raw = self.raws.get(doc.raw_sha256)
                if raw is not None:
                    self._raw.append((doc.raw_sha256, raw[0], raw[1]))
            self._docs.append(doc)
            if len(self._docs) >= self.partition_docs:
                self._flush()
            yield doc

    def _flush(self) -> None:
        pa, pq = _pyarrow()
        if self.partitions == 0:
            try:
                for sub in ("documents", "raw_inputs"):
                    (self.out / sub).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BatchError(f"--out {self.out}: {exc.strerror or exc}") from exc
        name = f"part-{self.partitions:05d}.parquet"
        docs = pa.table({
            "id": pa.array([d.id for d in self._docs], pa.string()),
            "raw_sha256": pa.array([d.raw_sha256 for d in self._docs], pa.string()),
            "part": pa.array([d.part for d in self._docs], pa.int32()),
            "source": pa.array([d.source for d in self._docs], pa.string()),
            "language": pa.array([d.language for d in self._docs], pa.string()),
            "schema_version": pa.array([d.schema_version for d in self._docs], pa.string()),
            "doc": pa.array([d.model_dump_json() for d in self._docs], pa.large_string()),
        })
        raws = pa.table({
            "sha256": pa.array([r[0] for r in self._raw], pa.string()),
            "source": pa.array([r[1] for r in self._raw], pa.string()),
            "size": pa.array([len(r[2]) for r in self._raw], pa.int64()),
            "data": pa.array([r[2] for r in self._raw], pa.large_binary()),
        })
        pq.write_table(docs, self.out / "documents" / name, compression="zstd")
        pq.write_table(raws, self.out / "raw_inputs" / name, compression="zstd")
        self.documents += len(self._docs)
        self.raw_inputs += len(self._raw)
        self.partitions += 1
        self._docs, self._raw = [], []

    def close(self, engine: str) -> None:
        """Write the last partition, then the manifest that marks the folder complete."""
        if self._docs or self.partitions == 0:
            self._flush()
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "furat": __version__,
                    "schema_version": SCHEMA_VERSION, "engine": engine, "stages": self.stages,
                    "documents": self.documents, "raw_inputs": self.raw_inputs,
                    "partitions": self.partitions}
        (self.out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a complete batch folder, or a clear error."""
    if not folder.is_dir():
        raise BatchError(f"--parquet {folder}: no such folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise BatchError(f"--parquet {folder}: no {MANIFEST}: not a furat batch output, or an "
                         "interrupted one (run `furat batch` again into an empty folder)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BatchError(f"--parquet {folder}: unreadable {MANIFEST} ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BatchError(f"--parquet {folder}: {MANIFEST} is not a furat batch manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BatchError(f"--parquet {folder}: batch format {manifest.get('format_version')}, "
                         f"this furat reads {FORMAT_VERSION}")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise BatchError(f"--parquet {folder}: documents of schema {manifest.get('schema_version')}, "
                         f"this furat stores {SCHEMA_VERSION}: run `furat batch` again")
    return manifest


def read_batch(folder: Path, raws: RawCache) -> tuple[dict[str, Any], Iterator[Document]]:
    """The manifest and the documents of a batch folder, in their order; each partition's raw
    inputs go into `raws` before its documents come out (the store looks them up there)."""
    manifest = read_manifest(folder)
    _, pq = _pyarrow()
    parts = [f"part-{i:05d}.parquet" for i in range(int(manifest.get("partitions", 0)))]
    for name in parts:
        for sub in ("documents", "raw_inputs"):
            if not (folder / sub / name).is_file():
                raise BatchError(f"--parquet {folder}: {sub}/{name} is missing")

    def docs() -> Iterator[Document]:
        for name in parts:
            try:
                raw = pq.read_table(folder / "raw_inputs" / name).to_pydict()
                table = pq.read_table(folder / "documents" / name, columns=["doc"])
            except Exception as exc:  # pyarrow raises its own types for a damaged file
                raise BatchError(f"--parquet {folder}: cannot read {name}: {exc}") from exc
            for sha, source, data in zip(raw["sha256"], raw["source"], raw["data"], strict=True):
                raws(sha, source, data)
            for value in table.column("doc").to_pylist():
                try:
                    yield Document.model_validate_json(value)
                except ValueError as exc:
                    raise BatchError(f"--parquet {folder}: {name}: a document does not match the "
                                     f"model ({' '.join(str(exc).split())[:200]})") from exc

    return manifest, docs()
