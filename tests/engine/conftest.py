"""Real Ray for the engine tests: an in-process ``ray.init(num_cpus=2)`` for the fast tests
and a two-node cluster on loopback — a head and a second node, each its own ``ray start``
process — for the runs through the CLI (tests/helpers/ray_cluster.py)."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# before Ray is imported: a one-machine cluster binds to loopback only (sanitizer.engine)
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
os.environ.setdefault("RAY_AUTH_MODE", "token")  # a token of the tests' own, none in ~/.ray
os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Path]:
    """A private 2-CPU Ray in this process; its session files in a folder of its own (a short
    path: Unix socket paths are limited to 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="sz-t-"))
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=200 * 1024 * 1024,
        _temp_dir=str(folder),
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        namespace="sanitizer-tests",
    )
    try:
        yield folder
    finally:
        ray.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
