"""What every furat process does before it imports its stages."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

# installed by the `train` extra only, to fine-tune the encoder; never used at run time
TRAINING_ONLY = ("torch",)
# the module that imports them at `import spacy` whenever they are installed
EAGER_IMPORTER = "thinc.compat"


class _WithoutTrainingLibraries(importlib.abc.Loader):
    """Runs a module's code while `import torch` fails, then leaves `sys.modules` as it was."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hidden = [name for name in TRAINING_ONLY if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # makes `import torch` fail
        try:
            self.inner.exec_module(module)
        finally:
            for name in hidden:
                if sys.modules.get(name, False) is None:
                    del sys.modules[name]


class _EagerImporterFinder(importlib.abc.MetaPathFinder):
    """Finds thinc.compat as usual, with a loader that hides torch while it runs."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != EAGER_IMPORTER:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _WithoutTrainingLibraries(spec.loader)  # type: ignore[arg-type]
        return spec


def hide_training_libraries() -> None:
    """Keep torch out of this process unless something really asks for it.

    Why: thinc, spaCy's machine-learning library, imports torch at `import spacy` whenever it is
    installed (as it did tensorflow: explosion/thinc#894), and treats a failed import as "no torch".
    With the `train` extra installed that is ~0.9 s and ~130 MB in every furat process (each worker
    too) for a library furat's run time never calls (its encoder runs on onnxruntime). Only thinc's
    import is made to fail: a `None` left in `sys.modules`, or a finder that refuses torch to
    everyone, breaks the libraries that look torch up (scipy's array API helpers under
    scikit-learn read `sys.modules`; onnxruntime.tools asks `importlib.util.find_spec`). A training
    script that imported torch first keeps it."""
    if EAGER_IMPORTER in sys.modules or any(name in sys.modules for name in TRAINING_ONLY):
        return
    if not any(isinstance(finder, _EagerImporterFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _EagerImporterFinder())
