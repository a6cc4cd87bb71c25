"""``sanitize snapshot --engine ray`` against a real two-node Ray cluster (a head and a second
node, each a ``ray start`` process on loopback): the same staging as the local engine, byte
for byte; the key in none of Ray's files; a killed actor retried, or — without retries — the
run failed cleanly and the next one succeeding (docs/engine.md)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.ray_cluster import RayCluster, two_node_cluster
from helpers.ray_world import (
    KEY,
    TICKETS,
    history,
    make_production,
    memory_state,
    objects_state,
    state,
    write_config,
)

from sanitizer.errors import ExitCode
from sanitizer.mask.pseudonyms import Keyring

SANITIZE = Path(sys.executable).with_name("sanitize")
RAY_ONLY = "engine: ray\nray: {address: '${RAY_ADDRESS}', task_retries: 0}\n"


@dataclass
class World:
    folder: Path
    cluster: RayCluster
    local: dict[str, list[tuple]]  # staging written by the local engine
    local_files: dict[str, bytes]
    local_memory: list[dict]
    outputs: list[str]  # every driver's stdout and stderr, for the key check

    def command(self, config: Path, *extra: str) -> list[str]:
        return [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "json", *extra]

    def env(self) -> dict[str, str]:
        return self.cluster.env({"SANITIZE_KEY": KEY, "RAY_ADDRESS": self.cluster.address})

    def run_ray(self, config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        done = self.cluster.run(
            self.command(config, *extra),
            self.env(),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.outputs += [done.stdout, done.stderr]
        return done

    def run_ray_killing_an_actor(
        self, config: Path, *extra: str
    ) -> subprocess.CompletedProcess[str]:
        """The run, with one masking actor's process killed while it masks a batch."""
        proc = self.cluster.popen(
            self.command(config, *extra),
            self.env(),
            cwd=self.folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        killed = False
        while proc.poll() is None and not killed:
            busy = self.cluster.actor_pids(b"ray::MaskActor.run")
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        out, err = proc.communicate(timeout=600)
        self.outputs += [out, err]
        assert killed, f"the run ended before an actor was seen masking:\n{err}"
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _loopback_namespace_available() -> bool:
    """The cluster lives in a network namespace of its own (tests/helpers/ray_cluster.py)."""
    try:
        done = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and shutil.which("nsenter") is not None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if not _loopback_namespace_available():
        pytest.skip("needs `unshare --net` and nsenter (root or user namespaces)")
    folder = tmp_path_factory.mktemp("ray-runs")
    make_production(folder)
    local = write_config(folder, "staging_local.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "RAY_"))}
    done = subprocess.run(
        [str(SANITIZE), "snapshot", "--config", str(local), "--log-format", "json"],
        cwd=folder,
        env={**env, "SANITIZE_KEY": KEY},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    with two_node_cluster(folder / "cluster") as cluster:
        local_files = objects_state(folder / "staging_local_files")
        local_memory = memory_state(folder / "staging_local_memory")
        local = state(folder / "staging_local.db")
        yield World(folder, cluster, local, local_files, local_memory, [])


def test_ray_on_two_nodes_writes_the_same_staging_as_local(world):
    config = write_config(world.folder, "staging_ray.db")
    done = world.run_ray(config, "--engine", "ray")
    assert done.returncode == 0, done.stderr
    assert '"actors_per_stage": 2' in done.stderr  # one actor on each node's single CPU
    ray_state = state(world.folder / "staging_ray.db")
    assert ray_state == world.local
    assert len(ray_state["messages"]) == 600
    ray_files = objects_state(world.folder / "staging_ray_files")
    assert ray_files == world.local_files  # the objects' actors too
    assert len(ray_files) == TICKETS
    ray_memory = memory_state(world.folder / "staging_ray_memory")
    assert ray_memory == world.local_memory  # masked and re-embedded by actors: same bytes
    assert len(ray_memory) == 12


def test_a_killed_actor_is_retried_and_the_run_writes_the_same_staging(world):
    config = write_config(world.folder, "staging_retried.db")
    done = world.run_ray_killing_an_actor(config, "--engine", "ray")
    assert done.returncode == 0, done.stderr
    assert "ray actor lost" in done.stderr
    assert state(world.folder / "staging_retried.db") == world.local
    assert objects_state(world.folder / "staging_retried_files") == world.local_files


def test_an_actor_lost_without_retries_fails_the_run_cleanly_and_the_next_succeeds(world):
    staging = world.folder / "staging_failed.db"
    shutil.copy(world.folder / "staging_local.db", staging)  # last night's good snapshot
    config = write_config(world.folder, staging.name, RAY_ONLY)
    done = world.run_ray_killing_an_actor(config)
    assert done.returncode == ExitCode.TARGET, done.stderr
    assert "a masking actor died" in done.stderr
    assert "Traceback" not in done.stderr
    assert state(staging) == world.local  # the previous snapshot, untouched
    assert history(staging)[0] == "failed"
    again = world.run_ray(config)
    assert again.returncode == 0, again.stderr  # the lock was released
    assert history(staging)[0] == "succeeded"
    assert state(staging) == world.local


def test_the_key_is_in_no_log_or_file_of_the_cluster(world):
    """Last: every run above has left its logs, events and spilled objects behind."""
    secrets = [KEY.encode(), Keyring(KEY.encode())._key, Keyring(KEY.encode())._key.hex().encode()]
    folders = [world.cluster.ray_dir, world.folder / "cluster"]
    files = [p for f in folders for p in f.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any("session_" in str(p) for p in files)  # Ray's own session files are there
    found = [str(p) for p in files for s in secrets if s in p.read_bytes()]
    assert found == []
    for text in world.outputs:
        assert KEY not in text
    receipts = list((world.folder / "receipts").glob("*.json"))
    assert receipts and not [r for r in receipts if KEY in r.read_text(encoding="utf-8")]
