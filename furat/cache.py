"""Tables derived from furat's data files, kept in the user's cache folder between runs.

Some lookup tables take a second of Python to build from their source files (the actor knowledge
base: ~40,000 aliases) and are the same in every process until those files change: every run and
every `--workers` process paid for them. `cached` keeps the built value as a pickle under
`$FURAT_CACHE/<name>/` (default `~/.cache/furat`, as the encoder's folder), keyed by the SHA-256 of
the files it is built from (the data and the code that builds it) and the Python version, so that
a changed file is a new key (the last few keys are kept, older pickles deleted). A folder that
cannot be written only means no cache.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
KEEP = 4  # pickles kept per name: the current one and the three most recent before it


def cache_root() -> Path:
    """`$FURAT_CACHE` or `~/.cache/furat`."""
    return Path(os.environ.get("FURAT_CACHE") or Path.home() / ".cache" / "furat")


def sources_key(sources: Iterable[Path]) -> str:
    """SHA-256 of the Python version and each source file's name and bytes."""
    h = hashlib.sha256(f"{sys.version_info[:3]}|pickle{pickle.HIGHEST_PROTOCOL}".encode())
    for path in sources:
        h.update(f"|{path.name}|".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def cached(name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or the value it returned in an earlier run with the same `sources`."""
    folder = cache_root() / name
    path = folder / f"{sources_key(sources)}.pickle"
    try:
        with open(path, "rb") as handle:
            return _load(handle)
    except Exception:  # absent, unreadable, or not what this code pickles: built again
        pass
    value = build()
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or absent: another process may be reading the folder
        # earlier keys (their sources changed since): the newest few stay, for two checkouts
        # or versions used in turn
        others = sorted((p for p in folder.glob("*.pickle") if p != path),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP - 1:]:
            old.unlink(missing_ok=True)
    except Exception:  # a read-only or full disk: no cache, the value is still good
        if tmp:
            Path(tmp).unlink(missing_ok=True)
    return value


def _load(handle) -> object:
    """Unpickle with the cyclic garbage collector paused: the collections that the many new
    objects trigger (none of them garbage) took two thirds of the time (0.26 s → 0.08 s for the
    actor knowledge base)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()
