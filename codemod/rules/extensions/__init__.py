"""Extension rule keys: facts about Go code that ast-grep's vocabulary cannot state.

Scope facts (``declared``, ``references``, ``captured``), flow facts
(``same-function``, ``written-after``), ``in-scope``, field facts
(``field-uses``, ``field-declarations``) and ``go-regexp`` (a string literal
that surely compiles as a Go regular expression). Each module holds its keys' rule
classes and compilers; a compiler receives the compiler of nested rule
objects as an argument, so nothing here imports upward, and the keys are
listed with the core ones in :data:`codemod.rules.compile.RULE_KEYS`.
"""
