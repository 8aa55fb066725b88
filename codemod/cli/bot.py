"""``gocodemod bot``: the command line of the pull-request bot (see docs/bot.md).

Parses options, loads the recipes, picks the forge (GitHub or GitLab: given
with ``--forge`` or guessed from the repository URLs' host), builds its client
and the executor for per-repository work, runs :func:`codemod.bot.reconcile.run_bot`, prints
the report (one line per repository and recipe) and exits 3 when anything
failed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from codemod.bot.branch import Author, GitError, git
from codemod.bot.forge.base import Forge, ForgeClient
from codemod.bot.forge.github import DEFAULT_API_URL as GITHUB_API_URL
from codemod.bot.forge.github import GitHubClient, GitHubForge
from codemod.bot.forge.gitlab import DEFAULT_API_URL as GITLAB_API_URL
from codemod.bot.forge.gitlab import GitLabClient, GitLabForge
from codemod.bot.reconcile import BotOptions, BotReport, default_workspace, run_bot
from codemod.errors import EXIT_FAILED, EXIT_OK, GocodemodError, UsageError
from codemod.recipes.load import BUILTIN_DIR, load_recipes

EXECUTORS = ("process", "thread", "inline", "dask")
FORGES = ("github", "gitlab")
TOKEN_VARIABLES = {"github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN"}
_SCP_HOST = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):")


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


def repo_host(target: str) -> str | None:
    """The host of a clone URL, an scp-like address or a local clone's origin; None for ``owner/name``."""
    path = Path(target).expanduser()
    if path.exists():
        try:
            target = git(path, "config", "--get", "remote.origin.url")
        except GitError:
            return None
    scp = _SCP_HOST.match(target)
    if scp:
        return scp["host"]
    return urlsplit(target).hostname if "://" in target else None


def guess_forge(targets: list[str]) -> str:
    """``gitlab`` when the repositories are on a host whose name says GitLab, else ``github``."""
    hosts = {host for host in map(repo_host, targets) if host}
    on_gitlab = {host for host in hosts if "gitlab" in host}
    if on_gitlab and on_gitlab != hosts:
        raise UsageError(
            f"repositories on GitLab and other hosts ({', '.join(sorted(hosts))}): "
            "choose one with --forge and run the bot once per forge"
        )
    return "gitlab" if on_gitlab else "github"


def default_api_url(forge: str, targets: list[str]) -> str:
    """GitHub: ``$GITHUB_API_URL`` or api.github.com. GitLab: ``$CI_API_V4_URL``, else
    ``https://HOST/api/v4`` when all repository URLs name one HOST, else gitlab.com."""
    if forge == "github":
        return os.environ.get("GITHUB_API_URL") or GITHUB_API_URL
    if os.environ.get("CI_API_V4_URL"):
        return os.environ["CI_API_V4_URL"]
    hosts = {host for host in map(repo_host, targets) if host}
    return f"https://{hosts.pop()}/api/v4" if len(hosts) == 1 else GITLAB_API_URL


def make_forge(kind: str, token: str | None, api_url: str, dry_run: bool) -> tuple[Forge, ForgeClient]:
    """The forge for ``kind`` and its HTTP client (to close when done)."""
    if kind == "gitlab":
        gitlab = GitLabClient(token, api_url=api_url, dry_run=dry_run, echo=click.echo)
        return GitLabForge(gitlab), gitlab
    github = GitHubClient(token, api_url=api_url, dry_run=dry_run, echo=click.echo)
    return GitHubForge(github), github


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
@click.option(
    "-r", "--recipe", "selectors", multiple=True, metavar="RECIPE", help="Recipe id, file or directory (repeatable)."
)
@click.option("--base", help="Base branch (default: the repository's default branch).")
@click.option("--branch-prefix", default="gocodemod/", show_default=True)
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
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="process",
    show_default=True,
    help="Where per-repository work runs.",
)
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
    forge: str | None,
    api_url: str | None,
    workspace: Path | None,
    executor: str,
    author: str | None,
) -> None:
    """Open and maintain one pull request per recipe on each repository."""
    try:
        targets = list(repos) + (read_repos_file(repos_file) if repos_file else []) or ["."]
        _check_prefix(branch_prefix)
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
        )
        report = run_from_cli(
            targets,
            selectors,
            options,
            forge=forge,
            api_url=api_url,
            workspace=workspace or default_workspace(),
            executor=executor,
        )
    except GocodemodError as error:
        for line in str(error).splitlines():
            click.echo(f"gocodemod: {line}", err=True)
        ctx.exit(error.exit_code)
    print_report(report, click.echo)
    ctx.exit(EXIT_FAILED if report.failed else EXIT_OK)


def _check_prefix(prefix: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9._/-]*", prefix) or ".." in prefix or prefix.startswith("/"):
        raise UsageError(f"--branch-prefix {prefix!r}: use letters, digits, '-', '_', '.' and '/'")


def run_from_cli(
    targets: list[str],
    selectors: tuple[str, ...],
    options: BotOptions,
    *,
    forge: str | None,
    api_url: str | None,
    workspace: Path,
    executor: str,
) -> BotReport:
    """Load recipes, build the forge client and executor, and run the bot."""
    kind = forge or guess_forge(targets)
    token_variable = TOKEN_VARIABLES[kind]
    token = os.environ.get(token_variable)
    if not token and not options.dry_run:
        requests = "merge requests" if kind == "gitlab" else "pull requests"
        raise UsageError(f"{token_variable} is not set: the bot needs a token to push and open {requests}")
    api_url = api_url or default_api_url(kind, targets)
    recipes = load_recipes(list(selectors))
    chosen, client = make_forge(kind, token, api_url, options.dry_run)
    pool = make_executor(executor, len(targets))
    try:
        return run_bot(
            targets,
            recipes,
            chosen,
            options,
            workspace=workspace,
            forge_host=urlsplit(api_url).netloc or "forge",
            executor=pool,
            recipe_refs=[recipe_ref(recipe) for recipe in recipes],
            echo=click.echo,
        )
    finally:
        pool.shutdown()
        client.close()
