"""Starting the bot from a command line's words: the targets, the forge and its client, the executor.

The forge is given or guessed from the repositories' host (GitHub, or GitLab
when the host's name says so), its API URL defaulted from the CI environment,
its token read from ``GITHUB_TOKEN`` or ``GITLAB_TOKEN``; per-repository work
runs in local processes, threads, inline or on Dask. :func:`run_from_cli`
puts it together and returns the report that :mod:`codemod.cli.bot` prints.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from codemod.bot.branch import GitError, git
from codemod.bot.forge.base import Forge
from codemod.bot.forge.client import ForgeClient
from codemod.bot.forge.github import DEFAULT_API_URL as GITHUB_API_URL
from codemod.bot.forge.github import GitHubClient, GitHubForge
from codemod.bot.forge.gitlab import DEFAULT_API_URL as GITLAB_API_URL
from codemod.bot.forge.gitlab import GitLabClient, GitLabForge
from codemod.bot.reconcile import BotOptions, BotReport, run_bot
from codemod.errors import UsageError
from codemod.model import VERIFY_LEVELS
from codemod.recipes.load import BUILTIN_DIR, load_recipes
from codemod.run.executors import EXECUTORS as RUN_EXECUTORS
from codemod.run.lifeline import bind_to_parent, stopping_workers
from codemod.verify.toolchain import go_tool, require_go

# Where per-repository work runs: the run's words (local processes, dask) and the bot's own (threads, this process).
EXECUTORS = (*RUN_EXECUTORS, "thread", "inline")
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
    return ProcessPoolExecutor(workers, initializer=bind_to_parent, initargs=(os.getpid(),))  # die with the bot


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


def make_forge(
    kind: str, token: str | None, api_url: str, dry_run: bool, echo: Callable[[str], None]
) -> tuple[Forge, ForgeClient]:
    """The forge for ``kind`` and its HTTP client (to close when done)."""
    if kind == "gitlab":
        gitlab = GitLabClient(token, api_url=api_url, dry_run=dry_run, echo=echo)
        return GitLabForge(gitlab), gitlab
    github = GitHubClient(token, api_url=api_url, dry_run=dry_run, echo=echo)
    return GitHubForge(github), github


def recipe_ref(recipe: Any) -> str:
    """How the reproduce command in a PR body names the recipe: its id if built in, else its file."""
    source = Path(recipe.source_path)
    if source.is_file() and not source.resolve().is_relative_to(BUILTIN_DIR):
        return str(source)
    return recipe.id


def report_lines(report: BotReport) -> list[str]:
    """One line per repository and recipe, then a summary line of the actions taken."""
    counts: dict[str, int] = {}
    for line in report.lines:
        counts[line.action] = counts.get(line.action, 0) + 1
    summary = "summary: " + (", ".join(f"{n} {action}" for action, n in counts.items()) or "nothing to do")
    return [str(line) for line in report.lines] + [summary]


BOT_VERIFY_CHOICES = ("auto", "none", *VERIFY_LEVELS)


def bot_verify_level(choice: str) -> str | None:
    """The bot's ``--verify``: ``auto`` is ``build`` when a Go toolchain is found, else none;
    a level named outright needs the toolchain (one line saying how to get one)."""
    if choice == "none":
        return None
    if choice == "auto":
        return "build" if go_tool() is not None else None
    require_go()
    return choice


def check_prefix(prefix: str) -> None:
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
    echo: Callable[[str], None],
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
    chosen, client = make_forge(kind, token, api_url, options.dry_run, echo)
    pool = make_executor(executor, len(targets))
    stopping = stopping_workers(pool) if isinstance(pool, ProcessPoolExecutor) else contextlib.nullcontext()
    try:
        with stopping:  # Ctrl-C, SIGTERM or an error: the workers are killed, not waited for
            return run_bot(
                targets,
                recipes,
                chosen,
                options,
                workspace=workspace,
                forge_host=urlsplit(api_url).netloc or "forge",
                executor=pool,
                recipe_refs=[recipe_ref(recipe) for recipe in recipes],
                echo=echo,
            )
    finally:
        pool.shutdown()
        client.close()
