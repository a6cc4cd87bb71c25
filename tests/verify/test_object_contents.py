"""What the object scan reads of a staging object: the places it names and the texts it looks
up — decoded where an encoding would hide a value's words (JSON escapes, base64 and
quoted-printable mail parts, encoded header words), nothing of binary objects."""

from __future__ import annotations

import base64
import io
import json

import polars as pl
import pytest

from sanitizer.verify.leaks import LeakIndex
from sanitizer.verify.objects import contents, shown

EMAIL, NAME = "jane.okonkwo@corp-mail.com", "Jane Okonkwo-Berg"


@pytest.fixture(scope="module")
def index() -> LeakIndex:
    built = LeakIndex(b"k" * 32)
    built.add_all([EMAIL, NAME])
    return built


def found(index: LeakIndex, key: str, data: bytes) -> list[str]:
    return [place for place, text in contents(key, io.BytesIO(data)) if index.found_in(text)]


def test_text_is_scanned_by_line(index: LeakIndex) -> None:
    assert found(index, "notes/a.md", f"# notes\n\n- owner {NAME}\n".encode()) == ["line 3"]


def test_json_is_scanned_by_leaf_with_escapes_undone(index: LeakIndex) -> None:
    data = json.dumps({"who": [{"note": f"line one\n{NAME}"}], EMAIL: 1}).encode()
    assert found(index, "t/1.json", data) == ["$.who[0].note", "$"]
    lines = (json.dumps({"body": f"a\n{NAME}"}) + "\n").encode()  # NDJSON: "\\n" in the line
    assert found(index, "events/1.ndjson", lines) == ["line 1 $.body"]


def test_mail_parts_are_decoded(index: LeakIndex) -> None:
    body = base64.encodebytes(f"Hello,\nplease write to {EMAIL}.\n".encode()).decode()
    subject = "=?utf-8?b?" + base64.b64encode(f"About {NAME}".encode()).decode() + "?="
    message = (
        f"From: support@example.com\nSubject: {subject}\nContent-Type: text/plain\n"
        f"Content-Transfer-Encoding: base64\n\n{body}"
    ).encode()
    assert found(index, "mail/1.eml", message) == ["part 1 Subject", "part 1"]


def test_parquet_cells_and_binary_objects(index: LeakIndex) -> None:
    sink = io.BytesIO()
    pl.DataFrame({"id": [1, 2], "owner": ["nobody", NAME]}).write_parquet(sink)
    assert found(index, "exports/a.parquet", sink.getvalue()) == ["column owner, row 2"]
    assert found(index, "img/a.png", b"\x89PNG\r\n\x1a\n\x00" + EMAIL.encode()) == []
    assert found(index, "misc/README", f"owner: {EMAIL}\n".encode()) == ["line 1"]


def test_a_value_inside_a_key_or_path_is_shown_as_a_star(index: LeakIndex) -> None:
    assert shown(index, f"users/{EMAIL}/avatar.png") == "users/*/avatar.png"
    assert shown(index, "tickets/1.json") == "tickets/1.json"
