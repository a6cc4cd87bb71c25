"""Binary values are swept too: a credential in the printable text of a bytea/BLOB cell or of
a binary object stops the run, and ``placeholder`` (or ``drop``) fixes it."""

from __future__ import annotations

import io
import secrets
import string
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_secrets_sweep import make_sweep, op, placed
from test_secrets_sweep_runs import Databases, databases, sanitize  # noqa: F401 (fixture)

import sanitizer.verify.binary as binary
from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ExitCode
from sanitizer.extract.objects.local import LocalSource
from sanitizer.verify.binary import binary_text, object_runs, printable_runs
from sanitizer.verify.secrets import frame_findings, object_texts, sweep_objects

ALNUM = string.ascii_letters + string.digits


def github_token() -> str:
    return "ghp_" + "".join(secrets.choice(ALNUM) for _ in range(36))


def blob(token: str) -> bytes:
    return b"\x00\x01\x89PNG\x00" + token.encode() + b"\x00\xff\xfe" + b"caf\xc3\xa9 noir" + b"\x00"


def test_printable_runs_of_bytes_and_of_postgres_hex() -> None:
    token = github_token()
    data = blob(token)
    assert list(printable_runs(data)) == [token, "café noir"]
    assert binary_text(data) == binary_text("\\x" + data.hex()) == f"{token}\ncafé noir"
    assert binary_text(b"\x00\x01\x02") is None and binary_text("plain text") is None


def test_a_run_across_two_chunks_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    token = github_token()
    monkeypatch.setattr(binary, "CHUNK", 64)
    data = b"\x00" * 50 + token.encode() + b"\x00" * 100
    assert list(object_runs(io.BytesIO(data))) == [token]


def test_a_kept_binary_column_holding_a_token_is_flagged_with_placeholder_advice() -> None:
    import polars as pl

    sweep = make_sweep()
    frame = pl.DataFrame({"id": [1, 2], "data": [blob(github_token()), b"\x00\x01"]})
    frame_findings(
        sweep,
        "app.files",
        ["id"],
        {"data": op("keep")},
        [frame],
        sweep.pending(),
        frozenset({"data"}),
    )
    assert placed(sweep) == [("app.files.data", "id=1")]
    (place,) = sweep.places.values()
    assert "set `placeholder` or `null` on app.files.data" in place.fix, place.fix


def test_a_binary_object_holding_a_token_is_flagged(tmp_path: Path) -> None:
    token = github_token()
    prod, staging = tmp_path / "prod", tmp_path / "staging"
    for root in (prod, staging):
        root.mkdir()
        (root / "session.bin").write_bytes(blob(token))
        (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    rule = ObjectRule(glob="**", where=Location("rules/files.yaml", 2), handler="keep")
    sweep = make_sweep()
    pending = sweep.pending()
    sweep_objects(sweep, LocalSource("files", str(staging)), "files", lambda _: rule, pending)
    sweep.confirm(pending, object_texts(LocalSource("files", str(prod))))
    assert placed(sweep) == [("files:session.bin", "bytes")]
    assert "`drop` these objects" in sweep.describe() and token not in sweep.describe()


RULES = """\
source: app
tables:
  attachments:
    id: keep
    data: {rule}
"""


def test_a_kept_blob_stops_the_run_and_placeholder_passes(
    databases: Databases,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    token = github_token()
    kind = {"postgres": "BYTEA", "mysql": "BLOB", "sqlite": "BLOB"}[databases.dialect]
    with databases.prod.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE attachments (id INTEGER PRIMARY KEY, data {kind})")
        table = sa.table("attachments", sa.column("id"), sa.column("data", sa.LargeBinary))
        conn.execute(
            table.insert(), [{"id": 1, "data": blob(token)}, {"id": 2, "data": b"\x01\x02"}]
        )
    folder = tmp_path / "project"
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "app.yaml").write_text(RULES.format(rule="keep"))
    config = folder / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nworkers: 1\n"
        f"sources:\n  app: {{kind: sql, url: {databases.prod_url!r}}}\n"
        f"targets:\n  app: {{kind: sql, url: {databases.staging_url!r}}}\n"
    )
    leaky = sanitize(config, "snapshot")
    assert leaky.returncode == ExitCode.LEAK, leaky.describe()
    assert "app.attachments.data (id=1): github-pat" in leaky.stderr, leaky.describe()
    assert "set `placeholder` or `null` on app.attachments.data" in leaky.stderr
    assert token not in leaky.output

    (folder / "rules" / "app.yaml").write_text(RULES.format(rule="placeholder"))
    fixed = sanitize(config, "snapshot")
    assert fixed.returncode == 0, fixed.describe()
    assert sanitize(config, "verify").returncode == 0
