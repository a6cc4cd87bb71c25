"""``sanitize snapshot`` between two buckets of a real S3 server (moto) on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.object_world import (
    JANE_EMAIL,
    METADATA,
    OBJECTS,
    OMAR_EMAIL,
    TAGS,
    leaks,
    run,
    write_config,
)

from sanitizer.errors import ExitCode

PROD, STAGING = "prod-files", "staging-files"


def _put_all(s3: Any, bucket: str, prefix: str = "") -> None:
    for key, data in OBJECTS.items():
        extra: dict[str, Any] = {}
        if key in METADATA:
            extra["Metadata"] = METADATA[key]
        if key in TAGS:
            extra["Tagging"] = "&".join(f"{k}={v}" for k, v in TAGS[key].items())
        s3.put_object(Bucket=bucket, Key=prefix + key, Body=data, ContentType="x/test", **extra)


def _bucket(s3: Any, bucket: str, prefix: str = "") -> dict[str, bytes]:
    keys = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    ]
    return {k[len(prefix) :]: s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys}


MARKERS = ("snap.sanitize-marker", "snap-processes.sanitize-marker")  # beside each prefix


@pytest.fixture(scope="module")
def world(s3: Any, s3_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict:
    s3.create_bucket(Bucket=PROD)
    s3.create_bucket(Bucket=STAGING)
    _put_all(s3, PROD, "bucket-root/")
    s3.put_object(Bucket=STAGING, Key="snap/stale/old.txt", Body=b"from an older run")
    s3.put_object(Bucket=STAGING, Key="snap.sanitize-marker", Body=b"{}")  # that run's marker
    config = write_config(
        tmp_path_factory.mktemp("s3"), f"s3://{PROD}/bucket-root", f"s3://{STAGING}/snap"
    )
    result = run(config, s3_env)
    assert result.returncode == 0, result.describe()
    return {"config": config, "result": result, "staged": _bucket(s3, STAGING, "snap/")}


def test_keys_land_masked_and_stale_objects_go(world: dict, s3: Any) -> None:
    staged = world["staged"]
    expected = {k for k in OBJECTS if not k.startswith(("avatars/", "users/"))}
    assert expected <= set(staged)
    assert "stale/old.txt" not in staged
    users = [k for k in staged if k.startswith("users/")]
    assert len(users) == 1 and JANE_EMAIL not in users[0]
    everything = _bucket(s3, STAGING)
    assert all(k.startswith("snap/") for k in everything if k not in MARKERS)  # no shadow left


def test_no_pii_in_contents_keys_metadata_or_tags(world: dict, s3: Any) -> None:
    staged = world["staged"]
    texts = [d.decode("utf-8", "replace") for d in staged.values()] + list(staged)
    key = "snap/tickets/2024/05/ticket-4711.json"
    head = s3.head_object(Bucket=STAGING, Key=key)
    tags = s3.get_object_tagging(Bucket=STAGING, Key=key)["TagSet"]
    texts += [json.dumps(head["Metadata"]), json.dumps(tags)]
    assert leaks(texts) == []
    assert head["Metadata"]["source"] == "widget"  # keep
    assert head["Metadata"]["uploaded-by"].endswith(("example.com", ".invalid", "example.org"))
    assert {t["Key"] for t in tags} == {"owner"}  # team had no rule: dropped
    assert head["ContentType"] == "x/test"


def test_same_pseudonyms_as_the_local_run(world: dict, tmp_path: Path) -> None:
    """Same key, same inputs → same staging bytes, whichever store they came from."""
    for key, data in OBJECTS.items():
        (tmp_path / "prod" / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "prod" / key).write_bytes(data)
    result = run(write_config(tmp_path, "prod", "staging"))
    assert result.returncode == 0, result.describe()
    local = {
        p.relative_to(tmp_path / "staging").as_posix(): p.read_bytes()
        for p in (tmp_path / "staging").rglob("*")
        if p.is_file()
    }
    assert local == world["staged"]


def test_failed_run_leaves_previous_staging_intact(
    world: dict, s3: Any, s3_env: dict[str, str]
) -> None:
    before = _bucket(s3, STAGING)
    s3.put_object(Bucket=PROD, Key="bucket-root/tickets/zz-broken.json", Body=b'{"a": [1, 2')
    try:
        result = run(world["config"], s3_env)
    finally:
        s3.delete_object(Bucket=PROD, Key="bucket-root/tickets/zz-broken.json")
    assert result.returncode == ExitCode.SOURCE, result.describe()
    assert "tickets/zz-broken.json" in result.stderr
    assert _bucket(s3, STAGING) == before  # nothing promoted, the shadow removed
    assert OMAR_EMAIL not in result.stderr


def test_unreachable_endpoint_is_one_clear_error(world: dict) -> None:
    env = {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # discard port: nothing listens
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    result = run(world["config"], env)
    assert result.returncode == ExitCode.SOURCE, result.describe()
    assert "cannot reach the S3 endpoint" in result.stderr and "AWS_ENDPOINT_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_credentials_are_named(world: dict, s3_env: dict[str, str]) -> None:
    env = {
        "AWS_ENDPOINT_URL": s3_env["AWS_ENDPOINT_URL"],
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = run(world["config"], env)
    assert result.returncode == ExitCode.SOURCE, result.describe()
    assert "no AWS credentials" in result.stderr and "AWS_ACCESS_KEY_ID" in result.stderr


def test_missing_bucket_is_named(world: dict, s3_env: dict[str, str], tmp_path: Path) -> None:
    config = write_config(tmp_path, "s3://no-such-bucket/x", f"s3://{STAGING}/other")
    result = run(config, s3_env)
    assert result.returncode == ExitCode.SOURCE, result.describe()
    assert "NoSuchBucket" in result.stderr and "create the bucket" in result.stderr


def test_worker_processes_write_the_same_bucket(
    world: dict, s3: Any, s3_env: dict[str, str], tmp_path: Path
) -> None:
    config = write_config(
        tmp_path, f"s3://{PROD}/bucket-root", f"s3://{STAGING}/snap-processes", workers=2
    )
    result = run(config, s3_env)
    assert result.returncode == 0, result.describe()
    assert _bucket(s3, STAGING, "snap-processes/") == world["staged"]
    head = s3.head_object(Bucket=STAGING, Key="snap-processes/tickets/2024/05/ticket-4711.json")
    assert head["Metadata"]["source"] == "widget"


def test_a_killed_runs_shadow_prefix_is_cleaned_up(
    world: dict, s3: Any, s3_env: dict[str, str]
) -> None:
    s3.put_object(Bucket=STAGING, Key="snap.sanitize-20200101T000000Z-dead00/x.json", Body=b"{}")
    result = run(world["config"], s3_env)
    assert result.returncode == 0, result.describe()
    left = [k for k in _bucket(s3, STAGING) if k not in MARKERS]
    assert all(k.startswith(("snap/", "snap-processes/")) for k in left)
    assert _bucket(s3, STAGING, "snap/") == world["staged"]
