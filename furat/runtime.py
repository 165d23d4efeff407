"""What every furat process does before it imports its stages."""

from __future__ import annotations

import sys

# installed by the `train` extra only, to fine-tune the encoder; never used at run time
TRAINING_ONLY = ("torch",)


def hide_training_libraries() -> None:
    """Make `import torch` fail in this process unless it is already imported.

    Why: thinc, spaCy's machine-learning library, imports torch at `import spacy` whenever it is
    installed (as it did tensorflow: explosion/thinc#894), and treats a failed import as "no torch".
    With the `train` extra installed that is ~0.9 s and ~130 MB in every furat process (each worker
    too) for a library furat's run time never calls (its encoder runs on onnxruntime). A training
    script that imported torch first keeps it."""
    for name in TRAINING_ONLY:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]
