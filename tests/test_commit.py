"""``--commit``: one branch per recipe, inspected with real git; the user's state untouched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitfixtures import RECIPES_YAML, git, snapshot, write_files

from codemod.apply.commit import CommitOutcome, commit_run, parse_identity
from codemod.errors import UsageError
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.run.tasks import RunOptions

SECOND = """\
id: sub-since
description: Use time.Until for t.Sub(time.Now())
rule:
  pattern: $T.Sub(time.Now())
fix: time.Until($T)
"""


@pytest.fixture
def repo(repo: Path) -> Path:
    """The shared fixture repository with one more commit, ``until.go``."""
    write_files(
        repo,
        {
            "until.go": 'package main\n\nimport "time"\n\nfunc until(t time.Time) time.Duration {\n\treturn t.Sub(time.Now())\n}\n'
        },
    )
    git(repo, "add", "until.go")
    git(repo, "commit", "-q", "-m", "add until")
    return repo


@pytest.fixture
def recipes(tmp_path: Path) -> list:
    path = tmp_path / "recipes.yaml"
    path.write_text(RECIPES_YAML + "---\n" + SECOND)
    return load_recipes([str(path)], include_builtin=False)


def _commit(repo: Path, recipes: list, **kwargs: object) -> list[CommitOutcome]:
    _, outcomes = commit_run(repo, recipes, **kwargs)  # type: ignore[arg-type]
    return outcomes


def test_one_branch_per_changing_recipe_and_nothing_else_moves(repo: Path, recipes: list) -> None:
    before = snapshot(repo)
    head = before["head"].strip()
    outcomes = _commit(repo, recipes)
    assert snapshot(repo) == before  # HEAD, current branch, index and working tree
    assert [(o.recipe_id, o.branch, o.action, o.files, o.changes) for o in outcomes] == [
        ("time-since", "gocodemod/time-since", "created", 4, 5),
        ("sub-since", "gocodemod/sub-since", "created", 1, 1),
    ]
    branches = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split()
    assert branches == ["feature", "gocodemod/sub-since", "gocodemod/time-since", "main"]
    assert git(repo, "rev-parse", "gocodemod/time-since^").strip() == head
    changed = git(repo, "diff", "--name-only", head, "gocodemod/time-since").split()
    assert changed == ["dirty.go", "main.go", "pkg/nonl/nonl.go", "pkg/util/util.go"]
    assert git(repo, "diff", "--name-only", head, "gocodemod/sub-since").split() == ["until.go"]


def test_commit_content_comes_from_head_not_the_working_tree(repo: Path, recipes: list) -> None:
    _commit(repo, recipes)
    dirty = git(repo, "show", "gocodemod/time-since:dirty.go")
    assert "time.Since(t)" in dirty and "unsaved edit" not in dirty
    assert "untracked.go" not in git(repo, "ls-tree", "-r", "--name-only", "gocodemod/time-since")
    assert git(repo, "ls-tree", "gocodemod/time-since", "main.go").startswith("100755 ")  # mode kept


def test_message_and_default_identity(repo: Path, recipes: list) -> None:
    _commit(repo, recipes)
    message = git(repo, "log", "-1", "--format=%B", "gocodemod/time-since")
    assert message.splitlines()[:3] == ["gocodemod: time-since", "", "Use time.Since(t) instead of time.Now().Sub(t)"]
    assert "Recipe time-since (safe) changed 4 files with 5 changes:" in message
    assert "  main.go (2)" in message
    assert "Gocodemod-Recipe: time-since" in message
    assert (
        git(repo, "log", "-1", "--format=%an <%ae>", "gocodemod/time-since").strip() == "Repo Owner <owner@example.com>"
    )


def test_author_and_prefix_are_configurable(repo: Path, recipes: list) -> None:
    outcomes = _commit(repo, recipes[:1], prefix="codemods/", author="Codemod Bot <bot@example.com>")
    assert outcomes[0].branch == "codemods/time-since"
    identity = git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "codemods/time-since").strip()
    assert identity == "Codemod Bot <bot@example.com>|Codemod Bot <bot@example.com>"
    with pytest.raises(UsageError, match="Name <email>"):
        parse_identity("just a name")


def test_rerun_same_base_is_up_to_date_then_new_commit_on_top(repo: Path, recipes: list) -> None:
    (first,) = _commit(repo, recipes[:1])
    (again,) = _commit(repo, recipes[:1])
    assert again.action == "unchanged" and again.commit == first.commit
    assert "already up to date" in again.describe()
    # Same base, different result (generated files now included): a new commit on top.
    (updated,) = _commit(repo, recipes[:1], options=RunOptions(include_generated=True))
    assert updated.action == "updated" and updated.previous == first.commit
    assert git(repo, "rev-parse", "gocodemod/time-since^").strip() == first.commit
    assert "gen/gen.go" in git(repo, "diff", "--name-only", first.commit, "gocodemod/time-since")
    assert "new commit" in updated.describe()


def test_rerun_after_head_moved_rebuilds_on_the_new_base(repo: Path, recipes: list) -> None:
    (first,) = _commit(repo, recipes[:1])
    write_files(repo, {"later.go": "package main\n\nfunc later() {}\n"})
    git(repo, "add", "later.go")
    git(repo, "commit", "-q", "-m", "later work")
    new_head = git(repo, "rev-parse", "HEAD").strip()
    (rebuilt,) = _commit(repo, recipes[:1])
    assert rebuilt.action == "rebuilt" and rebuilt.previous == first.commit
    assert git(repo, "rev-parse", "gocodemod/time-since^").strip() == new_head
    assert git(repo, "rev-list", "--count", f"{new_head}..gocodemod/time-since").strip() == "1"
    assert "rebuilt on the new HEAD" in rebuilt.describe()


def test_a_checked_out_branch_is_never_moved(repo: Path, recipes: list, tmp_path: Path) -> None:
    (first,) = _commit(repo, recipes[:1])
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "gocodemod/time-since")
    git(repo, "commit", "-q", "--allow-empty", "-m", "move HEAD")
    (refused,) = _commit(repo, recipes[:1])
    assert refused.action == "refused" and "checked out in" in refused.describe()
    assert git(repo, "rev-parse", "gocodemod/time-since").strip() == first.commit


def test_recipes_that_change_nothing_get_no_branch(repo: Path) -> None:
    recipe = load_recipe_text(
        "id: never\ndescription: d\nrule:\n  pattern: neverCalled($X)\nfix: other($X)\n", "n.yaml"
    )
    assert _commit(repo, recipe) == []
    assert "gocodemod/never" not in git(repo, "branch")


def test_commit_needs_a_repository_with_a_commit(tmp_path: Path, recipes: list) -> None:
    with pytest.raises(UsageError, match="needs a git repository"):
        commit_run(tmp_path, recipes)
    git(tmp_path, "init", "-q")
    with pytest.raises(UsageError, match="HEAD has none"):
        commit_run(tmp_path, recipes)


@pytest.mark.parametrize("grows_from_head", [False, True])
def test_a_users_branch_of_that_name_is_never_moved(repo: Path, recipes: list, grows_from_head: bool) -> None:
    """A branch ``gocodemod/<id>`` whose tip lacks the recipe's trailer is someone's work: refused, named."""
    if grows_from_head:  # would have got a commit on top
        git(repo, "branch", "gocodemod/time-since")
    else:  # would have been reset to a commit on HEAD
        git(repo, "branch", "gocodemod/time-since", "HEAD~1")
    git(repo, "checkout", "-q", "gocodemod/time-since")
    write_files(repo, {"mine.go": "package main\n\nfunc mine() {}\n"})
    git(repo, "add", "mine.go")
    git(repo, "commit", "-q", "-m", "my own work\n\nGocodemod-Recipe: sub-since")  # another recipe's trailer
    mine = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    (refused,) = _commit(repo, recipes[:1])
    assert refused.action == "refused"
    assert refused.describe() == (
        f"gocodemod/time-since: not updated: the branch exists and its tip {mine[:12]} was not made by "
        "gocodemod for time-since (no 'Gocodemod-Recipe: time-since' trailer); rename or delete it, "
        "or pass another --branch-prefix"
    )
    assert git(repo, "rev-parse", "gocodemod/time-since").strip() == mine


def test_a_sha256_repository_is_refused_with_one_line(tmp_path: Path, recipes: list) -> None:
    root = tmp_path / "sha256"
    root.mkdir()
    try:
        git(root, "init", "-q", "--object-format=sha256")
    except subprocess.CalledProcessError:
        pytest.skip("this git cannot make sha256 repositories")
    write_files(root, {"main.go": 'package main\n\nimport "time"\n\nvar d = time.Now().Sub(time.Time{})\n'})
    git(root, "add", "main.go")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial")
    with pytest.raises(UsageError, match=r"^--commit does not support sha256 repositories yet \(this one was made"):
        commit_run(root, recipes)


def test_a_change_that_appears_only_after_another_recipes_fix_is_reported_not_lost(tmp_path: Path) -> None:
    """waitgroup-go rewrites the goroutines sleep-to-waitgroup writes: on no branch, and said so."""
    repo = tmp_path / "follow"
    write_files(
        repo,
        {
            "go.mod": "module m\n\ngo 1.25\n",
            "main.go": 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc work(s string) { fmt.Println(s) }\n\n'
            'func main() {\n\tfor _, s := range []string{"a", "b"} {\n\t\tgo work(s)\n\t}\n'
            "\ttime.Sleep(time.Second)\n}\n",
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    recipes = load_recipes(["sleep-to-waitgroup", "waitgroup-go"])
    combined, outcomes = commit_run(repo, recipes)
    assert combined.changes_by_recipe() == {"sleep-to-waitgroup": 1, "waitgroup-go": 1}
    by_recipe = {outcome.recipe_id: outcome for outcome in outcomes}
    assert by_recipe["sleep-to-waitgroup"].action == "created"
    follow_on = by_recipe["waitgroup-go"]
    assert (follow_on.action, follow_on.files, follow_on.changes) == ("follow-on", 1, 1)
    assert "gocodemod/sleep-to-waitgroup" in follow_on.describe()
    assert git(repo, "branch", "--list", "gocodemod/waitgroup-go").strip() == ""
