"""Staging cannot reach production's integrations: the demo end to end, every URL replayed.

The demo's production holds the keys to the outside world (sanitizer/demo/generate/
credentials.py): webhook URLs of Slack, Discord and customers' own systems, callback URLs,
database URLs with passwords, API keys and tokens — in columns, JSON, pasted into messages, in
a config object in the bucket and in agent memories. After ``sanitize snapshot`` with the
repository's rules, this test takes every URL found anywhere in staging (SQL cells, object keys
and contents, vector documents and metadata) and replays it against a loopback HTTP server that
``secrets.sinks`` names as the sink for http(s) destinations. A URL whose host is neither that
sink nor a ``.invalid`` name (RFC 6761: never resolves) is reported and never requested, so
nothing beyond 127.0.0.1 is ever contacted. The one other kind of host staging holds is RFC 2606's
``example.com/.net/.org``, where ``{fake: url}`` puts people's profile links: the test shows it
comes from that rule only.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import fixture_db as fx
from helpers.snapshot_runs import CliResult, cli_env, trimmed_demo_production, write_demo_config
from helpers.snapshot_runs import run_cli as harness_run_cli

from sanitizer.mask.secrets.find import DB_SCHEMES

LOOPBACK = "127.0.0.1"
# a tenth of the tickets, as in test_demo_sqlite.py, but every pasted credential, every
# integration and every failed delivery stays (the pasted messages come after the others)
TRIM = """
DELETE FROM messages WHERE ticket_id % 10 != 0 AND id <= (SELECT max(id) - 60 FROM messages);
DELETE FROM tickets WHERE id % 10 != 0 AND id NOT IN (SELECT ticket_id FROM messages);
DELETE FROM agent_runs WHERE ticket_id NOT IN (SELECT id FROM tickets)
    OR (ticket_id IS NULL AND id % 10 != 0);
DELETE FROM retry_queue WHERE run_id NOT IN (SELECT id FROM agent_runs);
DELETE FROM audit_log WHERE rowid % 10 != 0;
DELETE FROM dead_letters WHERE id % 5 != 0 AND topic NOT LIKE 'integration.%';
"""
# URLs of the protocols clients speak (web, mail, file transfer, every database scheme): a
# broken JSON document is scrambled whole, so its "https://…" becomes "ihpub://…", which
# nothing can dereference
SCHEMES = ("https?", "wss?", "s?ftps?", "smtps?", *sorted(DB_SCHEMES, key=len, reverse=True))
URL = re.compile(
    rf"""(?i)(?<![a-z0-9+.-])(?:{"|".join(s.replace("+", "[+]") for s in SCHEMES)})://"""
    r"""[^\s<>"'`\\|)\]]+"""
)
# RFC 2606's documentation names, where `fake: url` puts a person's profile links (never a
# production host): listed apart, and only that rule may produce them
DOCUMENTATION = ("example.com", "example.net", "example.org")


class Inbox(BaseHTTPRequestHandler):
    """The staging sink: records what reaches it, answers 204, forwards nothing."""

    received: list[tuple[str, str, str]]

    def _record(self) -> None:
        self.received.append((self.command, self.headers.get("Host", ""), self.path))
        self.send_response(204)
        self.end_headers()

    do_GET = do_POST = do_PUT = _record  # http.server dispatches on the method name

    def log_message(self, format: str, *args: object) -> None:
        return


@dataclass
class Demo:
    folder: Path
    port: int
    result: CliResult
    received: list[tuple[str, str, str]] = field(default_factory=list)


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[int, list[tuple[str, str, str]]]]:
    received: list[tuple[str, str, str]] = []
    handler = type("DemoInbox", (Inbox,), {"received": received})
    server = ThreadingHTTPServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def write_config(folder: Path, port: int) -> Path:
    return write_demo_config(
        folder,
        "batch_size: 500\n"
        "secrets:\n"
        "  sinks:\n"
        "    default: sandbox.invalid\n"
        f"    http: {LOOPBACK}:{port}\n",  # http and https destinations: the loopback inbox
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, inbox: tuple[int, list]) -> Demo:
    folder = tmp_path_factory.mktemp("destinations")
    prod = trimmed_demo_production(folder, TRIM)
    from sanitizer.demo.memory import build_memory

    build_memory(prod, folder / "prod" / "memory")
    port, received = inbox
    result = harness_run_cli(write_config(folder, port), cli_env(fx.KEY_A))
    return Demo(folder, port, result, received)


# -- where URLs are found ---------------------------------------------------------------------


