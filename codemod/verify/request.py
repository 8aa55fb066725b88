"""What a run asked of ``--verify``, handed down to the modes that act on a result (write, commit, review)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from codemod.run.runner import RunResult
from codemod.run.tasks import RunOptions
from codemod.verify.replay import ChangeKey


@dataclass(frozen=True)
class VerifyRequest:
    """The level (build, vet or test), the run's options and jobs, and what to do with unverified changes."""

    level: str
    options: RunOptions
    jobs: int = 1
    keep_unverified: bool = False
    cache: bool = True

    def apply(self, result: RunResult, accepted: Mapping[str, Collection[ChangeKey]] | None = None) -> RunResult:
        """Verify ``result`` in place (:func:`codemod.verify.session.verify_result`)."""
        from codemod.verify.session import verify_result

        return verify_result(
            result,
            self.level,
            options=self.options,
            jobs=self.jobs,
            keep_unverified=self.keep_unverified,
            cache=self.cache,
            accepted=accepted,
        )
