"""`--workers N`: the pipeline in N processes on one machine, output identical to one process.

The parent reads the inputs and cuts the documents into ordered chunks; each worker process
builds the pipeline once (its models load once per process, not per chunk) and runs it on the
chunks it is sent; the parent yields the chunks back in input order. At most two chunks per
worker are in flight, so memory stays bounded by the chunk, not by the corpus. A stage failing
on one document is handled inside the worker exactly as in one process (`Pipeline.run`); its
one-line report travels back with the chunk and is printed by the parent.
"""

from __future__ import annotations

import importlib
import io
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from threadpoolctl import threadpool_limits

from furat.model import Document
from furat.pipeline import _REGISTRY, STAGE_MODULES, Pipeline, UnknownStageError
from furat.report import Reporter

T = TypeVar("T")
R = TypeVar("R")

# chunks in flight per worker: one being run, one waiting, so a worker never idles on the parent
# (Dask, furat/scale/batch.py)
IN_FLIGHT_PER_WORKER = 2
# Local worker processes get chunks of at most CHUNK_DOCS documents, CHUNKS_PER_WORKER of them in
# flight each: at the end of a run the last chunk keeps one worker busy while the others idle, and
# with the pipeline's batches of 64 (~5 CPU-s each) that cost ~2.5 s of wall time on 600
# documents; 16-document chunks cut it to a fraction of a second for the same in-flight memory.
CHUNK_DOCS = 16
CHUNKS_PER_WORKER = 4


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory): said in one line by the CLI."""


def check_stages(names: list[str]) -> list[str]:
    """Refuse an unknown stage name in the parent, before any worker starts, without importing
    the stages (that would load models the parent never uses). Returns the modules a worker
    must import for the stages registered outside STAGE_MODULES (a plugin's own module)."""
    known = set(_REGISTRY) | set(STAGE_MODULES)
    modules: list[str] = []
    for name in names:
        if name not in known:
            raise UnknownStageError(f"unknown stage {name!r} (known: {', '.join(sorted(known))})")
        if name not in STAGE_MODULES:
            module = _REGISTRY[name].__module__
            if module not in ("__main__", "__mp_main__") and module not in modules:
                modules.append(module)
    return modules


def chunks(docs: Iterable[T], largest: int) -> Iterator[list[T]]:
    """Ordered chunks of 1, 2, 4 … then `largest` items: every worker gets work at once even on a
    handful of documents (and the progress line moves early), while long runs use whole batches."""
    it = iter(docs)
    size = 1
    while chunk := list(islice(it, size)):
        yield chunk
        size = min(size * 2, max(1, largest))


def ordered_results(submit: Callable[[T], Any], items: Iterable[T], window: int) -> Iterator[Any]:
    """`submit(item)` for each item, at most `window` pending at once; each future's result is
    yielded in the order of `items` (a slow chunk holds back the faster ones behind it)."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# --- inside a worker process -------------------------------------------------------------------

_PIPELINE: dict[str, Any] = {}  # the pipeline this process built, under the key of its config


def pipeline_for(config: dict[str, Any], names: list[str], modules: list[str] | None = None) -> Pipeline:
    """This process's pipeline for `config`/`names`, built on first use only (models load once
    per process). One is kept: a process serving another configuration rebuilds. `modules`
    register the stages that STAGE_MODULES does not name."""
    key = json.dumps([config, names], sort_keys=True, default=str)
    if _PIPELINE.get("key") != key:
        _PIPELINE.clear()
        for module in modules or []:
            importlib.import_module(module)
        _PIPELINE["pipeline"] = Pipeline.from_config(config, names)
        _PIPELINE["key"] = key
    return _PIPELINE["pipeline"]


@dataclass
class ChunkResult:
    """A chunk after the pipeline, with the report lines its stages said."""

    docs: list[Document]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_chunk(pipeline: Pipeline, docs: list[Document]) -> ChunkResult:
    """The pipeline over one chunk; report lines collected instead of printed (the parent
    prints them, so that they are counted in its exit status)."""
    report = Reporter(stream=io.StringIO())
    out = list(pipeline.run(docs, report))
    for doc in out:
        _drop_private(doc)
    return ChunkResult(out, report.errors, report.warnings)


def _drop_private(doc: Document) -> None:
    """Reset a document's private attributes (the spaCy parses the events stage leaves for the
    claims stage): never part of the output, and pickled they carry spaCy's vocabulary, which
    made the parent import spaCy and the transfer cost more than the work."""
    for name, attr in type(doc).__private_attributes__.items():
        setattr(doc, name, attr.get_default(call_default_factory=True))


_WORKER: dict[str, Any] = {}


def _init_worker(config: dict[str, Any], names: list[str], modules: list[str]) -> None:
    """Runs once in each worker process: Ctrl-C is the parent's to handle (it stops the pool),
    and numeric libraries use one thread each (N workers on N cores, not N²)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    # the variables only reach libraries loaded after them; numpy's OpenBLAS was loaded by the
    # forkserver's preload: limit it where it is (an idle BLAS thread spins after every product)
    threadpool_limits(1)
    _WORKER.update(config=config, names=names, modules=modules)


