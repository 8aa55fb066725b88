"""One ``gocodemod run`` from start to finish: select, run, report, act, exit code.

The CLI turns flags into a :class:`RunRequest`; :func:`execute` picks the
mode (dry run, ``--check``, ``--write``, ``--interactive``, ``--commit``),
prints the report on stdout and the summary on stderr, and returns the
exit code: 0 ok, 1 in check mode for pending changes or findings at or
above ``--fail-on`` (default ``error``), 3 when some files failed. User
mistakes are raised as :class:`~codemod.errors.GocodemodError` (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.errors import EXIT_CHANGES, EXIT_FAILED, EXIT_OK, UsageError
from codemod.golang.gofmt import missing_notice, start_gofmt_lookup
from codemod.model import SEVERITIES, VERIFY_LEVELS
from codemod.output import report
from codemod.output.verifytext import verification_lines
from codemod.run.files import FileFilter, narrowing_prefixes
from codemod.run.runner import ProgressCallback, RunResult, run
from codemod.run.tasks import RunOptions, default_jobs
from codemod.run.workspace import Selection, Workspace, selection
from codemod.run.workspaces import combine, split_by_workspace, union_of_recipes

if TYPE_CHECKING:
    from rich.console import Console

    from codemod.apply.commit import CommitOutcome
    from codemod.recipes.adhoc import AdhocRequest

MODES = ("write", "check", "commit", "interactive")
FAIL_ON = ("never", *SEVERITIES)  # SEVERITIES rise from info to error
VERIFY_CHOICES = ("none", *VERIFY_LEVELS)


@dataclass(frozen=True)
class RunRequest:
    """Everything the command line said about a run."""

    selectors: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    mode: str | None = None  # one of MODES; None is a dry run
    fmt: str | None = None  # None: diff for dry runs and --check, no report otherwise
    jobs: int | None = None
    no_cache: bool = False
    executor: str | None = None  # None: local, or dask when a scheduler is given
    scheduler: str | None = None
    quiet: bool = False  # no progress and no summary; failures still shown
    fail_on: str | None = None  # one of FAIL_ON, with --check only; None: "error"
    allow_dirty: bool = False
    include_vendor: bool = False
    include_testdata: bool = False
    include_generated: bool = False
    report_unused_ignores: bool = False
    unsafe: bool = False  # with no -r, also the unsafe recipes (otherwise only safe and report ones)
    branch_prefix: str = "gocodemod/"
    author: str | None = None
    adhoc: AdhocRequest | None = None  # -p PATTERN [--rewrite TEMPLATE]: this recipe alone
    verify: str | None = None  # one of VERIFY_CHOICES; None: as .gocodemod.yaml says (default none)
    keep_unverified: bool = False  # --verify: keep the changes of packages failing before them


def choose_mode(**flags: bool) -> str | None:
    """The one mode flag given (``write=True`` -> ``"write"``), or None; two is an error."""
    chosen = [name for name in MODES if flags.get(name)]
    if len(chosen) > 1:
        raise UsageError("choose one of " + ", ".join(f"--{name}" for name in chosen))
    return chosen[0] if chosen else None


def choose_executor(executor: str | None, scheduler: str | None) -> str:
    """``--scheduler`` implies ``--executor dask``; with ``--executor local`` it is a mistake."""
    if scheduler and executor == "local":
        raise UsageError("--scheduler needs --executor dask")
    return executor or ("dask" if scheduler else "local")


def choose_fail_on(mode: str | None, fail_on: str | None) -> str:
    """The lowest finding severity that fails ``--check`` ("never": none does); only --check has one."""
    if fail_on is not None and mode != "check":
        raise UsageError("--fail-on needs --check")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    return fail_on or "error"


def exit_code(result: RunResult, *, check: bool, fail_on: str = "error") -> int:
    if result.failed:
        return EXIT_FAILED
    if check and (result.changed or _fails(result, fail_on)):
        return EXIT_CHANGES
    return EXIT_OK


def _fails(result: RunResult, fail_on: str) -> bool:
    """True when a finding is at or above severity ``fail_on``."""
    if fail_on == "never":
        return False
    lowest = SEVERITIES.index(fail_on)
    return any(
        SEVERITIES.index(finding.severity) >= lowest
        for file in result.results
        for finding in file.findings
        if finding.severity in SEVERITIES
    )


def choose_verify(flag: str | None, configured: str | None, keep_unverified: bool) -> str | None:
    """The verify level (None: off): ``--verify`` wins over ``verify:`` in .gocodemod.yaml.
    A level needs the Go toolchain, asked for before any work."""
    level = flag or configured
    level = None if level in (None, "none") else level
    if level is None and keep_unverified:
        raise UsageError("--keep-unverified needs --verify (or verify: in .gocodemod.yaml)")
    if level is not None:
        from codemod.verify.toolchain import require_go

        require_go()
    return level


def _selected_recipes(workspace: Workspace, request: RunRequest) -> Selection:
    """The run's recipes; with the cache on, recipe files loaded before are not parsed again.
    An ad-hoc pattern (``-p``) is the run's only recipe."""
    if request.adhoc is not None:
        from codemod.recipes.adhoc import adhoc_recipe

        if request.selectors or request.unsafe:
            raise UsageError(f"-p runs its pattern alone: drop {'-r' if request.selectors else '--unsafe'}")
        return Selection([adhoc_recipe(request.adhoc)])
    if request.no_cache:
        return selection(workspace.config, request.selectors, unsafe=request.unsafe)
    from codemod.cache.store import RecipeFileStore, ResultCache, default_cache_path

    cache = ResultCache(default_cache_path(workspace.repo_root))
    try:
        return selection(workspace.config, request.selectors, RecipeFileStore(cache), unsafe=request.unsafe)
    finally:
        cache.close()


