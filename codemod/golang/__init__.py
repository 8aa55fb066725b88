"""The golang layer: what Go means, read from syntax trees or bytes, beside the pattern layer.

Scopes and what they declare (:mod:`codemod.golang.scope`), which declaration
a name refers to and what a new name may be (:mod:`codemod.golang.resolution`),
imports (:mod:`codemod.golang.imports`), facts lexed from bytes without a
parse (:mod:`codemod.golang.lexer`), Go versions, and the real ``gofmt``
(:mod:`codemod.golang.gofmt`, :mod:`codemod.golang.gofmtsections`). It builds
on :mod:`codemod.syntax` only; rules, fixes and the engine ask it questions.
"""
