"""The pattern layer: Go code with ``$METAVARIABLES``, compiled and matched structurally.

:mod:`codemod.pattern.compile` turns a pattern's text into a tree,
:mod:`codemod.pattern.matcher` finds and binds its matches in a file, and
:mod:`codemod.pattern.anchors` finds their candidates around the pattern's
rarest token while the tree has no index. It builds on :mod:`codemod.syntax`
only; the rules layer above composes patterns with the other rule keys.
"""
