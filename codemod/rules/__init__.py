"""The rules layer: what a recipe matches, as a tree of compiled rules.

A recipe's rule objects (ast-grep's vocabulary plus the extension keys)
compile here into :class:`codemod.rules.core.Rule` trees that match nodes of
a Go syntax tree, consulting the file's package through a
:class:`codemod.rules.core.MatchContext`. :mod:`codemod.rules.compile` holds
the one table of rule keys; :mod:`codemod.rules.visit` is the one walk over
compiled trees. The layer builds on patterns, Go facts and syntax, and
imports nothing from the layers above it (prefilter, fix, recipes, engine).
"""
