"""The engine: one file (or one package) times recipes gives FileResults.

Pure, never raises, and returns pickleable values: what worker processes and a
Dask cluster execute. Suppression comments are honoured here. Rendering,
writing, committing and verifying happen in the layers above."""
