"""What a run does with its results: write them (atomic, never over unsaved work),
commit one branch per recipe, or review them change by change; and the
session that takes one ``gocodemod run`` from selection to exit code."""
