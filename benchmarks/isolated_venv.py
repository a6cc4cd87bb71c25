"""A hash-pinned venv of its own for a corpus generator that must never enter the project's.

The outside corpora of ``text_bench.py`` come from generators on PyPI (scrubadub, mimesis).
Each is installed, with exactly the wheels its pins file names (``pip --require-hashes``),
into a venv under ``benchmarks/.cache/`` (gitignored), rebuilt when the pins change; the
generator runs there (``python -I``) and hands back JSON. When the venv cannot be built
(offline, a platform the pinned wheels do not cover) the error names the commands to run.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path


class CorpusUnavailable(RuntimeError):
    """A generator's venv could not be built or run (offline, another platform...)."""


def pins_digest(pins: Path) -> str:
    """Short sha256 of a pins file: a changed pin rebuilds the venv and the cached corpus."""
    return hashlib.sha256(pins.read_bytes()).hexdigest()[:12]


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def setup_commands(venv: Path, pins: Path) -> list[list[str]]:
    """The commands that build the venv (also what the error message tells to run)."""
    pip = [str(venv_python(venv)), "-m", "pip", "install", "--quiet", "--no-deps"]
    return [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [*pip, "--require-hashes", "-r", str(pins)],
    ]


def ensure(venv: Path, pins: Path, commands: list[list[str]], what: str) -> Path:
    """The venv's python, built by ``commands`` if missing or built from other pins."""
    stamp = venv / ".pins"
    if stamp.exists() and stamp.read_text() == pins_digest(pins) and venv_python(venv).exists():
        return venv_python(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
            shown = "\n  ".join(" ".join(c) for c in commands)
            raise CorpusUnavailable(
                f"cannot build the {what} venv in {venv} (step `{' '.join(command[:4])} …` "
                f"failed; offline, or a platform the pinned wheels in {pins.name} do not "
                f"cover). Run these where PyPI is reachable, then run the bench again:\n  "
                f"{shown}\npip said:\n{tail}"
            )
    stamp.write_text(pins_digest(pins))
    return venv_python(venv)


def run(python: Path, script: str, args: list[str], venv: Path, pins: Path, what: str) -> str:
    """Standard output of ``script`` run isolated in the venv; a failure names the fix."""
    done = subprocess.run([str(python), "-I", "-c", script, *args], capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise CorpusUnavailable(
            f"the {what} generator failed in {venv} (exit {done.returncode}). Delete "
            f"{venv} to rebuild it from {pins.name}, then run the bench again.\n{tail}"
        )
    return done.stdout
