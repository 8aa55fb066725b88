"""``python -m codemod.cli``: the same program as the ``gocodemod`` console script."""

from codemod.cli.main import entry

entry()
