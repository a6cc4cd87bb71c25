"""The secrets sweep over object and vector shadows, through the real ``sanitize snapshot``:
a config object kept as it is and a memory whose rules keep a token stop the run before the
swap, naming the object key and JSON path, the record and the metadata field — never the
value — and previous staging stays byte-identical. A kept field naming the customer's own
host (learned from a masked email) stops it too."""

from __future__ import annotations

import json
import secrets
import string
from pathlib import Path

import pytest
from helpers import leak_world as lh
from test_run_leaks import put, staging_state, stores  # noqa: F401 (the fixture)

from sanitizer.errors import ExitCode

ALNUM = string.ascii_letters + string.digits

RULES_FILES = lh.RULES_FILES + '  "config/**": {json: {"$.**": keep}}\n'
RULES_MEMORY = """\
source: memory
vectors:
  memories:
    document: detect
    metadata: {customer_email: {fake: email}, customer_name: {fake: name}, ticket_id: keep,
               api_token: keep, portal: keep}
"""


def token(prefix: str, size: int) -> str:
    return prefix + "".join(secrets.choice(ALNUM) for _ in range(size))


def test_kept_credentials_in_objects_and_vectors_stop_the_run(
    stores: lh.Stores,  # noqa: F811
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    name = f"memories_{tmp_path.name[-6:]}".replace("-", "_")  # chroma servers are shared
    clean = [{**m, "api_token": "", "portal": ""} for m in lh.MEMORIES]
    put(stores, request, {**lh.OBJECTS, "config/app.json": b'{"mode": "live"}\n'})
    lh.write_memories(stores.vectors_kind, stores.vectors, clean, name)
    request.addfinalizer(lambda: lh.drop_memories(stores.vectors_kind, stores.vectors, name))
    config = lh.write_config(tmp_path / "run", stores)
    (config.parent / "rules" / "files.yaml").write_text(RULES_FILES)
    (config.parent / "rules" / "memory.yaml").write_text(
        RULES_MEMORY.replace("memories:", f"{name}:")
    )
    first = lh.sanitize(config, "snapshot", stores.env)
    assert first.returncode == 0, first.describe()
    before = staging_state(stores, request, name)

    stripe, github = token("sk_" + "live_", 24), token("ghp_", 36)
    app_config = {"stripe": {"secret_key": stripe}, "region": "eu"}
    put(stores, request, {"config/app.json": json.dumps(app_config).encode()})
    leaky = [
        {**clean[0], "api_token": github},
        {**clean[1], "portal": "https://portal.acme-widgets.com/login"},  # Omar's domain
    ]
    lh.write_memories(stores.vectors_kind, stores.vectors, leaky, name)
    second = lh.sanitize(config, "snapshot", stores.env)

    assert second.returncode == ExitCode.LEAK, second.describe()
    message = second.stderr
    assert "files:config/app.json ($.stripe.secret_key): stripe-access-token" in message, message
    assert 'add `"$.stripe.secret_key": secret` to the `objects:` rule "config/**"' in message
    assert f"memory.{name}.metadata.api_token (id=m-1): github-pat" in message, message
    assert f"set `secret` on memory.{name}.metadata.api_token" in message, message
    assert f"memory.{name}.metadata.portal (id=m-2): production host (learned from" in message
    assert staging_state(stores, request, name) == before
    receipts = sorted((config.parent / "receipts").glob("*.json"))
    receipt = json.loads(receipts[-1].read_text())
    assert receipt["status"] == "failed"
    assert receipt["verification"]["secrets_check"]["hits"] == 3
    written = second.output + "".join(p.read_text() for p in receipts)
    for value in (stripe, github, "acme-widgets.com"):
        assert value not in written
