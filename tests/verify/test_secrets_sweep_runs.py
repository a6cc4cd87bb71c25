"""The fail-closed secrets sweep, end to end: ``sanitize snapshot`` and ``sanitize verify``
against SQLite, PostgreSQL and MariaDB on loopback.

Production holds an integrations table whose rules say ``keep`` — a Stripe-shaped live key, a
Slack webhook URL, a JSON config with an SMTP password — and a kept note naming the
customer's own host, which production's masked emails teach the run. The run must stop with
the leak exit code before the swap, name each place and the rule to set, and never print a
value; staging keeps what it had. With the rules set as the message says, the run passes and
staging holds none of them; ``sanitize verify`` then passes, and finds a key planted in live
staging. Credentials are made at run time in their services' shapes (no literal key in the
repository).
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.leak_world import Result
from helpers.snapshot_runs import my_url, pg_url

from sanitizer.errors import ExitCode

SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "secrets-sweep-key-0123456789abcdef"
ALNUM = string.ascii_letters + string.digits


def _random(size: int, alphabet: str = ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(size))


@dataclass(frozen=True)
class Credentials:
    stripe: str
    slack_hook: str
    smtp_password: str
    github: str
    allowed: str  # a test-mode key, put on secrets.allow

    @classmethod
    def make(cls) -> Credentials:
        return cls(
            stripe="sk_" + "live_" + _random(24),
            slack_hook=(
                "https://hooks.slack.com/services/T"
                + _random(8, string.ascii_uppercase + string.digits)
                + "/B"
                + _random(8, string.ascii_uppercase + string.digits)
                + "/"
                + _random(24)
            ),
            smtp_password=_random(22),
            github="ghp_" + _random(36),
            allowed="sk_" + "test_" + _random(24),
        )

    def values(self) -> list[str]:
        """What must never be printed: each credential, and the token part of the hook."""
        return [
            self.stripe,
            self.slack_hook,
            self.slack_hook.rsplit("/", 1)[1],
            self.smtp_password,
            self.github,
            "acme-corp.com",  # the customer's own host, learned from production
        ]


RULES_LEAKY = """\
source: app
tables:
  contacts:
    id: keep
    email: {fake: email}
    note: keep
  integrations:
    id: keep
    provider: keep
    api_key: keep
    webhook_url: keep
    config: keep
    public_key: keep
"""

RULES_FIXED = """\
source: app
tables:
  contacts:
    id: keep
    email: {fake: email}
    note: {url: sandbox}
  integrations:
    id: keep
    provider: keep
    api_key: secret
    webhook_url: {url: sandbox}
    config: {json: {"$.smtp.password": secret, "$.**": keep}}
    public_key: keep
