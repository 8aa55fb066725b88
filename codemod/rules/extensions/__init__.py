"""Extension rule keys: every module in this package registers its keys on import.

Each module calls :func:`codemod.rules.core.register_rule_key` for the keys it adds
(scope facts, package-wide facts, ...). Keeping extensions here keeps
``rule.py`` about the core vocabulary shared with ast-grep.
"""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