@dataclass(frozen=True)
class _Group:
    """The paths of one workspace, with the recipes and options its configuration gives them."""

    workspace: Workspace
    paths: tuple[Path, ...]
    chosen: Selection
    options: RunOptions


def _prepare(workspace: Workspace, paths: tuple[Path, ...], request: RunRequest) -> _Group:
    chosen = _selected_recipes(workspace, request)
    if not chosen.recipes:  # a run of nothing would pass every check
        left_out = (
            f" ({len(chosen.left_out_unsafe)} unsafe left out: add --unsafe or -r ID)" if chosen.left_out_unsafe else ""
        )
        raise UsageError(f"no recipes to run: .gocodemod.yaml disables every one{left_out}; see 'gocodemod list'")
    options = RunOptions(
        file_filter=FileFilter(request.include_vendor, request.include_testdata, workspace.config.exclude),
        include_generated=request.include_generated,
        report_unused_ignores=request.report_unused_ignores,
        cache=not request.no_cache,
        executor=choose_executor(request.executor, request.scheduler),
        scheduler=request.scheduler,
        go_version_limits=workspace.config.go_versions,
    )
    return _Group(workspace, paths, chosen, options)


def _groups(request: RunRequest, cwd: Path) -> list[_Group]:
    """One group per workspace the paths lie in; with several, every path and recipe is checked before any runs."""
    groups = [_prepare(workspace, paths, request) for workspace, paths in split_by_workspace(cwd, request.paths)]
    if len(groups) > 1:
        if request.mode == "interactive":
            roots = ", ".join(str(group.workspace.root) for group in groups)
            raise UsageError(f"--interactive reviews one repository at a time; these paths lie in {roots}")
        union_of_recipes([group.chosen.recipes for group in groups])
        for group in groups:
            narrowing_prefixes(group.workspace.root, group.paths, cwd=cwd)
    return groups


