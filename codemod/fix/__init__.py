"""Fixes: what a match becomes. A fix plan turns one match into byte edits (template
rendering, fresh names, re-indentation), applied all or nothing. Below the
recipes, above the rule tree and the pattern matcher."""