"""


@dataclass
class Databases:
    dialect: str
    prod_url: str
    staging_url: str
    prod: sa.Engine
    staging: sa.Engine


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    dialect = request.param
    if dialect == "sqlite":
        prod_url = f"sqlite:///{tmp_path / 'prod.db'}"
        staging_url = f"sqlite:///{tmp_path / 'staging' / 'app.db'}"
        (tmp_path / "staging").mkdir()
        yield Databases(
            dialect,
            prod_url,
            staging_url,
            sa.create_engine(prod_url),
            sa.create_engine(staging_url),
        )
        return
    prefix = f"sz_sec_{secrets.token_hex(3)}"
    names = (f"{prefix}_prod", f"{prefix}_staging")
    if dialect == "postgres":
        server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
        urls = [pg_url("postgres", n) for n in names]
        create, drop = 'CREATE DATABASE "{}"', 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'
    else:
        server = sa.create_engine(my_url("root", "", ""), isolation_level="AUTOCOMMIT")
        urls = [my_url("root", "", n) for n in names]
        create, drop = "CREATE DATABASE `{}` CHARACTER SET utf8mb4", "DROP DATABASE IF EXISTS `{}`"
    with server.connect() as conn:
        for name in names:
            conn.exec_driver_sql(create.format(name))
    engines = [sa.create_engine(url) for url in urls]
    try:
        yield Databases(dialect, urls[0], urls[1], engines[0], engines[1])
    finally:
        for engine in engines:
            engine.dispose()
        with server.connect() as conn:
            for name in names:
                conn.exec_driver_sql(drop.format(name))
        server.dispose()


def seed(engine: sa.Engine, creds: Credentials) -> None:
    config = {
        "smtp": {"host": "smtp.mailgun.org", "user": "apikey", "password": creds.smtp_password}
    }
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email VARCHAR(200), note VARCHAR(400))"
        )
        conn.exec_driver_sql(
            "CREATE TABLE integrations (id INTEGER PRIMARY KEY, provider VARCHAR(40), "
            "api_key VARCHAR(200), webhook_url VARCHAR(400), config VARCHAR(1000), "
            "public_key VARCHAR(200))"
        )
        contacts = sa.table("contacts", sa.column("id"), sa.column("email"), sa.column("note"))
        conn.execute(
            contacts.insert(),
            [
                {"id": 1, "email": "jane.doe@acme-corp.com", "note": "prefers email"},
                {"id": 2, "email": "omar@gmail.com", "note": None},
                {"id": 3, "email": "ops@acme-corp.com", "note": "https://status.acme-corp.com/"},
            ],
        )
        integrations = sa.table(
            "integrations",
            *(sa.column(c) for c in ("id", "provider", "api_key", "webhook_url", "config")),
            sa.column("public_key"),
        )
        conn.execute(
            integrations.insert(),
            [
                {
                    "id": 1,
                    "provider": "stripe",
                    "api_key": creds.stripe,
                    "webhook_url": None,
                    "config": json.dumps({"mode": "live"}),
                    "public_key": creds.allowed,
                },
                {
                    "id": 2,
                    "provider": "slack",
                    "api_key": creds.github,
                    "webhook_url": creds.slack_hook,
                    "config": json.dumps(config),
                    "public_key": None,
                },
            ],
        )


def write_project(folder: Path, dbs: Databases, rules: str, allowed: str) -> Path:
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "rules" / "app.yaml").write_text(rules)
    config = folder / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nworkers: 1\n"
        "sources:\n"
        f"  app: {{kind: sql, url: {dbs.prod_url!r}}}\n"
        "targets:\n"
        f"  app: {{kind: sql, url: {dbs.staging_url!r}}}\n"
        "secrets:\n"
        "  sinks: {default: sandbox.invalid}\n"
        f"  allow: [{allowed!r}]\n"
    )
    return config


def sanitize(config: Path, command: str) -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANITIZE_")}
    env.update(SANITIZE_KEY=KEY, HF_HUB_OFFLINE="1")
    args = [str(SANITIZE), command, "--config", str(config)]
    if command == "snapshot":
        args += ["--log-format", "json", "--init"]
    proc = subprocess.run(
        args, cwd=config.parent, env=env, capture_output=True, text=True, timeout=600
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def staging_rows(dbs: Databases) -> dict[str, list[tuple]]:
    """Every staging table's rows as text (a fresh connection: a swap replaces the file)."""
    if dbs.dialect == "sqlite" and not Path(dbs.staging.url.database or "").exists():
        return {}
    dbs.staging.dispose()
    inspector = sa.inspect(dbs.staging)
    tables = [t for t in inspector.get_table_names() if not t.startswith("sanitizer_")]
    with dbs.staging.connect() as conn:
        return {
            t: [tuple(map(str, r)) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY id")]
            for t in sorted(tables)
        }


def everything_written(folder: Path, *results: Result) -> str:
    texts = [r.output for r in results]
    texts += [p.read_text() for p in sorted((folder / "receipts").glob("*.json"))]
    return "\n".join(texts)


def test_a_kept_credential_or_production_host_stops_the_run_and_the_fix_passes(
    databases: Databases, tmp_path: Path
) -> None:
    creds = Credentials.make()
    seed(databases.prod, creds)
    folder = tmp_path / "project"
    config = write_project(folder, databases, RULES_LEAKY, creds.allowed)

    leaky = sanitize(config, "snapshot")
    assert leaky.returncode == ExitCode.LEAK, leaky.describe()
    message = leaky.stderr
    assert "app.integrations.api_key (id=1, id=2): stripe-access-token, github-pat" in message
    assert "set `secret` on app.integrations.api_key" in message, message
    assert "app.integrations.webhook_url (id=2)" in message, message
    assert "set `{url: sandbox}` on app.integrations.webhook_url" in message, message
    assert "app.integrations.config $.smtp.password (id=2)" in message, message
    assert '`{json: {"$.smtp.password": secret, "$.**": keep}}`' in message, message
    assert "app.contacts.note (id=3): production host (learned from app.contacts.email)" in message
    assert "public_key" not in message  # on secrets.allow
    assert "rules/app.yaml:10, now `keep`" in message, message
    assert staging_rows(databases) == {}, "a stopped run swapped nothing in"

    (folder / "rules" / "app.yaml").write_text(RULES_FIXED)
    fixed = sanitize(config, "snapshot")
    assert fixed.returncode == 0, fixed.describe()
    after = staging_rows(databases)
    staged = json.dumps(after)
    for value in creds.values():
        assert value not in staged
    api_keys = [row[2] for row in after["integrations"]]
    assert api_keys[0].startswith("sk_") and len(api_keys[0]) == len(creds.stripe)
    assert creds.allowed in staged  # allowed, kept

    verified = sanitize(config, "verify")
    assert verified.returncode == 0, verified.describe()

    # a leaky rule again: the run stops and staging stays exactly as it was
    (folder / "rules" / "app.yaml").write_text(RULES_LEAKY)
    again = sanitize(config, "snapshot")
    assert again.returncode == ExitCode.LEAK, again.describe()
    assert staging_rows(databases) == after

    # a key planted in live staging: `sanitize verify` finds it, naming where
    with databases.staging.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE integrations SET provider = %s WHERE id = 1"
            if databases.dialect != "sqlite"
            else "UPDATE integrations SET provider = ? WHERE id = 1",
            (creds.stripe,),
        )
    planted = sanitize(config, "verify")
    assert planted.returncode == ExitCode.LEAK, planted.describe()
    assert "app.integrations.provider (id=1)" in planted.stderr, planted.describe()

    written = everything_written(folder, leaky, fixed, verified, again, planted)
    for value in creds.values():
        assert value not in written, "a credential or production host was printed"
