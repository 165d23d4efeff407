"""Configuration: package defaults, overridden by a user's TOML file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The defaults shipped in the package, with `path` (a TOML file) merged over them."""
    text = resources.files("furat").joinpath("defaults.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    if path is not None:
        config = _merge(config, tomllib.loads(Path(path).read_text(encoding="utf-8")))
    return config
