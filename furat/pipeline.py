"""Stages and the pipeline that chains them.

A stage is a named factory registered with `@stage("name")`: called once with its config
section, it loads its models and returns a function from an iterator of documents to an iterator
of documents (like spaCy's `nlp.pipe`). The pipeline is the chain of the stages named in the
config, fed in batches so that memory is bounded by the batch, not by the corpus. A new stage
registers itself in its own package and is added to `furat/defaults.toml`: nothing else changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from furat.model import Document
from furat.report import Reporter

StageFn = Callable[[Iterable[Document]], Iterator[Document]]
StageFactory = Callable[[dict[str, Any]], StageFn]

_REGISTRY: dict[str, StageFactory] = {}
# Where each stage lives, so that the registry can be filled lazily (importing spaCy models for a
# run that does not need them would cost seconds).
STAGE_MODULES: dict[str, str] = {
    "language": "furat.language.stage",
    "entities": "furat.entities.stage",
    "geo": "furat.geo.stage",
    "actors": "furat.actors.stage",
    "time": "furat.time.stage",
    "events": "furat.events.stage",
    "claims": "furat.claims.stage",
    "persuasion": "furat.claims.persuasion.stage",
}


class UnknownStageError(ValueError):
    """A config or `--stages` names a stage that does not exist."""


def stage(name: str) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory under `name`."""

    def register(factory: StageFactory) -> StageFactory:
        _REGISTRY[name] = factory
        return factory

    return register


def get_stage(name: str) -> StageFactory:
    """The factory registered as `name`, importing its module on first use."""
    if name not in _REGISTRY and name in STAGE_MODULES:
        importlib.import_module(STAGE_MODULES[name])
    if name not in _REGISTRY:
        known = ", ".join(sorted(set(_REGISTRY) | set(STAGE_MODULES)))
        raise UnknownStageError(f"unknown stage {name!r} (known: {known})")
    return _REGISTRY[name]


def available_stages() -> list[str]:
    return sorted(set(_REGISTRY) | set(STAGE_MODULES))


def batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass
class Pipeline:
    """An ordered chain of stages, each built once from its config section."""

    names: list[str]
    config: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 64

    def __post_init__(self) -> None:
        self._fns: list[StageFn] = [
            get_stage(name)(dict(self.config.get(name, {}))) for name in self.names
        ]

    def run(self, docs: Iterable[Document], report: Reporter | None = None) -> Iterator[Document]:
        """Stream documents through every stage, one batch at a time. A stage that raises on a
        batch is run again document by document: a document it still fails on is said on
        `report` (one line) and kept without that stage, the rest of the batch goes on."""
        report = report or Reporter()
        for batch in batched(docs, self.batch_size):
            for name, fn in zip(self.names, self._fns, strict=True):
                batch = _run_stage(name, fn, batch, report)
            yield from batch

    @classmethod
    def from_config(cls, config: dict[str, Any], stages: list[str] | None = None) -> Pipeline:
        pipe_cfg = config.get("pipeline", {})
        names = stages if stages is not None else list(pipe_cfg.get("stages", []))
        return cls(names=names, config=config, batch_size=int(pipe_cfg.get("batch_size", 64)))


def _run_stage(name: str, fn: StageFn, batch: list[Document], report: Reporter) -> list[Document]:
    """`fn` over `batch`; on an error, over each document alone, a failing one kept as it was
    before the stage. When every document of a batch fails alone, the fault is the stage's, not
    the inputs': it is raised."""
    before = [_fields(doc) for doc in batch]
    try:
        return list(fn(batch))
    except Exception:
        for doc, fields in zip(batch, before, strict=True):
            doc.__dict__.update(fields)
    out, failures = [], []
    for doc, fields in zip(batch, before, strict=True):
        try:
            done = list(fn([doc]))
        except Exception as exc:
            failures.append(exc)
            doc.__dict__.update(fields)
            out.append(_failed(name, doc, exc, report))
            continue
        out.extend(done)
    if len(batch) > 1 and len(failures) == len(batch):
        raise failures[0]
    return out


def _fields(doc: Document) -> dict[str, Any]:
    """A snapshot of a document's fields (lists copied: stages assign or extend them)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in doc.__dict__.items()}


def _failed(name: str, doc: Document, exc: Exception, report: Reporter) -> Document:
    where = doc.source if doc.part == 0 else f"{doc.source} (article {doc.part + 1})"
    report.error(where, f"stage {name!r} failed ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
                 "document kept without it")
    return doc
