"""A run without SQL sources never loads SQLAlchemy or the database drivers (start-up time:
about 0.2 s of every objects-only process; docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BLOCKED = ("sqlalchemy", "psycopg", "pymysql")
# the drivers are made unimportable, then the command line runs as `sanitize snapshot` does
RUN = f"""
import sys
for name in {BLOCKED!r}:
    sys.modules[name] = None  # importing it now raises ImportError
sys.argv = ["sanitize", "snapshot", "--config", "sanitize.yaml"]
from sanitizer.cli import main
main()
"""


def _bucket(folder: Path) -> None:
    tickets = folder / "prod" / "tickets"
    tickets.mkdir(parents=True)
    ticket = {"requester": {"email": "jane.doe@corp-mail.com", "name": "Jane Doe"}, "id": 7}
    (tickets / "7.json").write_text(json.dumps(ticket, indent=2))
    (folder / "prod" / "customers.csv").write_text(
        "full_name,email\r\nJane Doe,jane.doe@corp-mail.com\r\n"
    )
    (folder / "rules").mkdir()
    (folder / "rules" / "files.yaml").write_text(
        "source: files\nobjects:\n"
        '  "tickets/*.json":\n    keys: keep\n'
        '    json: {"$.requester.email": {fake: email}, "$.**": keep}\n'
        '  "*.csv":\n    keys: keep\n'
        '    columns: {email: {fake: email}, "*": keep}\n'
    )
    (folder / "sanitize.yaml").write_text(
        "rules: rules/\nkey: start-up-test-key-0123456789abcdef\nreceipts: receipts\n"
        f"sources:\n  files: {{kind: objects, url: {str(folder / 'prod')!r}}}\n"
        "targets:\n  files: {kind: objects, url: staging}\n"
    )


def test_an_objects_run_needs_no_sql_driver(tmp_path: Path) -> None:
    _bucket(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    staged = (tmp_path / "staging" / "tickets" / "7.json").read_text()
    assert "jane.doe@corp-mail.com" not in staged and '"id": 7' in staged
    assert "jane.doe@corp-mail.com" not in (tmp_path / "staging" / "customers.csv").read_text()
