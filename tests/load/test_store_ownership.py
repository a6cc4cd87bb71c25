"""Object and vector targets must be sanitizer's own before a run writes anything there.

A run replaces a staging folder or prefix wholesale, so a target that holds somebody else's
data is refused (exit 2, nothing touched); a new one is marked on first use; an existing empty
folder is adopted only with ``--init``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers.object_world import KEY, OBJECTS, SANITIZE, run, write_config

from sanitizer.errors import ConfigError, ExitCode
from sanitizer.load.objects.local import LocalTarget
from sanitizer.load.objects.s3 import S3Target
from sanitizer.load.ownership import folder_marker
from sanitizer.load.vectors.lancedb import LanceTarget


@pytest.fixture
def prod(tmp_path: Path) -> Path:
    for key, data in OBJECTS.items():
        path = tmp_path / "prod" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_folder_holding_foreign_files_is_refused_and_left_alone(prod: Path) -> None:
    staging = prod / "staging"
    (staging / "reports").mkdir(parents=True)
    (staging / "reports" / "q3.pdf").write_bytes(b"%PDF-somebody's report")
    before = files(staging)
    result = run(write_config(prod, "prod", "staging"))
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "sanitizer did not write" in result.stderr and "q3.pdf" not in result.stderr
    assert "Traceback" not in result.stderr
    assert files(staging) == before
    assert not folder_marker(staging).exists()


def test_a_new_folder_is_marked_and_later_runs_recognize_it(prod: Path) -> None:
    config = write_config(prod, "prod", "staging")
    first = run(config)
    assert first.returncode == 0, first.describe()
    marker = folder_marker(prod / "staging")
    assert marker.is_file() and b'"tool": "sanitizer"' in marker.read_bytes()
    assert ".sanitize.marker" not in " ".join(files(prod / "staging"))  # beside, not inside
    second = run(config)
    assert second.returncode == 0, second.describe()


def test_an_existing_empty_folder_needs_init(prod: Path) -> None:
    (prod / "staging").mkdir()
    config = write_config(prod, "prod", "staging")
    refused = run(config)
    assert refused.returncode == ExitCode.CONFIG and "--init" in refused.stderr
    adopted = subprocess.run(
        [str(SANITIZE), "snapshot", "--config", str(config), "--init"],
        cwd=prod,
        env={"SANITIZE_KEY": KEY, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert adopted.returncode == 0, adopted.stderr
    assert folder_marker(prod / "staging").is_file()


def test_a_dry_run_checks_ownership_but_writes_no_marker(tmp_path: Path) -> None:
    target = LocalTarget("files", str(tmp_path / "staging"))
    target.claim("run-1", "0.1", init=False, write=False)
    assert not folder_marker(tmp_path / "staging").exists()


def test_a_lancedb_directory_with_foreign_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memory"
    (path / "their_table.lance").mkdir(parents=True)
    with pytest.raises(ConfigError, match="did not write"):
        LanceTarget("memory", str(path)).claim("run-1", "0.1", init=True)
    LanceTarget("fresh", str(tmp_path / "new")).claim("run-1", "0.1", init=False)
    assert folder_marker(tmp_path / "new").is_file()


def test_an_s3_prefix_holding_foreign_objects_is_refused(s3, s3_env, monkeypatch) -> None:
    for name, value in s3_env.items():
        monkeypatch.setenv(name, value)
    s3.create_bucket(Bucket="owned")
    s3.put_object(Bucket="owned", Key="staging/theirs.csv", Body=b"a,b\n")
    with pytest.raises(ConfigError, match="1 objects sanitizer did not write"):
        S3Target("files", "s3://owned/staging").claim("run-1", "0.1", init=True)
    fresh = S3Target("files", "s3://owned/fresh")
    fresh.claim("run-1", "0.1", init=False)
    marker = s3.get_object(Bucket="owned", Key="fresh.sanitize-marker")["Body"].read()
    assert b"sanitizer" in marker
    s3.put_object(Bucket="owned", Key="fresh/a.txt", Body=b"written by a run")
    fresh.claim("run-2", "0.1", init=False)  # marked: its contents are its own
    fresh.prepare("run-2")  # a killed run's leftovers go; the marker stays
    assert s3.head_object(Bucket="owned", Key="fresh.sanitize-marker")


def test_a_chroma_collection_the_run_would_replace_must_carry_the_stamp(tmp_path: Path) -> None:
    from sanitizer.load.vectors.base import RUN_KEY
    from sanitizer.load.vectors.chroma import ChromaTarget

    target = ChromaTarget("memory", str(tmp_path / "chroma"))
    target.client.create_collection("theirs", metadata={"owner": "another app"})
    target.client.create_collection("ours", metadata={RUN_KEY: "20261126T000000Z-abcdef"})
    target.managed = ["ours", "new_one"]
    target.claim("run-1", "0.1", init=False)  # stamped, or not there yet: fine
    target.managed = ["ours", "theirs"]
    with pytest.raises(ConfigError, match="1 collection"):
        target.claim("run-1", "0.1", init=True)
    target.close()
