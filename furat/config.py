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


def load_config(path: Path | None = None, profile: str | None = None) -> dict[str, Any]:
    """The defaults shipped in the package, then the chosen profile's settings (`[profiles.<name>]`,
    chosen by `profile`, else `[pipeline] profile`), then `path` (a TOML file) merged over them:
    a profile is one switch for a set of models, and a user's own keys still win over it."""
    text = resources.files("furat").joinpath("defaults.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    user = tomllib.loads(Path(path).read_text(encoding="utf-8")) if path is not None else {}
    name = profile or user.get("pipeline", {}).get("profile") or config.get("pipeline", {}).get("profile")
    profiles = config.get("profiles", {})
    if name:
        if name not in profiles:
            raise ValueError(f"unknown profile {name!r} (one of {', '.join(sorted(profiles))})")
        config = _merge(config, profiles[name])
        config.setdefault("pipeline", {})["profile"] = name
    return _merge(config, user)
