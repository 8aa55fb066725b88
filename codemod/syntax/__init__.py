"""The syntax layer, the bottom of the stack: Go source as tree-sitter trees.

Parsing, node texts and error locations (:mod:`codemod.syntax.tree`), the
per-tree index of nodes by kind that finding candidates is answered from
(:mod:`codemod.syntax.nodeindex`), and the release of per-package memory
(:mod:`codemod.syntax.memory`). It knows nothing of Go's meaning (that is
:mod:`codemod.golang`), of patterns or of rules, and imports none of them.
"""
