"""What every furat process does before it imports its stages."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

# installed by the `train` extra only, to fine-tune the encoder; never used at run time
TRAINING_ONLY = ("torch",)


class _HiddenModules(importlib.abc.MetaPathFinder):
    """An import finder that makes `import torch` fail as if it were not installed. A finder, not a
    `None` in `sys.modules`: libraries that look torch up there (scipy's array API helpers, under
    scikit-learn) must find no entry at all, not a None."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname.partition(".")[0] in TRAINING_ONLY:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden at run time)", name=fullname)
        return None


def hide_training_libraries() -> None:
    """Make `import torch` fail in this process unless it is already imported.

    Why: thinc, spaCy's machine-learning library, imports torch at `import spacy` whenever it is
    installed (as it did tensorflow: explosion/thinc#894), and treats a failed import as "no torch".
    With the `train` extra installed that is ~0.9 s and ~130 MB in every furat process (each worker
    too) for a library furat's run time never calls (its encoder runs on onnxruntime). A training
    script that imported torch first keeps it."""
    if any(name in sys.modules for name in TRAINING_ONLY):
        return
    if not any(isinstance(finder, _HiddenModules) for finder in sys.meta_path):
        sys.meta_path.insert(0, _HiddenModules())
