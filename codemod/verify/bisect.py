"""Finding the recipes responsible for a package that passed before its changes and fails with them.

For each failing package, a trial per recipe that changed it: the package
checked with only that recipe's changes among its own files (the other
recipes' changes in it withheld, the rest of the run kept). A recipe that
fails alone is responsible. When none does, the recipes are responsible
together if the package passes with all of its own changes withheld; if it
still fails then, the failure comes from a changed dependency, whose own
package is bisected. Then per file: when a responsible recipe changed several
files of the package, a trial per file (that recipe's change in that file
only) finds the files that break it; when no single file does, all of them
are withheld. The trials of one step run together (in parallel, cached:
:class:`~codemod.verify.trials.Trials`); the caller checks what remains again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from codemod.verify.check import Outcome
from codemod.verify.packages import Package
from codemod.verify.trials import Trials

# path -> recipe ids to withhold there (on top of what is withheld already) => the run's replacement files
Replacements = Callable[[Mapping[str, frozenset[str]]], dict[str, bytes]]


@dataclass(frozen=True)
class Culprit:
    """One recipe's changes in one file, to withhold, and the failure they cause."""

    path: str
    recipe_id: str
    package: Package
    failure: Outcome
    together: bool = False  # the package fails only with several recipes' changes together


def find_culprits(
    failing: Mapping[Package, Outcome],
    own: Mapping[Package, Mapping[str, list[str]]],
    replacements: Replacements,
    trials: Trials,
) -> list[Culprit]:
    """The recipe changes to withhold for ``failing`` packages; ``own``: package -> file -> recipes changing it."""
    labels: list[tuple[Package, str | None]] = []
    plans = []
    for package in failing:
        files = own.get(package, {})
        recipes = list(dict.fromkeys(rid for ids in files.values() for rid in ids))
        for recipe_id in recipes if len(recipes) > 1 else ():
            labels.append((package, recipe_id))  # this recipe's changes alone among the package's own
            plans.append(([package], replacements({p: frozenset(ids) - {recipe_id} for p, ids in files.items()})))
        labels.append((package, None))  # none of the package's own changes
        plans.append(([package], replacements({p: frozenset(ids) for p, ids in files.items()})))
    answers = trials.run(plans)
    passed = {label: answer.get(label[0], Outcome(False)).passed for label, answer in zip(labels, answers)}
    responsible: dict[Package, tuple[list[str], bool]] = {}
    for package in failing:
        files = own.get(package, {})
        recipes = list(dict.fromkeys(rid for ids in files.values() for rid in ids))
        if not passed.get((package, None)):
            continue  # fails without its own changes: a changed dependency breaks it
        alone = recipes if len(recipes) == 1 else [rid for rid in recipes if not passed.get((package, rid))]
        responsible[package] = (alone, False) if alone else (recipes, True)
    return _per_file(failing, own, responsible, replacements, trials)


def _per_file(
    failing: Mapping[Package, Outcome],
    own: Mapping[Package, Mapping[str, list[str]]],
    responsible: Mapping[Package, tuple[list[str], bool]],
    replacements: Replacements,
    trials: Trials,
) -> list[Culprit]:
    labels: list[tuple[Package, str, str]] = []
    plans = []
    for package, (recipes, together) in responsible.items():
        if together:
            continue
        for recipe_id in recipes:
            paths = [path for path, ids in own[package].items() if recipe_id in ids]
            if len(paths) > 1:
                others = frozenset(recipes) - {recipe_id}  # the other responsible recipes: withheld meanwhile
                for path in paths:  # the recipe's change in this file only
                    labels.append((package, recipe_id, path))
                    more = {p: others | ({recipe_id} if p != path else frozenset()) for p in own[package]}
                    plans.append(([package], replacements(more)))
    answers = trials.run(plans)
    breaking = {label for label, answer in zip(labels, answers) if not answer.get(label[0], Outcome(False)).passed}
    culprits: list[Culprit] = []
    for package, (recipes, together) in responsible.items():
        for recipe_id in recipes:
            paths = [path for path, ids in own[package].items() if recipe_id in ids]
            narrowed = [path for path in paths if (package, recipe_id, path) in breaking]
            for path in narrowed or paths:
                culprits.append(Culprit(path, recipe_id, package, failing[package], together))
    return culprits
