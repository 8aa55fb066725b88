"""The output layer: what a finished run says, in every format, deterministically.

The report on stdout (plain or highlighted diff, ``stat``, JSON, SARIF:
:mod:`codemod.output.report`, :mod:`codemod.output.diff`,
:mod:`codemod.output.sarif`), the end-of-run summary on stderr
(:mod:`codemod.output.summary`) and a console that imports rich only when
something needs styling (:mod:`codemod.output.console`). It reads a run's
results and writes text; it changes no file and runs no recipe.
"""
