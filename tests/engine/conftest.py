"""Real Ray for the engine tests: an in-process ``ray.init(num_cpus=2)`` for the fast tests
and a two-node cluster on loopback — a head and a second node, each its own ``ray start``
process — for the runs through the CLI (tests/helpers/ray_cluster.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

os.environ["RAY_USAGE_STATS_ENABLED"] = "0"


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private 2-CPU Ray in this process; its session files under a test folder."""
    folder = tmp_path_factory.mktemp("ray")
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
