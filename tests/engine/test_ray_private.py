"""ray: {address: local}: a private one-machine cluster for the run, bound to loopback, whose
session files and spilled objects live in a folder of the run's own that goes with it."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from sanitizer.config.engine_settings import EngineSettings, RaySettings
from sanitizer.engine import open_engine


def test_a_private_cluster_lives_in_the_runs_folder_on_loopback_and_goes_with_it():
    root = Path(tempfile.mkdtemp(prefix="sz-t-"))  # short: Unix socket paths are limited
    try:
        _private_cluster_in(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _private_cluster_in(tmp_path: Path) -> None:
    settings = EngineSettings("ray", RaySettings(address="local", object_store_memory=100 << 20))
    with contextlib.ExitStack() as stack:
        engine = open_engine(settings, stack, str(tmp_path))
        assert engine.actors >= 1  # one per CPU of this machine
        (folder,) = tmp_path.iterdir()
        assert any(p.name.startswith("session_") for p in folder.iterdir())
        listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
        ours = [line for line in listening.splitlines() if str(folder) in line or "gcs_" in line]
        for line in ours:
            address = line.split()[3]
            assert address.startswith(("127.0.0.1:", "[::ffff:127.0.0.1]:")), line
    assert list(tmp_path.iterdir()) == []
