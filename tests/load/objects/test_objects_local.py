"""``sanitize snapshot`` from a local production folder into a local staging folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.object_world import JANE_EMAIL, OBJECTS, leaks, run, write_config

from sanitizer.errors import ExitCode


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("local")
    for key, data in OBJECTS.items():
        path = root / "prod" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    config = write_config(root, "prod", "staging")
    first = run(config)
    assert first.returncode == 0, first.describe()
    staged = _read(root / "staging")
    second = run(config)
    assert second.returncode == 0, second.describe()
    return {"root": root, "config": config, "first": first, "staged": staged, "second": second}


def _read(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_same_layout_with_pii_keys_masked(world: dict) -> None:
    staged = world["staged"]
    expected = {k for k in OBJECTS if not k.startswith("avatars/")}  # avatars/**: drop
    unchanged = {k for k in expected if not k.startswith("users/")}
    assert unchanged <= set(staged)
    assert len(staged) == len(expected)
    avatar = [k for k in staged if k.startswith("users/")]
    assert len(avatar) == 1 and avatar[0].endswith("/avatar.png")
    assert JANE_EMAIL not in avatar[0] and "@example." in avatar[0]
    assert staged[avatar[0]] == OBJECTS[f"users/{JANE_EMAIL}/avatar.png"]  # keep: same bytes


def test_no_original_pii_in_contents_or_keys(world: dict) -> None:
    staged = world["staged"]
    texts = [data.decode("utf-8", "replace") for data in staged.values()] + list(staged)
    assert leaks(texts) == []
    receipt_text = json.dumps(world["first"].receipt)
    assert leaks([receipt_text, world["first"].stdout, world["first"].stderr]) == []


def test_formats_survive(world: dict) -> None:
    staged = world["staged"]
    crlf = staged["tickets/2024/05/ticket-4712.json"]
    assert crlf.startswith(b"\xef\xbb\xbf") and crlf.endswith(b"}\r\n")
    assert b'\r\n    "id": 4712,' in crlf and b"\n" not in crlf.replace(b"\r\n", b"")
    doc = json.loads(crlf[3:])
    assert list(doc) == ["id", "status", "requester", "body", "tags"]
    plain = staged["tickets/2024/05/ticket-4711.json"].decode()
    assert plain.startswith('{\n  "id": 4711,') and plain.endswith("}\n")
    csv = staged["exports/customers.csv"].decode()
    lines = csv.split("\r\n")
    assert lines[0] == "name;email;plan" and lines[-2] == ";;" and lines[-1] == ""
    assert lines[2].endswith(';"free; trial"')
    events = staged["events/2024-05-01.ndjson"].decode()
    assert events.count("\n") == 3 and "\n\n" in events and events.endswith("}\r\n")


def test_pseudonyms_match_across_formats(world: dict) -> None:
    staged = world["staged"]
    ticket = json.loads(staged["tickets/2024/05/ticket-4711.json"])
    fake = ticket["requester"]["email"]
    assert fake in ticket["body"]
    assert fake in staged["exports/customers.csv"].decode()
    assert fake in staged["transcripts/4711.txt"].decode()
    assert fake in staged["events/2024-05-01.ndjson"].decode()
    assert any(fake in key for key in staged)


def test_rerun_with_the_same_key_is_identical(world: dict) -> None:
    assert _read(world["root"] / "staging") == world["staged"]
    assert not [p for p in world["root"].iterdir() if ".sanitize-" in p.name]


def test_receipt_counts_per_rule(world: dict) -> None:
    objects = world["first"].receipt["objects"]
    assert objects["files:avatars/**"]["dropped"] == 1
    assert objects["files:avatars/**"]["objects_out"] == 0
    tickets = objects["files:tickets/**/*.json"]
    assert (tickets["objects_in"], tickets["objects_out"]) == (2, 2)
    assert tickets["bytes_in"] > 0 and tickets["bytes_out"] > 0
    assert objects["files:users/*/avatar.png"]["keys_changed"] == 1
    assert world["first"].receipt["entities"].get("EMAIL_ADDRESS", 0) >= 2


def test_unmatched_key_fails_before_writing(world: dict, tmp_path: Path) -> None:
    prod = tmp_path / "prod"
    (prod / "tickets").mkdir(parents=True)
    (prod / "tickets" / "a.json").write_text("{}")
    (prod / "secrets" / JANE_EMAIL).mkdir(parents=True)
    (prod / "secrets" / JANE_EMAIL / "dump.bin").write_bytes(b"x")
    config = write_config(tmp_path, "prod", "staging")
    result = run(config)
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "match" in result.stderr and "secrets/" in result.stderr
    assert '"secrets/**' in result.stderr  # a rule to paste
    assert JANE_EMAIL not in result.stderr  # the key is named masked
    assert not (tmp_path / "staging").exists()


def test_malformed_json_fails_the_run_and_keeps_staging(world: dict, tmp_path: Path) -> None:
    prod = tmp_path / "prod"
    for key, data in OBJECTS.items():
        (prod / key).parent.mkdir(parents=True, exist_ok=True)
        (prod / key).write_bytes(data)
    config = write_config(tmp_path, "prod", "staging")
    assert run(config).returncode == 0
    before = _read(tmp_path / "staging")
    (prod / "tickets/2024/05/broken.json").write_text('{"requester": {"email": "x@y.com"')
    result = run(config)
    assert result.returncode == ExitCode.SOURCE, result.describe()
    assert "tickets/2024/05/broken.json" in result.stderr and "not valid JSON" in result.stderr
    assert "quarantine" in result.stderr  # the fix names the other policy
    assert _read(tmp_path / "staging") == before
    assert not [p for p in tmp_path.iterdir() if ".sanitize-" in p.name]

    quarantine = write_config(tmp_path, "prod", "staging", on_malformed="quarantine")
    result = run(quarantine)
    assert result.returncode == 0, result.describe()
    staged = _read(tmp_path / "staging")
    assert "tickets/2024/05/broken.json" not in staged
    assert set(staged) == set(before)
    listed = result.receipt["objects"]["files:tickets/**/*.json"]["quarantined"]
    assert listed == [{"key": "tickets/2024/05/broken.json", "reason": listed[0]["reason"]}]
    assert "x@y.com" not in json.dumps(result.receipt)


def test_uncovered_csv_column_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "prod" / "exports").mkdir(parents=True)
    (tmp_path / "prod" / "exports" / "a.csv").write_text("email,ssn\na@b.com,123-45-6789\n")
    rules = 'source: files\nobjects:\n  "exports/*.csv": {columns: {email: {fake: email}}}\n'
    result = run(write_config(tmp_path, "prod", "staging", rules=rules))
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "ssn" in result.stderr and "123-45-6789" not in result.stderr
    assert not (tmp_path / "staging").exists()


def test_defaults_unknown_covers_unmatched_objects(tmp_path: Path) -> None:
    (tmp_path / "prod" / "notes").mkdir(parents=True)
    (tmp_path / "prod" / "notes" / "a.txt").write_text(f"mail {JANE_EMAIL} today\n")
    (tmp_path / "prod" / "a.json").write_text("{}")
    rules = 'source: files\ndefaults: {unknown: detect}\nobjects:\n  "*.json": keep\n'
    result = run(write_config(tmp_path, "prod", "staging", rules=rules))
    assert result.returncode == 0, result.describe()
    text = (tmp_path / "staging" / "notes" / "a.txt").read_text()
    assert text.startswith("mail ") and JANE_EMAIL not in text
    assert result.receipt["objects"]["files:defaults.unknown"]["objects_out"] == 1


def test_rules_check_counts_objects(world: dict) -> None:
    import subprocess

    from helpers.object_world import KEY, SANITIZE

    proc = subprocess.run(
        [str(SANITIZE), "rules", "check", "--live", "--config", str(world["config"])],
        capture_output=True,
        text=True,
        env={"SANITIZE_KEY": KEY, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"{len(OBJECTS)} objects" in proc.stdout


def test_worker_processes_give_the_same_staging(world: dict, tmp_path: Path) -> None:
    for key, data in OBJECTS.items():
        (tmp_path / "prod" / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "prod" / key).write_bytes(data)
    result = run(write_config(tmp_path, "prod", "staging", workers=2))
    assert result.returncode == 0, result.describe()
    assert _read(tmp_path / "staging") == world["staged"]
    first = world["first"].receipt["objects"]
    assert {k: v["objects_out"] for k, v in result.receipt["objects"].items()} == {
        k: v["objects_out"] for k, v in first.items()
    }


def test_a_killed_runs_shadow_is_cleaned_up_by_the_next_run(tmp_path: Path) -> None:
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "a.json").write_text('{"n": 1}')
    stale = tmp_path / ".staging.sanitize-20200101T000000Z-dead00"
    (stale / "half").mkdir(parents=True)
    (stale / "half" / "written.json").write_text("{}")
    rules = 'source: files\nobjects:\n  "*.json": {keep: true, keys: keep}\n'
    result = run(write_config(tmp_path, "prod", "staging", rules=rules))
    assert result.returncode == 0, result.describe()
    assert not stale.exists()
    assert _read(tmp_path / "staging") == {"a.json": b'{"n": 1}'}


def test_a_target_overlapping_its_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "prod" / "x").mkdir(parents=True)
    result = run(write_config(tmp_path, "prod", "prod/x/staging"))
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "overlaps its source" in result.stderr
