"""``gocodemod bot``: the command line of the pull-request bot (see docs/bot.md).

Parses options and hands them to :func:`codemod.bot.launch.run_from_cli`
(recipes, forge, client, executor), prints the report (one line per
repository and recipe) and exits 3 when anything failed.
"""

from __future__ import annotations

from pathlib import Path

import click

from codemod.bot.branch import Author
from codemod.bot.launch import (
    BOT_VERIFY_CHOICES,
    EXECUTORS,
    FORGES,
    bot_verify_level,
    check_prefix,
    read_repos_file,
    report_lines,
    run_from_cli,
)
from codemod.bot.reconcile import BotOptions, default_workspace
from codemod.cli.options import author_option, branch_prefix_option, executor_option, recipe_option
from codemod.errors import EXIT_FAILED, EXIT_OK, GocodemodError


@click.command("bot")
@click.option(
    "--repo",
    "repos",
    multiple=True,
    metavar="PATH_OR_URL",
    help="Repository: clone URL, owner/name, or a local clone with an origin remote (repeatable).",
)
@click.option(
    "--repos",
    "repos_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File with one repository per line.",
)
@recipe_option("Recipe, bundle, YAML file or directory (repeatable), as for run.")
@click.option("--base", help="Base branch (default: the repository's default branch).")
@branch_prefix_option("Branch name prefix of the bot's branches.")
@click.option(
    "--label",
    "labels",
    multiple=True,
    default=("gocodemod",),
    show_default=True,
    help="Label for new PRs (repeatable).",
)
@click.option("--draft", is_flag=True, help="Open PRs as drafts.")
@click.option("--reviewer", "reviewers", multiple=True, help="Request a review from this user (repeatable).")
@click.option(
    "--max-open",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="At most this many open bot PRs per repository.",
)
@click.option("--max-new", type=click.IntRange(min=0), help="At most this many new PRs in this run.")
@click.option("--dry-run", is_flag=True, help="Print every push and API write instead of doing it.")
@click.option(
    "--forge",
    type=click.Choice(FORGES),
    help="Where the repositories are hosted (default: gitlab when their URLs' host says so, else github).",
)
@click.option(
    "--api-url",
    help="API base URL. Default: $GITHUB_API_URL or https://api.github.com "
    "(GitHub Enterprise: https://HOST/api/v3); for GitLab $CI_API_V4_URL, else https://HOST/api/v4 "
    "of the repository URLs, else https://gitlab.com/api/v4.",
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    help="Cache of repository mirrors (default: ~/.cache/gocodemod/bot).",
)
@executor_option(
    EXECUTORS, "local", "Where per-repository work runs: local processes, threads, inline (this process) or Dask."
)
@author_option("Commit author (default: gocodemod-bot).")
@click.option(
    "--verify",
    type=click.Choice(BOT_VERIFY_CHOICES),
    default="auto",
    show_default=True,
    help="Check each recipe's changes with go build|vet|test first; auto: build when a Go toolchain is found.",
)
@click.pass_context
def bot_command(
    ctx: click.Context,
    repos: tuple[str, ...],
    repos_file: Path | None,
    selectors: tuple[str, ...],
    base: str | None,
    branch_prefix: str,
    labels: tuple[str, ...],
    draft: bool,
    reviewers: tuple[str, ...],
    max_open: int,
    max_new: int | None,
    dry_run: bool,
    forge: str | None,
    api_url: str | None,
    workspace: Path | None,
    executor: str,
    author: str | None,
    verify: str,
) -> None:
    """Open and maintain one pull request per recipe on each repository."""
    try:
        targets = list(repos) + (read_repos_file(repos_file) if repos_file else []) or ["."]
        check_prefix(branch_prefix)
        options = BotOptions(
            base=base,
            branch_prefix=branch_prefix,
            labels=labels,
            draft=draft,
            reviewers=reviewers,
            max_open=max_open,
            max_new=max_new,
            dry_run=dry_run,
            author=Author.parse(author) if author else Author(),
            verify=bot_verify_level(verify),
        )
        report = run_from_cli(
            targets,
            selectors,
            options,
            forge=forge,
            api_url=api_url,
            workspace=workspace or default_workspace(),
            executor=executor,
            echo=click.echo,
        )
    except GocodemodError as error:
        for line in str(error).splitlines():
            click.echo(f"gocodemod: {line}", err=True)
        ctx.exit(error.exit_code)
    for line in report_lines(report):
        click.echo(line)
    ctx.exit(EXIT_FAILED if report.failed else EXIT_OK)
