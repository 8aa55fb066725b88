"""The recipes layer: recipe files read, checked and compiled, and the recipe format.

YAML documents become :class:`codemod.recipes.load.Recipe` objects and
bundles, with every problem reported at its line and column; the format is
defined once, by the tables the checks and the compilers use, and the JSON
Schema published for editors is generated from them. It builds on rules,
the prefilter and fixes.
"""