def _run_group(
    group: _Group, request: RunRequest, jobs: int, progress: ProgressCallback | None, out: Console
) -> tuple[RunResult, list[CommitOutcome]]:
    root, recipes, paths, options = group.workspace.root, group.chosen.recipes, group.paths, group.options
    level = choose_verify(request.verify, group.workspace.config.verify, request.keep_unverified)
    verify = None
    if level:  # the toolchain checks are imported only by a run that asks for them
        from codemod.verify.session import VerifyRequest

        verify = VerifyRequest(level, options, jobs, request.keep_unverified, not request.no_cache)
    if request.mode == "commit":
        from codemod.apply.commit import commit_run

        return commit_run(
            root, recipes, paths=paths, jobs=jobs, options=options,
            prefix=request.branch_prefix, author=request.author, progress=progress, verify=verify,
        )  # fmt: skip
    if request.mode == "interactive":
        from codemod.apply.interactive import review

        console = getattr(out, "real", out)  # the reviewer drives a real rich console
        result, reviewer = review(
            root, recipes, paths=paths, options=options, console=console, allow_dirty=request.allow_dirty
        )
        if verify is not None:  # what was accepted is verified before anything is written
            verify.apply(result, accepted=reviewer.accepted_keys)
        return result, []
    only_reported = request.mode in (None, "check") and verify is None  # nothing is written or verified
    result = run(
        root, recipes, paths=paths, jobs=jobs, options=options, progress=progress, keep_sources=not only_reported
    )
    return (verify.apply(result) if verify is not None else result), []


def _write(results: list[RunResult], request: RunRequest, err: Console) -> bool:
    """Write each workspace's changes in its own repository; True when a file moved under the run."""
    from codemod.apply import writer

    if len(results) > 1 and not request.allow_dirty:  # refuse before any repository is written
        for part in results:
            dirty = writer.uncommitted_paths(part.root, (result.path for result in part.changed))
            if dirty:
                raise writer.RefusedWrite(
                    f"uncommitted changes in {part.root}", dirty, "commit or stash them, or pass --allow-dirty"
                )
    count, moved = 0, False
    for part in results:
        written = writer.write_run(
            part, allow_dirty=request.allow_dirty, on_wait=lambda line: err.print(line, highlight=False)
        )
        count += len(written.written)
        if written.moved:
            err.print(f"gocodemod: {written.moved_message()}", highlight=False, markup=False, soft_wrap=True)
            moved = True
    if not request.quiet:
        err.print(f"wrote {count} file{'s' * (count != 1)}", highlight=False)
    return moved


def execute(request: RunRequest, cwd: Path, out: Console, err: Console) -> int:
    """Carry out ``request`` from directory ``cwd``; returns the exit code.

    Paths in several workspaces (repositories) run one workspace after the
    other, each with its own configuration, and are written or committed in
    their own repository (:mod:`codemod.run.workspaces`); the report covers them all."""
    fail_on = choose_fail_on(request.mode, request.fail_on)
    start_gofmt_lookup()
    groups = _groups(request, cwd)
    jobs = request.jobs or default_jobs()
    results: list[RunResult] = []
    outcomes: list[tuple[Path, CommitOutcome]] = []
    show_progress = not request.quiet and err.is_terminal and request.mode != "interactive"
    with report.progress_bar(err, show_progress) as progress:
        for group in groups:
            part, found = _run_group(group, request, jobs, progress, out)
            results.append(part)
            outcomes.extend((group.workspace.root, outcome) for outcome in found)
    result = combine(results)
    if request.fmt is not None or request.mode in (None, "check"):
        report.emit(result, request.fmt or "diff", out)
    moved_files = request.mode in ("write", "interactive") and _write(results, request, err)
    for root, outcome in outcomes:  # with several repositories, each line names its own
        line = f"{root}: {outcome.describe()}" if len(groups) > 1 else outcome.describe()
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    notice = missing_notice() if result.changed else None
    if notice is not None:
        err.print(notice, highlight=False, markup=False, soft_wrap=True)
    left_out = tuple(dict.fromkeys(name for group in groups for name in group.chosen.left_out_unsafe))
    report.print_summary(err, result, left_out_unsafe=left_out, quiet=request.quiet)
    for line in verification_lines(result):  # withheld changes are never hidden, -q or not
        err.print(line, highlight=False, markup=False)
    return EXIT_FAILED if moved_files else exit_code(result, check=request.mode == "check", fail_on=fail_on)
