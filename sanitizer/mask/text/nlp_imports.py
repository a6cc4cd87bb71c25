"""Import spaCy and Presidio without the deep-learning stack they never use here.

Importing spaCy imports PyTorch when it is installed (thinc probes it), and importing Presidio
imports Hugging Face ``transformers`` (for an NLP engine detection does not use) and PyTorch
again (to look for a GPU). With both installed — the vector part of the tool needs them — that
is 2-3 seconds of every detecting process's start, in each worker, for a CNN spaCy model that
runs on NumPy. While spaCy and Presidio are imported, those packages are made to look absent
(their ``sys.modules`` entry set to None, which Python documents as "import fails"); spaCy and
Presidio handle that as "not installed". Afterwards the entries are removed again, so the
packages import normally for whatever else needs them (sentence-transformers for vectors).

A model that does need PyTorch (a transformer pipeline) is recognised from its config, and
then nothing is hidden. One behaviour changes: Presidio no longer asks PyTorch for a CUDA
device, so detection runs spaCy on the CPU, as it does on any machine without a GPU.

spaCy's package also imports its command line, for the one function ``spacy.info``: typer,
weasel, httpx and requests, 0.2 s of every detecting process's start (the workers' warm-up
is on a run's critical path). Detection never runs that command line, so while spaCy is
imported, ``spacy.cli`` is a module that imports the real one when it is first used
(Presidio's download of a missing model, ``spacy.info()``); nothing else changes.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEEP_LEARNING = ("torch", "transformers")
# words in a spaCy model's config that mean it runs on PyTorch
TORCH_MARKERS = ("transformer", "pytorch", "torch")


def import_nlp(model: str) -> None:
    """Import spaCy and Presidio for ``model`` (hiding PyTorch when the model needs none)."""
    hidden = () if needs_torch(model) else DEEP_LEARNING
    with modules_hidden(hidden), spacy_cli_deferred():
        import presidio_analyzer  # noqa: F401  (also imports spaCy)
        import spacy  # noqa: F401


class _DeferredCli(types.ModuleType):
    """Stands for ``spacy.cli`` until something asks it for a name: then the real command line
    is imported (it replaces this one as ``spacy.cli``) and answers."""

    def __getattr__(self, name: str) -> Any:
        import importlib

        sys.modules.pop("spacy.cli", None)  # in case the import is still under way
        return getattr(importlib.import_module("spacy.cli"), name)


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, from the real command line at its first call."""
    import importlib

    return importlib.import_module("spacy.cli.info").info(*args, **kwargs)


@contextmanager
def spacy_cli_deferred() -> Iterator[None]:
    """Import spaCy inside the block with its command line deferred (see the module's
    docstring); nothing changes when spaCy is already imported."""
    if "spacy" in sys.modules:
        yield
        return
    cli = _DeferredCli("spacy.cli")
    cli.__path__ = []  # a package, so that ``spacy.cli.info`` is looked up below it
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, info
    try:
        yield
    finally:
        for name, placeholder in (("spacy.cli", cli), ("spacy.cli.info", info)):
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and not isinstance(getattr(spacy, "cli", None), types.ModuleType):
            spacy.cli = cli  # type: ignore[attr-defined]


@contextmanager
def modules_hidden(names: tuple[str, ...]) -> Iterator[None]:
    """Make ``names`` fail to import inside the block, unless one is already imported."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def needs_torch(model: str) -> bool:
    """Whether the spaCy model ``model`` (a package name or a directory) runs on PyTorch;
    True when its config cannot be found (then nothing is hidden)."""
    config = model_config(model)
    if config is None:
        return True
    text = config.read_text(encoding="utf-8", errors="replace").lower()
    return any(marker in text for marker in TORCH_MARKERS)


def model_config(model: str) -> Path | None:
    """A model's ``config.cfg``, found without importing spaCy: in the directory itself, or
    in an installed model package (``<package>/<name>-<version>/config.cfg``)."""
    directory = Path(model)
    if not directory.is_dir():
        try:
            spec = importlib.util.find_spec(model)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        directory = Path(next(iter(spec.submodule_search_locations)))
    for candidate in (directory / "config.cfg", *sorted(directory.glob("*/config.cfg"))):
        if candidate.is_file():
            return candidate
    return None
