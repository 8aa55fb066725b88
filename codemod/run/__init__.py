"""A run: which files, which configuration, which recipes; package tasks handed to
executors (in-process, a process pool, Dask), answered from the result cache
where nothing changed, merged into one RunResult. Also the recipe test harness,
which runs recipes over their golden cases."""
