"""``--verify``: checking the changes of a run with the Go toolchain (``go build|vet|test -overlay``).

:mod:`.toolchain` finds ``go``; :mod:`.packages` maps changed files to packages
and build configurations; :mod:`.overlay` writes the overlay; :mod:`.check`
runs the toolchain (batched, in parallel, cached); :mod:`.bisect` finds the
recipes responsible for a failure; :mod:`.session` ties them to a run's result.
"""
