"""Engine benchmark: the same text-heavy production masked by the local engine and by Ray.

A SQLite production of customers (unique emails, names, phones) and free-text messages full of
names, emails, phones and places, plus 40 JSON tickets and 12 LanceDB memories
(tests/helpers/ray_world.py: ``detect`` on the messages dominates, as in an agent platform's
nightly snapshot) goes through ``sanitize snapshot`` three times, in the same
run on the same two cores:

- local: the local engine's process pool (``workers: 2``, the warm forkserver);
- ray, 1 node: ``--engine ray`` on a one-node cluster of 2 CPUs (2 actors);
- ray, 2 nodes: ``--engine ray`` on a head and a second node of 1 CPU each (2 actors, batches
  crossing node boundaries).

The clusters are real ``ray start`` processes in a loopback-only network namespace
(tests/helpers/ray_cluster.py). Each Ray run's staging must equal the local run's, row for row.
Times are the receipt's ``load`` stage (read → mask → write; actors start and load the detector
inside it) and the whole command, the best of BENCH_ENGINE_ROUNDS (default 2) alternating
rounds. Ray's overhead is its load time over local's, minus one.

The scaling model divides documents by (load seconds × actors) into documents per second per
core, then sizes a cluster for 10M and 100M documents in an 8-hour nightly window
(docs/engine.md, "Sizing"). Size: BENCH_ENGINE_MESSAGES (default 4000). Results are recorded
in benchmarks/results.json and RESULTS.md (BENCH_RESULTS elsewhere).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from results import record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.ray_cluster import two_node_cluster  # noqa: E402
from helpers.ray_world import KEY, make_production, state, write_config  # noqa: E402

SANITIZE = Path(sys.executable).with_name("sanitize")
WINDOW_HOURS = 8
CLUSTER_DOCS = (10_000_000, 100_000_000)


def command(config: Path, *extra: str) -> list[str]:
    return [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "json", *extra]


def timed(run: Any, folder: Path, config: Path) -> dict[str, float]:
    """One snapshot: wall seconds and the receipt's load stage."""
    receipts = folder / "receipts"
    before = set(receipts.glob("*.json")) if receipts.exists() else set()
    started = time.monotonic()
    done = run()
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{config.name}: exit {done.returncode}\n{done.stderr[-3000:]}")
    (receipt,) = set(receipts.glob("*.json")) - before
    stages = json.loads(receipt.read_text())["stages"]
    return {"wall_s": round(wall, 2), "load_s": round(stages["load"], 2)}


def local_run(folder: Path) -> dict[str, float]:
    config = write_config(folder, "staging_local.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "RAY_"))}
    env["SANITIZE_KEY"] = KEY
    return timed(
        lambda: subprocess.run(
            command(config), cwd=folder, env=env, capture_output=True, text=True, check=False
        ),
        folder,
        config,
    )


def ray_run(folder: Path, nodes: int, cpus: int) -> dict[str, float]:
    name = f"staging_ray{nodes}.db"
    config = write_config(folder, name)
    with two_node_cluster(folder / f"cluster{nodes}", nodes, cpus) as cluster:
        env = cluster.env({"SANITIZE_KEY": KEY, "RAY_ADDRESS": cluster.address})
        numbers = timed(
            lambda: cluster.run(
                command(config, "--engine", "ray"),
                env,
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            ),
            folder,
            config,
        )
    if state(folder / name) != state(folder / "staging_local.db"):
        raise SystemExit(f"Ray on {nodes} node(s) wrote a different staging than local")
    return numbers


def scaling(messages: int, load_s: float, actors: int) -> dict[str, Any]:
    """Documents per second per core, and the cores and 16-core nodes for the big runs."""
    per_core = messages / load_s / actors
    model: dict[str, Any] = {"docs_per_s_per_core": round(per_core, 2)}
    for docs in CLUSTER_DOCS:
        cores = math.ceil(docs / (per_core * WINDOW_HOURS * 3600))
        model[f"cores_for_{docs // 1_000_000}M_in_{WINDOW_HOURS}h"] = cores
        model[f"nodes16_for_{docs // 1_000_000}M_in_{WINDOW_HOURS}h"] = math.ceil(cores / 16)
    return model


def main() -> None:
    messages = int(os.environ.get("BENCH_ENGINE_MESSAGES", "4000"))
    rounds = int(os.environ.get("BENCH_ENGINE_ROUNDS", "2"))
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    folder = Path(tempfile.mkdtemp(prefix="sz-engine-bench-"))
    try:
        make_production(folder, customers=max(50, messages // 5), messages=messages)
        runs: dict[str, list[dict[str, float]]] = {"local": [], "one": [], "two": []}
        for _ in range(rounds):  # alternating, so a busy minute does not favour one engine
            runs["local"].append(local_run(folder))
            runs["one"].append(ray_run(folder, 1, 2))
            runs["two"].append(ray_run(folder, 2, 1))
        local, one, two = (min(runs[k], key=lambda r: r["load_s"]) for k in ("local", "one", "two"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for engine, numbers in (
        ("local (2 processes)", local),
        ("ray 1 node x 2 CPU", one),
        ("ray 2 nodes x 1 CPU", two),
    ):
        overhead = numbers["load_s"] / local["load_s"] - 1
        rows.append(
            {
                "engine": engine,
                **numbers,
                "docs_per_s": round(messages / numbers["load_s"], 1),
                "overhead_pct": round(100 * overhead, 1),
            }
        )
    model = scaling(messages, two["load_s"], 2)
    for row in rows:
        print(row)
    print("scaling model (ray, 2 nodes):", model)
    print("load average:", os.getloadavg())
    params = {"messages": messages, "rounds": rounds, "window_hours": WINDOW_HOURS, **model}
    record("engine", baseline="local engine, 2 processes", rows=rows, params=params)


if __name__ == "__main__":
    main()
