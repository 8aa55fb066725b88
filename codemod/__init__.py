"""gocodemod: a codemod engine for Go driven by declarative YAML recipes.

The public Python API lives in :mod:`codemod.api`; this package root only
carries the version so that importing it stays cheap in worker processes.
"""

__version__ = "0.1.0"
