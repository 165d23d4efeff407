"""furat.cache: tables built from data files, kept between runs, rebuilt when a source changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from furat import cache
from furat.actors import kb as kbmod


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FURAT_CACHE", str(folder))
    return folder


def test_built_once_then_read_back_and_rebuilt_when_a_source_changes(tmp_path, cache_dir):
    source = tmp_path / "table.tsv"
    source.write_text("a\t1\n", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return {"rows": source.read_text(encoding="utf-8").splitlines()}

    assert cache.cached("t", [source], build) == {"rows": ["a\t1"]}
    assert cache.cached("t", [source], build) == {"rows": ["a\t1"]}
    assert len(calls) == 1
    source.write_text("a\t1\nb\t2\n", encoding="utf-8")
    assert cache.cached("t", [source], build) == {"rows": ["a\t1", "b\t2"]}
    assert len(calls) == 2
    for i in range(6):  # older keys beyond the last few are deleted
        source.write_text(f"v{i}\n", encoding="utf-8")
        assert cache.cached("t", [source], build) == {"rows": [f"v{i}"]}
    assert len(list((cache_dir / "t").glob("*.pickle"))) == cache.KEEP
    assert not list((cache_dir / "t").glob("*.tmp"))


def test_a_broken_pickle_is_rebuilt(tmp_path, cache_dir):
    source = tmp_path / "s"
    source.write_text("x", encoding="utf-8")
    cache.cached("t", [source], lambda: [1])
    (pickled,) = (cache_dir / "t").glob("*.pickle")
    pickled.write_bytes(b"not a pickle")
    assert cache.cached("t", [source], lambda: [2]) == [2]


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("FURAT_CACHE", str(blocker / "under-a-file"))
    source = tmp_path / "s"
    source.write_text("x", encoding="utf-8")
    assert cache.cached("t", [source], lambda: [3]) == [3]


def test_cached_actor_kb_is_the_kb_built_fresh_and_follows_its_data(tmp_path, cache_dir):
    data = tmp_path / "actors"
    shutil.copytree(kbmod._data_dir(), data)
    fresh = kbmod._build_kb(data)
    kbmod.load_kb.cache_clear()
    try:
        first = kbmod.load_kb(str(data))  # built, then written
        assert list((cache_dir / "actor-kb").glob("*.pickle"))
        kbmod.load_kb.cache_clear()
        again = kbmod.load_kb(str(data))  # read back
        assert again is not first
        assert again == fresh and first == fresh
        assert again.tables["fr"].aliases == fresh.tables["fr"].aliases
        assert list(again.tables["ar"].aliases) == list(fresh.tables["ar"].aliases)  # same order

        # a new curated actor is in the next load: the cache key follows the data files
        with open(data / "curated.tsv", "a", encoding="utf-8") as fh:
            fh.write("Brigade Test Zzyzx\tSYR\tREB\t\t\t\tBrigade Zzyzx\t\t\tx\n")
        kbmod.load_kb.cache_clear()
        changed = kbmod.load_kb(str(data))
        assert any(r.name == "Brigade Test Zzyzx" for r in changed.records)
        assert not any(r.name == "Brigade Test Zzyzx" for r in fresh.records)
    finally:
        kbmod.load_kb.cache_clear()
