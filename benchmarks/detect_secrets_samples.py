"""Credentials written by others, a second source: detect-secrets' plugin test cases.

detect-secrets (Apache-2.0, Yelp) tests each detector with ``(payload, should_flag)`` pairs in
``tests/plugins/*_test.py``: real-looking keys and the near-misses its authors chose
(``pk_live_…`` not flagged by its Stripe secret-key detector, an 8-character Discord token
part). This module reads those pairs with Python's own parser (``ast``: only literal strings
and booleans, nothing is run) from a checkout into ``benchmarks/data/detect_secrets_samples.json``
(the licence is in ``benchmarks/data/README.md``):

    python benchmarks/detect_secrets_samples.py /path/to/detect-secrets [COMMIT]

A sample records the plugin (the test file), the payload and whether detect-secrets' plugin
flags it. Their "not flagged" is that plugin's verdict, not a claim the text holds no
credential (its Stripe plugin leaves publishable keys to others; sanitizer flags live ones).
"""

from __future__ import annotations

import ast
import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "detect_secrets_samples.json"
FLAG_NAMES = ("should_flag",)


def _parametrize_cases(node: ast.Call) -> list[tuple[str, bool]]:
    """(payload, should_flag) of one ``pytest.mark.parametrize`` with a should_flag column."""
    if len(node.args) < 2 or not isinstance(node.args[0], ast.Constant):
        return []
    names = [n.strip() for n in str(node.args[0].value).split(",")]
    if not any(n in FLAG_NAMES for n in names) or len(names) != 2:
        return []
    flag_at = next(i for i, n in enumerate(names) if n in FLAG_NAMES)
    try:
        rows = ast.literal_eval(node.args[1])
    except ValueError:
        return []
    out = []
    for row in rows:
        if isinstance(row, tuple) and len(row) == 2:
            payload, flag = row[1 - flag_at], row[flag_at]
            if isinstance(payload, str) and isinstance(flag, bool):
                out.append((payload, flag))
    return out


def file_samples(path: Path) -> list[dict[str, Any]]:
    """Every (payload, should_flag) case of one plugin test file."""
    tree = ast.parse(path.read_text())
    plugin = path.stem.removesuffix("_test")
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize":
            for payload, flag in _parametrize_cases(node):
                out.append({"plugin": plugin, "payload": payload, "should_flag": flag})
    return out


def extract(root: Path) -> list[dict[str, Any]]:
    samples = []
    for path in sorted((root / "tests" / "plugins").glob("*_test.py")):
        samples.extend(file_samples(path))
    return samples


def load() -> dict[str, Any]:
    """The committed cases, payloads decoded (base64 in the file: no key-shaped literal in
    the repository for a secret scanner to flag)."""
    data = json.loads(DATA.read_text())
    for sample in data["samples"]:
        sample["payload"] = base64.b64decode(sample["payload"]).decode()
    return data


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python benchmarks/detect_secrets_samples.py CHECKOUT [COMMIT]")
        return 2
    root = Path(argv[1])
    commit = (
        argv[2]
        if len(argv) == 3
        else subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    )
    samples = extract(root)
    payload = {
        "source": "detect-secrets tests/plugins/*_test.py (Apache-2.0, Yelp, Inc.)",
        "commit": commit or "unknown",
        "encoding": "payload is base64 (secret scanners would flag the repository)",
        "samples": [
            {**s, "payload": base64.b64encode(s["payload"].encode()).decode("ascii")}
            for s in samples
        ],
    }
    DATA.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(samples)} cases of {len({s['plugin'] for s in samples})} plugins → {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
