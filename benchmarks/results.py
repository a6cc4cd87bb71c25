"""Benchmark results go to a file, not into prose: one shared writer for every bench.

Each bench calls :func:`record` with its name, the baseline it was measured against and its
rows of measurements (ratios against that baseline, measured in the same run, plus the raw
numbers). The entry replaces that bench's previous one in ``benchmarks/results.json``, with the
machine facts (cores, load, commit, date) the numbers depend on, and ``benchmarks/RESULTS.md``
is rendered again from the whole file. ``BENCH_RESULTS=path.json`` writes elsewhere (a trial
run on a busy machine should not overwrite the committed numbers).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = Path(__file__).resolve().parent / "results.json"


def results_path() -> Path:
    """Where results go: BENCH_RESULTS, or benchmarks/results.json."""
    return Path(os.environ.get("BENCH_RESULTS") or DEFAULT_RESULTS)


def git_commit() -> str:
    """The checked-out commit, with ``-dirty`` when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}-dirty" if head and dirty else head or "unknown"


def machine() -> dict[str, Any]:
    """The facts a number depends on: cores, load while it ran, commit, date, versions."""
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "cores": len(os.sched_getaffinity(0)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def record(
    bench: str, *, baseline: str, rows: list[dict[str, Any]], params: dict[str, Any]
) -> Path:
    """Store one bench's results (replacing its previous entry) and re-render RESULTS.md."""
    path = results_path()
    data = json.loads(path.read_text()) if path.exists() else {}
    columns = list(dict.fromkeys(key for row in rows for key in row))  # the bench's order
    data[bench] = {
        **machine(),
        "baseline": baseline,
        "params": params,
        "rows": rows,
        "columns": columns,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    path.with_name("RESULTS.md").write_text(render(data))
    print(f"results written to {path} and {path.with_name('RESULTS.md')}")
    return path


def ratio(value: float, baseline: float) -> float | None:
    """``value / baseline``, rounded; None when the baseline is zero."""
    return round(value / baseline, 3) if baseline else None


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def render(data: dict[str, Any]) -> str:
    """RESULTS.md: per bench, when and where it ran, its baseline, then a table of its rows."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/results.py) from benchmarks/results.json; do not",
        "edit by hand. Ratios are against the baseline measured in the same run on the same",
        "machine. See docs/benchmarks.md for what each bench measures.",
    ]
    for bench in sorted(data):
        entry = data[bench]
        load = ", ".join(str(x) for x in entry.get("load_average", []))
        params = ", ".join(f"{k}={v}" for k, v in sorted(entry.get("params", {}).items()))
        lines += [
            "",
            f"## {bench}",
            "",
            f"{entry['date']}, commit {entry['commit']}, {entry['cores']} cores "
            f"(load average {load}), Python {entry['python']}.",
            f"Baseline: {entry['baseline']}." + (f" Parameters: {params}." if params else ""),
            "",
        ]
        # results.json sorts keys: the order the bench gave its columns is kept apart
        columns = entry.get("columns") or list(
            dict.fromkeys(key for row in entry["rows"] for key in row)
        )
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "---|" * len(columns))
        for row in entry["rows"]:
            lines.append("| " + " | ".join(_cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"
