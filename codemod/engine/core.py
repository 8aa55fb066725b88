"""The engine: one file (or one package) times recipes gives FileResults.

``run_file`` and ``run_package`` are pure and never raise: whatever goes
wrong becomes a ``failed`` result with the reason. One parse per pass serves
every recipe; each pass collects every recipe's fixes, accepts the ones that
do not overlap, applies them with their import changes, and checks that the
new text parses no worse than the old. Passes repeat until nothing changes
(capped). Before each pass the literal prefilter (:mod:`codemod.prefilter.requirements`)
drops the recipes whose tokens the source lacks; a file left with none is
not parsed at all. Rendering and writing happen elsewhere.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tree_sitter import Tree

from codemod.engine import guard
from codemod.engine.decisions import Decisions, is_piece
from codemod.engine.naming import FreshNames, hidden_import
from codemod.engine.packageview import PackageView
from codemod.engine.suppress import Suppressions, may_hold_directives
from codemod.engine.syntaxerrors import SyntaxErrorGuard
from codemod.fix.edits import EditSet, apply_edits, to_line_endings, uses_crlf
from codemod.fix.plan import FixContext, plan_fix
from codemod.golang import gofmt, imports, scope
from codemod.golang.gofmtsections import format_edited
from codemod.golang.lexer import VarDeclarers, declarers_within, may_declare_var, own_package, package_groups
from codemod.golang.versions import file_go_version, version_at_least
from codemod.model import Change, Edit, FileResult, Finding, Position, Status
from codemod.pattern.matcher import Target
from codemod.prefilter.requirements import prefilter_for
from codemod.recipes.load import Recipe
from codemod.rules.core import MatchContext
from codemod.syntax import memory
from codemod.syntax.errorregions import NO_REGIONS, error_regions
from codemod.syntax.tree import LineIndex, error_count, first_error, parse, parse_count, reparse

MAX_PASSES = 12
GENERATED_RE = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


@dataclass
class Options:
    go_version: str | None = None
    decide: Callable[[Change], bool] | None = None  # asked once per fix (codemod.engine.decisions)
    on_pass: Callable[[bytes], None] | None = None  # told each pass's source before its changes are decided
    include_generated: bool = False
    format_with_gofmt: bool = True
    suppressions: bool = True
    report_unused_ignores: bool = False


def is_generated(data: bytes) -> bool:
    """Go's convention: a ``// Code generated ... DO NOT EDIT.`` line before the package clause."""
    head_end = re.search(rb"(?m)^package\s", data)
    return GENERATED_RE.search(data, 0, head_end.start() if head_end else len(data)) is not None


def run_package(
    files: Mapping[str, bytes],
    recipes: list[Recipe],
    *,
    admitted: Mapping[str, frozenset[str]] | None = None,
    var_declarers: VarDeclarers | None = None,
    **options,
) -> list[FileResult]:
    """Run recipes over every file of one package directory (sorted by path).

    Each package of the directory is its own package here, as in Go: the
    external tests ``p_test`` and a ``package main`` generator do not share
    ``p``'s names (:func:`codemod.golang.lexer.package_groups`).

    ``admitted`` is the prefilter's verdict on each file for these very
    ``recipes`` (:meth:`codemod.prefilter.requirements.Prefilter.may_match`), when known;
    ``var_declarers`` what lexing these very files for var names found
    (:meth:`codemod.golang.lexer.PackageVarOracle.known`).
    """
    parsed_before = parse_count()
    results: dict[str, FileResult] = {}
    for group in package_groups(files):  # p and p_test in one directory are two packages
        known = declarers_within(var_declarers, group) if len(group) < len(files) else var_declarers
        view = PackageView(
            group, {path: ids for path, ids in (admitted or {}).items() if path in group}, var_declarers=known
        )
        results.update((path, run_file(path, group[path], recipes, package=view, **options)) for path in group)
        view.close()
    if parse_count() != parsed_before:  # a package the prefilter ruled out entirely holds nothing to release
        memory.release()
    return [results[path] for path in sorted(files)]


def run_file(
    path: str,
    data: bytes,
    recipes: list[Recipe],
    *,
    package_sources: Mapping[str, bytes] | None = None,
    package: PackageView | None = None,
    **options,
) -> FileResult:
    """Run recipes over one file's bytes; never raises.

    ``package_sources``: the files of its directory; only those of its own
    package (same package clause) are its package.
    """
    view = package or PackageView(own_package(path, data, package_sources or {}))
    try:
        return _FileRun(path, data, recipes, view, Options(**options)).run()
    except Exception as error:  # the engine never raises: report and move on
        return FileResult(path, Status.FAILED, reason=f"internal error: {type(error).__name__}: {error}")
    finally:
        if package is None:
            view.close()  # made here: nothing else will ask it again


