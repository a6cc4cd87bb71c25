"""Detection imports spaCy and Presidio without PyTorch when the model runs on NumPy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.nlp_imports import model_config, modules_hidden, needs_torch

MODEL = NlpSettings().model


def test_the_default_model_needs_no_torch() -> None:
    assert model_config(MODEL) is not None
    assert not needs_torch(MODEL)


def test_a_model_without_a_config_hides_nothing(tmp_path: Path) -> None:
    assert needs_torch("no_such_model_xx")
    assert needs_torch(str(tmp_path))


def test_a_transformer_model_dir_needs_torch(tmp_path: Path) -> None:
    (tmp_path / "config.cfg").write_text('[components.transformer]\nfactory = "transformer"\n')
    assert needs_torch(str(tmp_path))
    (tmp_path / "config.cfg").write_text('[components.ner]\nfactory = "ner"\n')
    assert not needs_torch(str(tmp_path))


def test_hidden_modules_import_again_afterwards() -> None:
    name = "sanitizer_test_never_imported_module"
    with modules_hidden((name, "json")):  # json: already imported, so left alone
        assert sys.modules[name] is None
        import json  # noqa: F401
    assert name not in sys.modules


def after_detection(code: str) -> str:
    """What ``code`` prints in a fresh process (this one may already hold PyTorch or spaCy
    from other tests) right after detection has found something in a short text."""
    script = (
        "import sys\n"
        "from sanitizer.config.settings import NlpSettings\n"
        "from sanitizer.mask.text.detector import find_all\n"
        "found = find_all(['Mail Maria Lopez at jane.doe@example.com'], None, NlpSettings())\n"
        "assert found[0], found\n" + code
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_detection_leaves_torch_out_of_the_process() -> None:
    code = "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    assert after_detection(code) == "[]"


def test_detection_defers_spacys_command_line_until_it_is_used() -> None:
    """Detection runs without typer and weasel; the first use of ``spacy.cli`` (Presidio
    downloads a missing model through it) imports the real one."""
    code = (
        "names = ('typer', 'weasel', 'spacy.cli.download')\n"
        "before = sorted(m for m in names if m in sys.modules)\n"
        "import spacy\n"
        "download = spacy.cli.download\n"
        "from spacy.cli.download import download as real\n"
        "assert download is real and callable(spacy.info)\n"
        "after = sorted(m for m in ('typer', 'weasel') if m in sys.modules)\n"
        "print(before, after)\n"
    )
    assert after_detection(code) == "[] ['typer', 'weasel']"
