"""Database access for the API: a read-only Store per request, and one writer at a time.

DuckDB lets one process write or many read a file, and within one process it refuses a read-write
connection while read-only ones are open. So each request opens (and closes) its own read-only
Store, and a POST that stores a document waits until no request of this process is reading: a
readers-writer lock. An ingest in another process gets the file between requests.

Starting a DuckDB database costs ~40 ms, opening one more connection to a started one ~0.05 ms: while
no `furat ingest` runs (no `<db>.ingest-lock` file), one idle read-only connection keeps the
database started, and a watcher drops it within a quarter second of an ingest starting.

The filtered event reads are answered from an in-memory `EventIndex` of the current generation
(furat/api/index.py), built once per generation and not while an ingest runs.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from furat.api.index import MAX_EVENTS, EventIndex
from furat.store.db import Store, StoreError

log = logging.getLogger("furat.api")

READ_WAIT_S = 5.0  # how long a request waits for an ingest's batch to be written
WATCH_S = 0.25  # how often the keep-warm connection looks for an ingest that wants the file


class ReadersWriter:
    """Many readers or one writer (a writer waits for the readers to finish; new readers wait for it)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._writing = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class Database:
    """The served database file and the lock that orders this process's readers and writer."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.lock = ReadersWriter()
        self._warm: duckdb.DuckDBPyConnection | None = None
        self._warm_lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self.on_write: Callable[[], None] = lambda: None  # e.g. drop cached answers
        self.writes = 0  # this process's own writes (they may keep the file's size and time)
        self._index: tuple[tuple[Any, ...], EventIndex | None] | None = None
        self._index_lock = threading.Lock()

    def generation(self) -> tuple[Any, ...]:
        """What identifies the database's content: the size and modification time of the file and
        its write-ahead log, and this process's write count. Cached answers and the events index are
        only used under the generation they were made in."""
        stamp: list[Any] = [self.writes]
        for path in (self.path, self.path + ".wal"):
            try:
                st = os.stat(path)
                stamp += [st.st_size, st.st_mtime_ns]
            except OSError:
                stamp += [None, None]
        return tuple(stamp)

    def ready_index(self) -> EventIndex | None:
        """The events index of the current generation if it is built (never waits)."""
        held = self._index
        return held[1] if held is not None and held[0] == self.generation() else None

    def index(self) -> EventIndex | None:
        """The events index of the current generation, built if need be (blocks: call it from a
        thread); None (the query goes to DuckDB) while another thread builds it, while an ingest
        runs (the generation changes with each batch) or when the store holds more than MAX_EVENTS
        events."""
        generation = self.generation()  # before reading: the index is never older than its key
        held = self._index
        if held is not None and held[0] == generation:
            return held[1]
        if self._ingest_running() or not Path(self.path).exists():
            return None
        if not self._index_lock.acquire(blocking=False):
            return None  # another thread is building it (~1 s for 10,000 events): DuckDB meanwhile
        try:
            held = self._index
            if held is not None and held[0] == generation:
                return held[1]
            with self.reader() as store:
                count = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
                index = EventIndex(store) if count <= MAX_EVENTS else None
            if index is not None:
                log.info("furat serve: %d events indexed in %.2f s", len(index), index.seconds)
            self._index = (generation, index)
            return index
        finally:
            self._index_lock.release()

    def build_index(self) -> None:
        """Build the index ahead of the first request (at start, in a thread)."""
        try:
            self.index()
        except (StoreError, OSError) as exc:
            log.warning("furat serve: events not indexed (%s)", exc)

    def _ingest_running(self) -> bool:
        return Path(self.path + ".ingest-lock").exists()

    def _keep_warm(self) -> None:
        """Hold one idle read-only connection (so each request's connection is cheap), unless an
        ingest is running: it needs the file between our requests."""
        if self._warm is not None or self._ingest_running() or not Path(self.path).exists():
            return
        with self._warm_lock:
            if self._warm is None:
                try:
                    self._warm = duckdb.connect(self.path, read_only=True)
                except duckdb.Error:
                    return
                if self._watcher is None:
                    self._watcher = threading.Thread(target=self._watch, name="furat-db-watch", daemon=True)
                    self._watcher.start()

    def _cool(self) -> None:
        with self._warm_lock:
            if self._warm is not None:
                self._warm.close()
                self._warm = None

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_S)
            if self._warm is not None and self._ingest_running():
                self._cool()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        with self.lock.read():
            self._keep_warm()
            with Store(self.path, read_only=True, wait=READ_WAIT_S) as store:
                yield store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A Store in ingest mode (opens the file for each batch it writes), readers kept out."""
        with self.lock.write():
            self._cool()
            try:
                with Store(self.path, ingest=True) as store:
                    yield store
            finally:
                self.writes += 1
                self._index = None
                self.on_write()
