"""The prefilter layer: which files could match a recipe at all, read from their bytes.

From each compiled recipe's rule tree it derives the tokens and token
sequences every match must contain, so that the engine skips, without
parsing, the files that lack them. It reads rules (through
:mod:`codemod.rules.visit`) and is read by the recipes and the engine.
"""
