"""`--workers N`: the pipeline in N processes on one machine, output identical to one process.

The parent reads the inputs and sends the documents in chunks to the workers, each chunk to a
worker that has already loaded its language's models (furat/scale/route.py); each worker process
builds the pipeline once (its models load once per process, not per chunk) and runs it on the
chunks it is sent; the parent yields the documents back in input order. At most CHUNKS_PER_WORKER
chunks per worker are in flight and READ_AHEAD_CHUNKS per worker are read ahead, so memory stays
bounded by the read-ahead, not by the corpus. A stage failing on one document is handled inside the
worker exactly as in one process (`Pipeline.run`); its one-line report travels back with the
chunk and is printed by the parent.
"""

from __future__ import annotations

import heapq
import importlib
import io
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from threadpoolctl import threadpool_limits

from furat.model import Document
from furat.pipeline import _REGISTRY, STAGE_MODULES, Pipeline, UnknownStageError
from furat.report import Reporter
from furat.scale.route import Router

T = TypeVar("T")
R = TypeVar("R")

# chunks in flight per worker: one being run, one waiting, so a worker never idles on the parent
# (Dask, furat/scale/batch.py)
IN_FLIGHT_PER_WORKER = 2
# Local worker processes get chunks of at most CHUNK_DOCS documents, CHUNKS_PER_WORKER of them in
# flight each (one being run, one waiting): a chunk sent is that worker's to run, so at the end of
# a run what a worker holds keeps it busy while the others idle (16 English documents ~1.5 s).
# READ_AHEAD_CHUNKS per worker are read ahead of the output, so that the router has documents of
# each worker's languages to choose from.
CHUNK_DOCS = 16
CHUNKS_PER_WORKER = 2
READ_AHEAD_CHUNKS = 8


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


def preload_modules(names: list[str], modules: list[str]) -> list[str]:
    """What the forkserver imports once, before it forks the workers: the modules of the stages
    that will run (spaCy, lingua, the stages' tables), so that N workers do not each import them
    (~2 CPU-s a worker). Imports only, and nothing of one language (spaCy's French data alone takes
    2 s to import): each worker loads the models of the languages it is sent (furat/scale/route.py)."""
    # __main__: what the forkserver preloads by default; furat.scale.preload: before spaCy
    out = ["__main__", "furat.scale.preload", __name__]
    out += [STAGE_MODULES[n] for n in names if n in STAGE_MODULES] + list(modules)
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
        """At most this many documents are between the reader and the output at once: the chunks
        the workers hold, and the rest waiting by language for a worker that has it."""
        return self.workers * READ_AHEAD_CHUNKS * self.chunk_docs

    def run(self, docs: Iterable[Document], report: Reporter | None = None) -> Iterator[Document]:
        report = report or Reporter()
        context = _context(preload_modules(self.names, self.modules))
        # one single-process pool per worker, so that a chunk goes to the worker chosen for it
        pools = [ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_worker,
                                     initargs=(self.config, self.names, self.modules))
                 for _ in range(self.workers)]
        finished = False
        try:
            yield from self._run(pools, docs, report)
            finished = True
        except BrokenProcessPool as exc:
            raise WorkerError("a worker process died (out of memory or killed); "
                              "try fewer --workers") from exc
        finally:
            for pool in pools:
                if finished:
                    pool.shutdown(wait=True)
                else:
                    _stop(pool)

    def _run(self, pools: list[ProcessPoolExecutor], docs: Iterable[Document],
             report: Reporter) -> Iterator[Document]:
        """Read ahead up to `in_flight()` documents, keep every worker's slots filled from the
        router, and yield the documents in input order as their chunks come back; a chunk's
        report lines are said when its first document is yielded (input order, as one process)."""
        router = Router(self.workers, self.chunk_docs)
        source = enumerate(docs)
        running: dict[Future[ChunkResult], tuple[int, list[int]]] = {}
        busy = [0] * self.workers
        done: dict[int, Document] = {}
        reports: list[tuple[int, ChunkResult]] = []
        read = emitted = 0
        more = True
        while True:
            while more and read - emitted < self.in_flight():
                item = next(source, None)
                if item is None:
                    more, router.ended = False, True
                else:
                    router.add(*item)
                    read += 1
            for worker in sorted(range(self.workers), key=busy.__getitem__):
                while busy[worker] < CHUNKS_PER_WORKER and (chunk := router.take(worker)):
                    future = pools[worker].submit(_work, [doc for _, doc in chunk])
                    running[future] = (worker, [index for index, _ in chunk])
                    busy[worker] += 1
            if not running:
                return
            for future in wait(running, return_when=FIRST_COMPLETED).done:
                worker, indices = running.pop(future)
                busy[worker] -= 1
                result = future.result()
                done.update(zip(indices, result.docs, strict=True))
                heapq.heappush(reports, (indices[0], result))
            while emitted in done:
                while reports and reports[0][0] <= emitted:
                    relay(report, heapq.heappop(reports)[1])
                yield done.pop(emitted)
                emitted += 1
