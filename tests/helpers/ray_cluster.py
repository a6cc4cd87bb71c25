"""A real two-node Ray cluster on loopback for the engine tests: a head and a second node,
each its own ``ray start --block`` process with one CPU and a small object store, sharing
nothing but the cluster's sockets, so data crosses node boundaries.

Ray binds its servers to the address it thinks other machines reach this one by, whatever
``--node-ip-address`` says; so the cluster, and every driver that talks to it (:meth:`run`),
live in a network namespace of their own that has nothing but loopback: nothing of it can be
reached from, or reach, beyond 127.0.0.1. The cluster uses Ray's token authentication with a
token of its own. Everything Ray writes (session logs, spilled objects) stays under the test's
folder; teardown ends exactly the processes this helper started (their process groups).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")
STORE_BYTES = 200 * 1024 * 1024
ACTOR_TITLE = b"ray::MaskActor"


@dataclass
class RayCluster:
    folder: Path
    port: int = 46000 + secrets.randbelow(3000)  # inside the namespace: nothing else listens
    token: str = field(default_factory=lambda: secrets.token_hex(32))
    nodes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    holder: subprocess.Popen[bytes] | None = None
    cpus: int = 1  # per node
    # Ray's own files (sessions, spilled objects): a short path, as Unix socket paths are
    # limited to 107 bytes; removed by stop()
    ray_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sz-ray-")))

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The cluster's and its drivers' environment: this checkout importable, the
        cluster's token, no usage stats, no pseudonym key unless ``extra`` gives one."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "RAY_"))}
        env.update(
            RAY_USAGE_STATS_ENABLED="0",
            RAY_AUTH_MODE="token",
            RAY_AUTH_TOKEN=self.token,
            PYTHONUNBUFFERED="1",
        )
        env.update(extra or {})
        return env

    def inside(self, args: list[str]) -> list[str]:
        """``args`` run in the cluster's loopback-only network namespace."""
        assert self.holder is not None
        return ["nsenter", "-t", str(self.holder.pid), "-n", "--", *args]

    def run(
        self, args: list[str], env: dict[str, str], **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.inside(args), env=env, **kwargs)  # type: ignore[call-overload]

    def popen(self, args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen:
        return subprocess.Popen(self.inside(args), env=env, **kwargs)  # type: ignore[call-overload]

    def start(self, nodes: int = 2, cpus: int = 1) -> RayCluster:
        self.holder = subprocess.Popen(
            ["unshare", "--net", "sh", "-c", "ip link set lo up && exec sleep infinity"],
            start_new_session=True,
        )
        time.sleep(0.5)
        self.cpus = cpus
        self._node(["--head", f"--port={self.port}", "--include-dashboard=false"], "head")
        self._wait_for_nodes(1)
        for number in range(1, nodes):
            self._node([f"--address={self.address}"], f"node{number}")
            self._wait_for_nodes(number + 1)
        return self

    def _node(self, role: list[str], name: str) -> None:
        spill = {"type": "filesystem", "params": {"directory_path": str(self.ray_dir / "spill")}}
        ports = [
            f"--{option}={self.port + 1 + 5 * len(self.nodes) + offset}"
            for offset, option in enumerate(
                (
                    "dashboard-agent-listen-port",
                    "dashboard-agent-grpc-port",
                    "runtime-env-agent-port",
                    "metrics-export-port",
                )
            )
        ]
        args = [
            str(RAY),
            "start",
            *role,
            "--node-ip-address=127.0.0.1",
            f"--num-cpus={self.cpus}",
            f"--object-store-memory={STORE_BYTES}",
            "--disable-usage-stats",
            "--block",
            *ports,
        ]
        if "--head" in role:
            args += [
                f"--temp-dir={self.ray_dir / 'ray'}",
                f"--system-config={json.dumps({'object_spilling_config': json.dumps(spill)})}",
            ]
        log = (self.folder / f"{name}.out").open("wb")
        self.nodes.append(
            self.popen(
                args, self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    def _wait_for_nodes(self, count: int, timeout: float = 120) -> None:
        probe = (
            f"import ray; ray.init(address={self.address!r}, log_to_driver=False, "
            "logging_level='ERROR'); print(sum(1 for n in ray.nodes() if n['Alive']))"
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(node.poll() is not None for node in self.nodes):
                raise RuntimeError(f"a ray node exited; see {self.folder}/*.out")
            try:
                done = self.run(
                    [sys.executable, "-c", probe],
                    self.env(),
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
            except subprocess.TimeoutExpired:  # the head's servers were not up yet
                continue
            if done.returncode == 0 and int(done.stdout.split()[-1]) >= count:
                return
            time.sleep(1)
        raise RuntimeError(f"the ray cluster did not reach {count} nodes; see {self.folder}")

    def actor_pids(self, title: bytes = ACTOR_TITLE) -> list[int]:
        """This cluster's worker processes whose title starts with ``title``."""
        sessions = {node.pid for node in self.nodes}
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                if os.getsid(int(entry.name)) in sessions and (
                    (entry / "cmdline").read_bytes().startswith(title)
                ):
                    found.append(int(entry.name))
        return found

    def stop(self) -> None:
        """End the nodes this cluster started: the ``ray start`` processes and their groups."""
        for node in reversed(self.nodes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.pid, signal.SIGTERM)
        for node in reversed(self.nodes):
            try:
                node.wait(timeout=5)  # a node drains for up to 30 s: not needed here
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(node.pid, signal.SIGKILL)
                node.wait(timeout=30)
        time.sleep(1)
        for node in self.nodes:  # anything left in the groups (workers, agents)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.pid, signal.SIGKILL)
        if self.holder is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.holder.pid, signal.SIGKILL)
            self.holder.wait(timeout=30)
        shutil.rmtree(self.ray_dir, ignore_errors=True)


@contextlib.contextmanager
def two_node_cluster(folder: Path, nodes: int = 2, cpus: int = 1) -> Iterator[RayCluster]:
    """``nodes`` nodes of ``cpus`` CPUs each (two of one by default), stopped on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    cluster = RayCluster(folder)
    try:
        yield cluster.start(nodes, cpus)
    finally:
        cluster.stop()