def recipe_applies(recipe: Recipe, path: str, go_version: str | None) -> bool:
    """Go-version gate and files/ignores globs."""
    if recipe.go and go_version and not version_at_least(go_version, recipe.go):
        return False
    posix = path.replace("\\", "/")
    if recipe.files and not any(_glob(posix, pattern) for pattern in recipe.files):
        return False
    return not any(_glob(posix, pattern) for pattern in recipe.ignores)


def _glob(path: str, pattern: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return (
        fnmatch.fnmatch(path, pattern)
        or fnmatch.fnmatch(base, pattern)
        or (pattern.startswith("**/") and fnmatch.fnmatch(base, pattern[3:]))
    )


class _FileRun:
    def __init__(self, path: str, data: bytes, recipes: list[Recipe], package: PackageView, options: Options):
        self.path, self.data, self.package, self.options = path, data, package, options
        self.all_recipes = tuple(recipes)
        self._recipes: list[Recipe] | None = None
        self.result = FileResult(path, Status.UNCHANGED)
        self.crlf = uses_crlf(data)
        self.decisions = Decisions(options.decide)  # one question per fix; declined ones not asked again
        self.syntax_guard: SyntaxErrorGuard | None = None  # set when the file holds syntax errors
        self.go_version = file_go_version(data, options.go_version)  # a //go:build go1.N line sets it

    @property
    def recipes(self) -> list[Recipe]:
        """The recipes that apply to this file (its Go version, files and ignores globs)."""
        if self._recipes is None:
            self._recipes = [r for r in self.all_recipes if recipe_applies(r, self.path, self.go_version)]
        return self._recipes

    def run(self) -> FileResult:
        if not self.options.include_generated and is_generated(self.data):
            return self._skip("generated file (// Code generated ... DO NOT EDIT.)")
        if self.package.admitted.get(self.path) == frozenset() and not self._may_report_unused_ignores():
            return self.result  # the caller's prefilter ruled every recipe out
        if not self.recipes:
            return self.result
        if not self._admitted(self.data) and not self._may_report_unused_ignores():
            return self.result  # the prefilter rules every recipe out: no parse
        tree = original_tree = self.package.tree(self.path, self.data)
        regions = error_regions(tree)
        if regions:  # edited only outside its error regions (codemod.engine.syntaxerrors), or not at all
            problem = regions.first
            assert problem is not None
            where = f"{self.path}:{problem.line}:{problem.column}: {problem.description}"
            self.syntax_guard = None if regions.whole_file else SyntaxErrorGuard(self.data, tree, regions)
            working = self.syntax_guard.working_tree(self.data, tree) if self.syntax_guard is not None else None
            if working is None:  # nothing outside the regions can be edited
                self.result.warnings.append(where)
                return self._skip(f"syntax error at {problem.line}:{problem.column}: {problem.message}")
            self.result.warnings.append(f"{where}; no edits in {regions.describe(self.data)}")
            tree = original_tree = working
        self.suppressions = Suppressions.from_source(self.data, tree.root_node) if self.options.suppressions else None
        source = self.data
        for pass_index in range(MAX_PASSES):
            outcome = self._pass(source, tree, pass_index)
            if outcome is None:
                break
            source, tree = outcome
            if self.result.status is Status.FAILED:
                return self.result
        else:
            self.result.warnings.append(f"{self.path}: stopped after {MAX_PASSES} passes without reaching a fixpoint")
        self.result.passes = pass_index + 1
        if self.syntax_guard is not None and self.syntax_guard.dropped:
            count = self.syntax_guard.dropped
            self.result.warnings.append(
                f"{self.path}: {count} match{'es' * (count != 1)} skipped: they touch or depend on syntax-error regions"
            )
        if self.options.report_unused_ignores and self.suppressions is not None:
            for line, text in self.suppressions.unused([recipe.id for recipe in self.all_recipes]):
                self.result.findings.append(
                    Finding(
                        "gocodemod:unused-ignore",
                        Position(line, 1),
                        Position(line, 1),
                        f"unused suppression: {text}",
                        "info",
                        text,
                    )
                )
        if source != self.data:
            return self._finish(source, tree, original_tree)
        return self.result

    def _admitted(self, source: bytes) -> list[Recipe]:
        """The applicable recipes whose literal tokens and shapes all occur in ``source``."""

        if source is self.data and self.path in self.package.admitted:
            ids = self.package.admitted[self.path]  # the caller's prefilter searched these bytes already
            return [recipe for recipe in self.recipes if recipe.id in ids]

        def package_vars(name: bytes) -> bool:  # this file as it is now, or another file of the package
            if self.package.sources.get(self.path) is source:
                return self.package.var_oracle(name)
            return may_declare_var(source, name) or self.package.var_oracle(name, exclude=self.path)

        may_match = prefilter_for(self.all_recipes).may_match(source, package_vars)
        return [recipe for recipe in self.recipes if recipe.id in may_match]

    def _may_report_unused_ignores(self) -> bool:
        return self.options.report_unused_ignores and self.options.suppressions and may_hold_directives(self.data)

    def _skip(self, reason: str) -> FileResult:
        self.result.status, self.result.reason = Status.SKIPPED, reason
        return self.result

    def _finish(self, source: bytes, tree: Tree, original_tree: Tree) -> FileResult:
        ids = ", ".join(self.result.recipe_ids())
        lost = guard.whole_file_problem(original_tree, source, tree)  # a complete Go file, whatever gofmt takes
        if lost is not None:
            return self._fail(f"recipe {ids} {lost}; file left unchanged")
        if gofmt.available():
            # Go's parser checks the result whether or not the file was gofmt-clean;
            # the result is gofmt'ed only if the file was clean before, and a result
            # gofmt leaves alone (the usual case) needs no look at the original.
            # gofmt sees only the top-level sections that changed (gofmtsections).
            formatted = format_edited(self.data, original_tree.root_node, source, tree.root_node, gofmt.format_source)
            if formatted is None:
                formatted, rejection = gofmt.format_source(source)
                where = guard.go_rejection(self.data, rejection) if formatted is None else None
                if where is not None:
                    return self._fail(
                        f"recipe {ids} produced code that Go does not accept ({where}); file left unchanged"
                    )
            if (
                self.options.format_with_gofmt
                and formatted is not None
                and formatted != source
                and gofmt.is_formatted(self.data)
            ):
                source = formatted
        if source == self.data:
            self.result.changes.clear()
            return self.result
        unproven = self.syntax_guard.proof(source) if self.syntax_guard is not None else None
        if unproven is not None:
            return self._fail(f"recipe {ids} {unproven}; file left unchanged")
        self.result.status, self.result.new_source = Status.CHANGED, source
        return self.result

    def _fail(self, reason: str) -> FileResult:
        self.result.status, self.result.reason, self.result.new_source = Status.FAILED, reason, None
        self.result.changes.clear()
        return self.result

    def _allowed(self, recipe: Recipe, offset: int) -> bool:
        return self.suppressions is None or self.suppressions.allows(recipe.id, offset)

    def _pass(self, source: bytes, tree: Tree, pass_index: int) -> tuple[bytes, Tree] | None:
        root = tree.root_node
        if self.suppressions is not None:
            self.suppressions = self.suppressions.follow(source, root)  # what they cover in this pass's source
        edit_set = EditSet()
        lines = LineIndex(source)  # line and column of each match, without a scan of the source per match
        accepted: list[tuple[Recipe, Change]] = []
        names = FreshNames(lambda hint: self.package.names(self.path, (hint.encode(),)))

        original = source is self.data and self.package.sources.get(self.path) is self.data
        original = original and self.syntax_guard is None  # not the package's tree of this file: no shared memo
        error_guard = self.syntax_guard
        regions = error_guard.start_pass() if error_guard is not None else NO_REGIONS  # moved by earlier passes
        if self.options.on_pass is not None:
            self.options.on_pass(source)
        for recipe in self._admitted(source):
            pieces: list[tuple[Change, int]] = []  # matches that are parts of this recipe's one fix
            memo = self.package.original_memo(recipe.id) if original else {}
            ctx = MatchContext(
                source, root, recipe.utils, lambda: self.package.roots(self.path),
                memo=memo,
                package_roots_with=lambda needles, accept=None: self.package.roots(self.path, needles, accept),
                go_version=self.go_version,
            )  # fmt: skip
            qualifiers = self._qualifiers(tree, recipe)
            fctx = FixContext(source, ctx, qualifiers, names.fresh)
            for target, env in recipe.rule.search(root, ctx, {}, recipe.search_hints):
                if not self._constraints_hold(recipe, target, env, ctx):
                    continue
                if not self._allowed(recipe, target.start_byte):
                    continue
                snippet = source[target.start_byte : target.end_byte].decode("utf-8", errors="replace")
                if error_guard is not None and error_guard.drops(regions, recipe, target, source, snippet):
                    continue
                start = Position(*lines.line_col(target.start_byte))
                end = Position(*lines.line_col(target.end_byte))
                if recipe.fix is None:
                    if pass_index == 0:
                        self._report(recipe, start, end, snippet, self._message(recipe, env, source))
                    continue
                mark = names.mark()
                outcome = plan_fix(recipe.fix, target, env, fctx)
                refused = outcome.refused or hidden_import(root, source, recipe, qualifiers, outcome.edits)
                if refused is not None:
                    names.release(mark)  # a fix that is not applied frees its fresh names
                    if pass_index == 0:
                        self._report(recipe, start, end, snippet, refused)
                    continue
                if not outcome.edits or self.decisions.was_declined(recipe.id, target.start_byte, snippet, pass_index):
                    names.release(mark)
                    continue
                edits = tuple(Edit(e.start, e.end, to_line_endings(e.text, self.crlf)) for e in outcome.edits)
                if error_guard is not None and error_guard.drops(regions, recipe, target, source, snippet, edits):
                    names.release(mark)
                    continue
                change = Change(
                    recipe.id,
                    start,
                    end,
                    snippet,
                    outcome.replacement,
                    edits,
                    pass_index,
                    self._message(recipe, env, source),
                )
                if not edit_set.fits(edits):
                    names.release(mark)
                    continue  # overlaps an accepted fix: matched again next pass
                if self.decisions.asks and is_piece(recipe.fix, env):
                    pieces.append((change, target.start_byte))  # asked about with the other pieces
                    continue
                if not self.decisions.accepts([(change, target.start_byte)]):
                    names.release(mark)
                    continue
                edit_set.try_add(edits)
                accepted.append((recipe, change))
            if pieces and self.decisions.accepts(pieces):
                accepted.extend((recipe, change) for change, _ in pieces if edit_set.try_add(change.edits))
            if not original:
                memo.clear()  # its answers hold contexts reaching back to ctx: a cycle, broken now
        if not edit_set:
            return None
        new_source = apply_edits(source, edit_set.edits)
        self.decisions.shift(edit_set.edits)
        new_source = self._fix_imports(new_source, [recipe for recipe, _ in accepted])
        new_tree = reparse(tree, source, new_source) if error_guard is None else parse(new_source)
        errors = error_count(tree) if error_guard is None else error_guard.errors
        working = error_guard.working_tree(new_source, new_tree) if error_guard is not None else new_tree
        if error_count(new_tree) > errors or working is None:
            culprit = self._culprit(source, errors, accepted)
            problem = first_error(new_tree)
            where = f" (line {problem.line}: {problem.message})" if problem else ""
            self._fail(f"recipe {culprit} produced code that does not parse{where}; file left unchanged")
            return source, tree
        self.result.changes.extend(change for _, change in accepted)
        return new_source, working

    def _culprit(self, source: bytes, errors: int, accepted: list[tuple[Recipe, Change]]) -> str:
        for recipe in dict.fromkeys(recipe for recipe, _ in accepted):
            edits = [e for r, change in accepted if r is recipe for e in change.edits]
            try:
                candidate = self._fix_imports(apply_edits(source, list(dict.fromkeys(edits))), [recipe])
            except ValueError:
                return recipe.id
            if error_count(parse(candidate)) > errors:
                return recipe.id
        return ", ".join(dict.fromkeys(recipe.id for recipe, _ in accepted))

    def _fix_imports(self, source: bytes, recipes: list[Recipe]) -> bytes:
        add = [path for recipe in recipes for path in recipe.imports.add]
        remove = [path for recipe in recipes for path in recipe.imports.remove_if_unused]
        if self.syntax_guard is not None:
            remove = self.syntax_guard.removable(remove)  # a region may still use them
        if not add and not remove:
            return source
        return imports.fix_imports(source, list(dict.fromkeys(add)), list(dict.fromkeys(remove)))

    @staticmethod
    def _qualifiers(tree: Tree, recipe: Recipe) -> dict[str, str]:
        out = {}
        for path in recipe.imports.add:
            local = imports.local_name(tree, path)
            default = scope.default_package_name(path)
            if local and local != default:
                out[default] = local
        return out

    @staticmethod
    def _constraints_hold(recipe: Recipe, target: Target, env: Mapping[str, Any], ctx: MatchContext) -> bool:
        for name, rule in recipe.constraints.items():
            bound = env.get(name)
            if bound is None:
                continue  # not captured by this match (e.g. another `any` branch)
            nodes = bound if isinstance(bound, tuple) else (bound,)
            if any(rule.match(node, ctx, env) is None for node in nodes):
                return False
        return True

    def _message(self, recipe: Recipe, env: Mapping[str, Any], source: bytes) -> str:
        if not recipe.message:
            return recipe.description
        from codemod.fix.template import capture_of, cite_lines, render, shared_template

        try:
            captures = {name: capture_of(value, source) for name, value in env.items()}
            return render(shared_template(cite_lines(recipe.message, env)), captures, "")
        except KeyError:
            return recipe.message

    def _report(self, recipe: Recipe, start: Position, end: Position, snippet: str, message: str) -> None:
        self.result.findings.append(Finding(recipe.id, start, end, message, recipe.severity, snippet))
