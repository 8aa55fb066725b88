"""``gocodemod list``: the recipes and bundles this workspace can run (:mod:`codemod.output.listing`)."""

from __future__ import annotations

from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import GocodemodError
from codemod.output.listing import gather, render_json, render_text
from codemod.run.workspace import open_workspace


@click.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Aligned lines (default) or JSON."
)
def list_command(fmt: str) -> None:
    """List the available recipes (id, safety, default or opt-in, description), then the bundles."""
    try:
        listing = gather(open_workspace(Path.cwd()).config)
    except GocodemodError as error:
        fail(error)
    click.echo(render_json(listing) if fmt == "json" else render_text(listing), nl=False)
