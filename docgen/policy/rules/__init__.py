"""Rule modules: one per entity; each registers its rules on import (see docgen.policy.registry)."""

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


load_all()
