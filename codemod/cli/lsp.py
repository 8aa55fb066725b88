"""``gocodemod lsp``: the language server on standard input and output (:mod:`codemod.lsp.handlers`)."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp_command(stdio: bool) -> None:
    """Run the language server: diagnostics and quick fixes for Go buffers, checks for recipe files."""
    from codemod.lsp.handlers import serve

    serve()