def texts_of_value(value: object) -> Iterator[str]:
    """A cell or metadata value as text, and JSON text decoded (so ``\\/`` reads as ``/``)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return
    yield value
    if "\\" in value:
        try:
            yield json.dumps(json.loads(value), ensure_ascii=False)
        except ValueError:
            yield value.replace("\\/", "/")


def sql_texts(db: Path) -> Iterator[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sanitizer_%'"
            )
        ]
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for name, cell in zip(names, row, strict=True):
                    for text in texts_of_value(cell):
                        yield f"sql {table}.{name}", text
    finally:
        conn.close()


def object_texts(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = path.relative_to(folder).as_posix()
        yield f"object key {key}", key
        for text in texts_of_value(path.read_bytes()):
            yield f"object {key}", text


def vector_texts(folder: Path) -> Iterator[tuple[str, str]]:
    import lancedb

    store = lancedb.connect(str(folder))
    for name in store.table_names():
        for record in store.open_table(name).to_arrow().to_pylist():
            for column, value in record.items():
                if column != "vector":
                    for text in texts_of_value(value):
                        yield f"vectors {name}.{column}", text


def urls(found: Iterator[tuple[str, str]]) -> dict[str, set[str]]:
    """URL → where it was found."""
    out: dict[str, set[str]] = {}
    for where, text in found:
        for match in URL.finditer(text):
            out.setdefault(match.group().rstrip(".,;:!?"), set()).add(where)
    return out


def everything(root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for part in (
        urls(sql_texts(root / "app.db")),
        urls(object_texts(root / "files")),
        urls(vector_texts(root / "memory")),
    ):
        for url, where in part.items():
            found.setdefault(url, set()).update(where)
    return found


def host_of(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


# -- the tests --------------------------------------------------------------------------------


def test_the_demo_run_succeeds(demo: Demo) -> None:
    assert demo.result.returncode == 0, demo.result.describe()
    assert demo.result.receipt["verification"]["passed"] is True


def test_production_is_full_of_live_destinations(demo: Demo) -> None:
    """What the replay is up against: URLs to real services and customers' own hosts."""
    prod = everything(demo.folder / "prod")
    hosts = {host_of(u) for u in prod}
    assert "hooks.slack.com" in hosts and "discord.com" in hosts
    assert sum(1 for h in hosts if h and h.startswith("api.")) > 20  # customers' endpoints
    assert sum(1 for u in prod if u.startswith("postgresql://")) > 5
    assert any(w.startswith("vectors") for where in prod.values() for w in where)
    assert any(w.startswith("object config/") for where in prod.values() for w in where)


def test_every_url_in_staging_reaches_only_the_sink(demo: Demo) -> None:
    assert demo.result.returncode == 0, demo.result.describe()
    staging = everything(demo.folder / "staging")
    prod = everything(demo.folder / "prod")
    assert len(staging) > 0.5 * len(prod) > 100  # URLs kept their place, pointing elsewhere
    sink = f"{LOOPBACK}:{demo.port}"
    replayed, nowhere, documentation, elsewhere = 0, 0, set(), {}
    for url, where in sorted(staging.items()):
        parts = urlsplit(url)
        host = host_of(url)
        if host is not None and host.endswith(".invalid"):
            nowhere += 1  # RFC 6761: resolves nowhere; not requested
        elif host in DOCUMENTATION:
            documentation |= where  # not requested either
        elif parts.netloc.rpartition("@")[2] == sink and parts.scheme in ("http", "https"):
            replayed += 1
            path = parts.path or "/"
            conn = http.client.HTTPConnection(LOOPBACK, demo.port, timeout=10)
            conn.request("POST", path + (f"?{parts.query}" if parts.query else ""), body=b"{}")
            assert conn.getresponse().status == 204
            conn.close()
        else:
            elsewhere[f"{parts.scheme}://{host}"] = sorted(where)  # never requested
    assert elsewhere == {}
    assert replayed > 50 and nowhere > 5
    assert documentation <= {"sql contacts.profile"}  # "$.social[*].url": {fake: url}
    assert len(demo.received) >= replayed


def test_no_production_destination_survives(demo: Demo) -> None:
    """No production URL (nor its host) is in staging: webhooks, callbacks, DSNs."""
    prod = everything(demo.folder / "prod")
    hosts = {h for u in prod if (h := host_of(u)) and not h.endswith(".invalid")}
    staged = "\n".join(text for _, text in sql_texts(demo.folder / "staging" / "app.db"))
    staged += "\n".join(text for _, text in object_texts(demo.folder / "staging" / "files"))
    staged += "\n".join(text for _, text in vector_texts(demo.folder / "staging" / "memory"))
    assert not [u for u in prod if u in staged]
    assert not [h for h in hosts if re.search(rf"(?<![\w.-]){re.escape(h)}(?![\w-])", staged)]
