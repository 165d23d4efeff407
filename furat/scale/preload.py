"""The first module the forkserver imports (`preload_modules`), before the stages' modules import
spaCy: worker processes start as lean as the `furat` command (furat/runtime.py)."""

from furat.runtime import hide_training_libraries

hide_training_libraries()
