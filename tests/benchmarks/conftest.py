"""The benchmark modules import each other by plain name (``import outside_corpus``), as
when run from ``benchmarks/``: tests import them the same way."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench_module() -> Iterator[Callable[[str], ModuleType]]:
    """``bench_module("scrubadub_corpus")``: a module of ``benchmarks/``, imported by name."""
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module
    finally:
        sys.path.remove(str(BENCH))
