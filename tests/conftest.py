"""Shared test helpers: where the seeds and test pages are, and running the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "pages"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `furat ARGS…` as a user would, capturing stdout and stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "furat.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        timeout=600,
    )


def documents_of(stdout: bytes) -> list[dict]:
    return json.loads(stdout.decode("utf-8"))["documents"]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not here")
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs(seeds_dir: Path) -> list[dict]:
    """`furat extract ../shared/seeds --format json`, run once for the session."""
    result = run_cli("extract", str(seeds_dir), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    return documents_of(result.stdout)


def by_seed(docs: list[dict], prefix: str) -> list[dict]:
    return [d for d in docs if Path(d["source"]).name.startswith(prefix)]
