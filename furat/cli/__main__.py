"""`python -m furat.cli`."""

from furat.cli import main

main()
