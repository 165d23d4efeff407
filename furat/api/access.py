"""Database access for the API: a read-only Store per request, and one writer at a time.

DuckDB lets one process write or many read a file, and within one process it refuses a read-write
connection while read-only ones are open. So each request opens (and closes) its own read-only
Store, and a POST that stores a document waits until no request of this process is reading: a
readers-writer lock. An ingest in another process gets the file between requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from furat.store.db import Store

READ_WAIT_S = 5.0  # how long a request waits for an ingest's batch to be written


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

    @contextmanager
    def reader(self) -> Iterator[Store]:
        with self.lock.read(), Store(self.path, read_only=True, wait=READ_WAIT_S) as store:
            yield store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A Store in ingest mode (opens the file for each batch it writes), readers kept out."""
        with self.lock.write(), Store(self.path, ingest=True) as store:
            yield store