def _work(docs: list[Document]) -> ChunkResult:
    return run_chunk(pipeline_for(_WORKER["config"], _WORKER["names"], _WORKER["modules"]), docs)


# --- in the parent -----------------------------------------------------------------------------


def relay(report: Reporter, result: ChunkResult) -> None:
    """Print and count a worker's report lines in the parent, as one process would have."""
    for line in result.errors:
        report.errors.append(line)
        print(line, file=report.stream or sys.stderr, flush=True)
    for line in result.warnings:
        report.warnings.append(line)
        print(line, file=report.stream or sys.stderr, flush=True)


# spaCy's language data that spacy.load imports when a pipeline loads: French compiles its
# tokenizer exceptions, a 1.4 MB regular expression (~2.5 CPU-s)
SPACY_LANGUAGES = ("spacy.lang.fr", "spacy.lang.en")


def preload_modules(names: list[str], modules: list[str]) -> list[str]:
    """What the forkserver imports once, before it forks the workers: the modules of the stages
    that will run (spaCy, lingua, the stages' tables), so that N workers do not each import them
    (~4 CPU-s a worker). Imports only: the models still load in each worker, on first use."""
    out = ["__main__", __name__]  # __main__: what the forkserver preloads by default
    out += [STAGE_MODULES[n] for n in names if n in STAGE_MODULES] + list(modules)
    if {"entities", "events", "claims"} & set(names):
        out += SPACY_LANGUAGES
    return list(dict.fromkeys(out))


def _context(preload: list[str] | None = None) -> Any:
    """forkserver where there is one: workers start from a clean process (not a fork of a parent
    that runs a progress thread), faster than spawn, and with `preload` imported once for all
    (the first pool of a process sets it: the forkserver then runs until the process ends)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(preload)
    return context


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now (Ctrl-C, a failed run, a reader that went away): a running chunk
    is not waited for. concurrent.futures has no public way before Python 3.14."""
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        proc.terminate()
    executor.shutdown(wait=False, cancel_futures=True)


@dataclass
class ParallelPipeline:
    """`Pipeline.run` spread over `workers` processes; same documents, same order."""

    names: list[str]
    config: dict[str, Any]
    workers: int
    batch_size: int = 64
    modules: list[str] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: dict[str, Any], stages: list[str] | None, workers: int) -> ParallelPipeline:
        pipe_cfg = config.get("pipeline", {})
        names = stages if stages is not None else list(pipe_cfg.get("stages", []))
        modules = check_stages(names)
        return cls(names=names, config=config, workers=workers,
                   batch_size=int(pipe_cfg.get("batch_size", 64)), modules=modules)

    @property
    def chunk_docs(self) -> int:
        return max(1, min(self.batch_size, CHUNK_DOCS))

    def in_flight(self) -> int:
        """At most this many documents are between the reader and the output at once."""
        return self.workers * CHUNKS_PER_WORKER * self.chunk_docs

    def run(self, docs: Iterable[Document], report: Reporter | None = None) -> Iterator[Document]:
        report = report or Reporter()
        executor = ProcessPoolExecutor(max_workers=self.workers,
                                       mp_context=_context(preload_modules(self.names, self.modules)),
                                       initializer=_init_worker,
                                       initargs=(self.config, self.names, self.modules))
        finished = False
        try:
            submit: Callable[[list[Document]], Future[ChunkResult]] = lambda c: executor.submit(_work, c)  # noqa: E731
            for result in ordered_results(submit, chunks(docs, self.chunk_docs),
                                          self.workers * CHUNKS_PER_WORKER):
                relay(report, result)
                yield from result.docs
            finished = True
        except BrokenProcessPool as exc:
            raise WorkerError("a worker process died (out of memory or killed); "
                              "try fewer --workers") from exc
        finally:
            if finished:
                executor.shutdown(wait=True)
            else:
                _stop(executor)
