"""A small production bucket with PII everywhere (contents, keys, metadata) and its rules.

The same objects are laid out in a local folder and in a real S3 server (moto, on loopback),
then ``sanitize snapshot`` runs as a subprocess and the tests read what landed in staging.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "objects-test-key-0123456789abcdef"

JANE, JANE_EMAIL, JANE_PHONE = "Jane Doe", "jane.doe@corp-mail.com", "+1 415 555 0100"
OMAR, OMAR_EMAIL = "Omar Haddad", "omar.haddad@acme-widgets.com"
PII = (JANE, JANE_EMAIL, OMAR, OMAR_EMAIL, "415 555 0100", "jane.doe", "omar.haddad")

TICKET = {
    "id": 4711,
    "status": "open",
    "requester": {"email": JANE_EMAIL, "name": JANE},
    "body": f"Hi, this is {JANE}. Call me at {JANE_PHONE} or write to {JANE_EMAIL}.",
    "tags": ["billing", "urgent"],
}

OBJECTS: dict[str, bytes] = {
    "tickets/2024/05/ticket-4711.json": json.dumps(TICKET, indent=2).encode() + b"\n",
    # BOM and CRLF, four-space indentation: all must survive
    "tickets/2024/05/ticket-4712.json": b"\xef\xbb\xbf"
    + json.dumps({**TICKET, "id": 4712}, indent=4).replace("\n", "\r\n").encode()
    + b"\r\n",
    "events/2024-05-01.ndjson": (
        json.dumps({"event": "login", "email": JANE_EMAIL, "ip": "10.1.2.3"})
        + "\n\n"
        + json.dumps({"event": "logout", "email": OMAR_EMAIL, "ip": "10.1.2.4"})
        + "\r\n"
    ).encode(),
    "exports/customers.csv": (
        "name;email;plan\r\n"
        f'"{JANE}";{JANE_EMAIL};pro\r\n'
        f'{OMAR};{OMAR_EMAIL};"free; trial"\r\n'
        ";;\r\n"
    ).encode(),
    "transcripts/4711.txt": (
        f"Agent: Hello {JANE}, I can see the ticket.\n"
        f"Customer: Thanks. My email is {JANE_EMAIL} and my phone {JANE_PHONE}.\n"
    ).encode(),
    "notes/readme.md": f"# Account notes\n\n- owner: **{OMAR}** ({OMAR_EMAIL})\n".encode(),
    f"users/{JANE_EMAIL}/avatar.png": b"\x89PNG\r\n\x1a\n-not-a-real-image-",
    "avatars/raw/omar.jpg": b"\xff\xd8\xff-jpeg-bytes",
}
METADATA = {"tickets/2024/05/ticket-4711.json": {"uploaded-by": JANE_EMAIL, "source": "widget"}}
TAGS = {"tickets/2024/05/ticket-4711.json": {"owner": OMAR_EMAIL, "team": "support"}}

RULES = """\
source: files
objects:
  "tickets/**/*.json":
    json: {"$.requester.email": {fake: email}, "$.requester.name": {fake: name},
           "$.body": detect, "$.**": keep}
    metadata: {uploaded-by: {fake: email}, source: keep}
    tags: {owner: {fake: email}, "*": drop}
  "events/*.ndjson": {json: {"$.email": {fake: email}, "$.ip": {fake: ip}, "$.**": keep}}
  "exports/*.csv": {columns: {email: {fake: email}, name: {fake: name}, "*": keep}}
  "transcripts/**": detect
  "notes/*.md": detect
  "users/*/avatar.png": keep
  "avatars/**": drop
"""


def write_config(
    folder: Path,
    source: str,
    target: str,
    rules: str = RULES,
    on_malformed: str = "fail",
    workers: int = 1,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(exist_ok=True)
    (folder / "rules" / "files.yaml").write_text(rules)
    config = folder / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\n"
        f"workers: {workers}\n"
        f"objects: {{on_malformed: {on_malformed}, concurrency: 4}}\n"
        f"sources:\n  files: {{kind: objects, url: {source!r}}}\n"
        f"targets:\n  files: {{kind: objects, url: {target!r}}}\n"
    )
    return config


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    receipt: dict[str, Any] | None

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run(config: Path, env: dict[str, str] | None = None, key: str = KEY) -> Result:
    """``sanitize snapshot`` as a subprocess; the receipt it wrote, if any."""
    receipts = config.parent / "receipts"
    before = set(receipts.glob("*.json")) if receipts.exists() else set()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "AWS_"))}
    environ.update(SANITIZE_KEY=key, **(env or {}))
    proc = subprocess.run(
        [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "json"],
        cwd=config.parent,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    new = sorted(set(receipts.glob("*.json")) - before) if receipts.exists() else []
    receipt = json.loads(new[-1].read_text()) if new else None
    return Result(proc.returncode, proc.stdout, proc.stderr, receipt)


def leaks(texts: list[str]) -> list[str]:
    """Which original PII strings appear in any of ``texts``."""
    return [p for p in PII if any(p.lower() in t.lower() for t in texts)]
