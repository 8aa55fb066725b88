"""``--verify``: checking the changes of a run with the Go toolchain (``go build|vet|test -overlay``).

:mod:`.toolchain` finds ``go``; :mod:`.packages` maps changed files to packages
and build configurations; :mod:`.overlay` writes the overlay; :mod:`.check`
runs the toolchain (batched, in parallel); :mod:`.trials` answers from the
cache or the checker; :mod:`.bisect` finds the recipes responsible for a
failure; :mod:`.replay` makes a file again without them; :mod:`.session`
ties them to a run's result (:class:`~.session.VerifyRequest`).
"""
