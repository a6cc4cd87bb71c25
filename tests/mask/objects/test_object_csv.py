"""CSV objects: column rules via polars with the file's dialect kept exactly."""

from __future__ import annotations

import pytest
from helpers.object_handlers import KEY, context, mask, rule

from sanitizer.config.yamlfile import Location
from sanitizer.mask.objects import MalformedObject, UncoveredFields
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING, ColumnInfo

EXPORT = rule("*.csv", '{columns: {email: {fake: email}, name: {fake: name}, "*": keep}}')


def _fake_email(value: str) -> str:
    ctx = MaskContext(Keyring(KEY), ColumnInfo(name="email", kind=STRING, sql_type="TEXT"))
    return Fake("email", Location("t", 1)).mask_values([value], ctx)[0]


def test_same_pseudonym_as_a_database_column() -> None:
    out = mask(EXPORT, "a.csv", b"id,email\n007,jane@corp.com\n").decode()
    assert out == f"id,email\n007,{_fake_email('jane@corp.com')}\n"  # 007 stays text


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_and_kept(delimiter: str) -> None:
    data = delimiter.join(["name", "plan", "email"]) + "\n"
    data += delimiter.join(["Jane Doe", "pro", "jane@corp.com"]) + "\n"
    out = mask(EXPORT, "a.csv", data.encode()).decode()
    header, row, end = out.split("\n")
    assert header == data.split("\n")[0] and end == ""
    assert row.count(delimiter) == 2 and "jane@corp.com" not in row and "Jane Doe" not in row


def test_crlf_bom_quoting_empty_and_missing_final_newline() -> None:
    data = b'\xef\xbb\xbfname,email,note\r\nJane Doe,,"a, b"\r\n,"",x\r\n"Ann ""Q"" Lee",a@b.com,y'
    out = mask(EXPORT, "a.csv", data)
    assert out.startswith(b"\xef\xbb\xbfname,email,note\r\n")
    lines = out[3:].split(b"\r\n")
    assert len(lines) == 4 and not out.endswith(b"\r\n")
    assert lines[1].endswith(b',,"a, b"')  # empty stays empty, quoting where needed
    assert lines[2] == b',"",x'  # "" stays "" (not NULL), empty name stays empty
    assert b"Ann" not in out and b"a@b.com" not in out


def test_all_quoted_files_stay_all_quoted() -> None:
    data = b'"name","plan"\n"Jane Doe","pro"\n'
    out = mask(EXPORT, "a.csv", data).decode()
    assert out.startswith('"name","plan"\n"') and out.endswith('","pro"\n')


def test_explicit_delimiter_and_no_header() -> None:
    headless = rule("*.csv", "{columns: {column_1: {fake: email}, column_2: keep}, header: false}")
    out = mask(headless, "a.csv", b"jane@corp.com,pro\n").decode()
    assert out.endswith(",pro\n") and "jane@corp.com" not in out
    semi = rule("*.csv", '{columns: {"*": keep}, delimiter: ";"}')
    assert mask(semi, "a.csv", b"a;b,c\n1;2,3\n") == b"a;b,c\n1;2,3\n"


def test_column_without_rule_is_uncovered() -> None:
    strict = rule("*.csv", "{columns: {email: {fake: email}}}")
    with pytest.raises(UncoveredFields) as caught:
        mask(strict, "a.csv", b"email,ssn\na@b.com,123-45-6789\n")
    assert caught.value.fields == ["ssn"]


def test_ragged_rows_are_malformed_without_values() -> None:
    with pytest.raises(MalformedObject, match="not valid CSV") as caught:
        mask(EXPORT, "a.csv", b"name,email\nJane,j@x.com,extra,secret-value\n")
    assert "secret" not in str(caught.value)


def test_header_only_and_empty_files() -> None:
    assert mask(EXPORT, "a.csv", b"name,email\n") == b"name,email\n"
    assert mask(EXPORT, "a.csv", b"") == b""


def test_counts_per_column_for_the_receipt() -> None:
    ctx = context()
    mask(EXPORT, "a.csv", b"name,email,plan\nJane,j@x.com,pro\nBo,,free\n", ctx)
    assert ctx.stats["email"].operator == "fake: email" and ctx.stats["email"].masked == 1
    assert ctx.stats["plan"].operator == "keep"
