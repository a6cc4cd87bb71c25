"""Every Faker locale's provider of one kind, imported once per process.

Names, street words and places all come from Faker's locale providers (a maintained resource
shipped with a pinned package, nothing downloaded); this walks a provider package's locale
modules in one place.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def locale_providers(package: str) -> tuple[tuple[str, type], ...]:
    """(locale, Provider class) for each locale module of ``package``
    (e.g. ``faker.providers.address``); a module without a provider is skipped."""
    root = importlib.import_module(package)
    found = []
    for module in pkgutil.iter_modules(root.__path__):
        try:
            provider = importlib.import_module(f"{package}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        found.append((module.name, provider))
    return tuple(found)
