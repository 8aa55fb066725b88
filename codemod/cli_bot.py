"""``gocodemod bot``: the command line of the pull-request bot (see docs/bot.md).

Parses options, loads the recipes, builds the GitHub forge client and the
executor for per-repository work, runs :func:`codemod.bot.run_bot`, prints
the report (one line per repository and recipe) and exits 3 when anything
failed.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import click

from codemod.bot import BotOptions, BotReport, default_workspace, run_bot
from codemod.bot_branch import Author
from codemod.errors import EXIT_FAILED, EXIT_OK, GocodemodError, UsageError
from codemod.github import DEFAULT_API_URL, GitHubClient, GitHubForge
from codemod.recipe import BUILTIN_DIR, load_recipes

EXECUTORS = ("process", "thread", "inline", "dask")


class InlineExecutor(Executor):
    """Runs each submitted call at once in this process (debugging, tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def make_executor(kind: str, repositories: int) -> Executor:
    """The executor for per-repository work: local processes unless told otherwise."""
    workers = max(1, min(repositories, os.cpu_count() or 1))
    if kind == "inline":
        return InlineExecutor()
    if kind == "thread":
        return ThreadPoolExecutor(workers)
    if kind == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--executor dask needs the 'dask' extra: pip install 'gocodemod[dask]'") from None
        return Client().get_executor()
    return ProcessPoolExecutor(workers)


def read_repos_file(path: Path) -> list[str]:
    """One clone URL, ``owner/name`` or path per line; blank lines and ``#`` comments skipped."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def recipe_ref(recipe: Any) -> str:
    """How the reproduce command in a PR body names the recipe: its id if built in, else its file."""
    source = Path(recipe.source_path)
    if source.is_file() and not source.resolve().is_relative_to(BUILTIN_DIR):
        return str(source)
    return recipe.id


def print_report(report: BotReport, echo: Callable[[str], None]) -> None:
    for line in report.lines:
        echo(str(line))
    counts: dict[str, int] = {}
    for line in report.lines:
        counts[line.action] = counts.get(line.action, 0) + 1
    echo("summary: " + (", ".join(f"{n} {action}" for action, n in counts.items()) or "nothing to do"))


@click.command("bot")
@click.option("--repo", "repos", multiple=True, metavar="PATH_OR_URL",
              help="Repository: clone URL, owner/name, or a local clone with an origin remote (repeatable).")
@click.option("--repos", "repos_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File with one repository per line.")
@click.option("-r", "--recipe", "selectors", multiple=True, metavar="RECIPE",
              help="Recipe id, file or directory (repeatable).")
@click.option("--base", help="Base branch (default: the repository's default branch).")
@click.option("--branch-prefix", default="gocodemod/", show_default=True)
@click.option("--label", "labels", multiple=True, default=("gocodemod",), show_default=True,
              help="Label for new PRs (repeatable).")
@click.option("--draft", is_flag=True, help="Open PRs as drafts.")
@click.option("--reviewer", "reviewers", multiple=True, help="Request a review from this user (repeatable).")
@click.option("--max-open", default=10, show_default=True, type=click.IntRange(min=0),
              help="At most this many open bot PRs per repository.")
@click.option("--max-new", type=click.IntRange(min=0), help="At most this many new PRs in this run.")
@click.option("--dry-run", is_flag=True, help="Print every push and API write instead of doing it.")
@click.option("--api-url", envvar="GITHUB_API_URL", default=DEFAULT_API_URL, show_default=True,
              help="GitHub API base URL (GitHub Enterprise: https://HOST/api/v3).")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path),
              help="Cache of repository mirrors (default: ~/.cache/gocodemod/bot).")
@click.option("--executor", type=click.Choice(EXECUTORS), default="process", show_default=True,
              help="Where per-repository work runs.")
@click.option("--author", help="Commit author, 'Name <email>' (default: gocodemod-bot).")
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
    api_url: str,
    workspace: Path | None,
    executor: str,
    author: str | None,
) -> None:
    """Open and maintain one pull request per recipe on each repository."""
    try:
        targets = list(repos) + (read_repos_file(repos_file) if repos_file else []) or ["."]
        _check_prefix(branch_prefix)
        options = BotOptions(
            base=base, branch_prefix=branch_prefix, labels=labels, draft=draft, reviewers=reviewers,
            max_open=max_open, max_new=max_new, dry_run=dry_run,
            author=Author.parse(author) if author else Author(),
        )
        report = run_from_cli(targets, selectors, options, api_url=api_url,
                              workspace=workspace or default_workspace(), executor=executor)
    except GocodemodError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(error.exit_code)
    print_report(report, click.echo)
    ctx.exit(EXIT_FAILED if report.failed else EXIT_OK)


def _check_prefix(prefix: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9._/-]*", prefix) or ".." in prefix or prefix.startswith("/"):
        raise UsageError(f"--branch-prefix {prefix!r}: use letters, digits, '-', '_', '.' and '/'")


def run_from_cli(targets: list[str], selectors: tuple[str, ...], options: BotOptions, *,
                 api_url: str, workspace: Path, executor: str) -> BotReport:
    """Load recipes, build the GitHub client and executor, and run the bot."""
    token = os.environ.get("GITHUB_TOKEN")
    if not token and not options.dry_run:
        raise UsageError("GITHUB_TOKEN is not set: the bot needs a token to push and open pull requests")
    recipes = load_recipes(list(selectors))
    client = GitHubClient(token, api_url=api_url, dry_run=options.dry_run, echo=click.echo)
    pool = make_executor(executor, len(targets))
    try:
        return run_bot(
            targets, recipes, GitHubForge(client), options,
            workspace=workspace,
            forge_host=urlsplit(api_url).netloc or "forge",
            executor=pool,
            recipe_refs=[recipe_ref(recipe) for recipe in recipes],
            echo=click.echo,
        )
    finally:
        pool.shutdown()
        client.close()
