"""``sanitize scan`` against real servers: a Chroma collection and an S3 bucket (with user
metadata), reached over loopback exactly as production would be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.review_project import sanitize
from helpers.scan_stores import PLANTED, file_objects, memory_rows, person

EMAIL, NAME, PHONE = {"fake": "email"}, {"fake": "name"}, {"fake": "phone"}
CONFIG = """\
rules: rules/
key: ${{SANITIZE_KEY}}
sources:
  agents: {{kind: chroma, url: "{chroma}"}}
  bucket: {{kind: objects, url: "s3://prod-scan/p"}}
targets:
  agents: {{kind: chroma, url: "http://127.0.0.1:9"}}
  bucket: {{kind: objects, url: "s3://staging-scan/p"}}
"""


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory,
    chroma_url: str,
    s3_env: dict[str, str],
) -> Path:
    _fill_chroma(chroma_url)
    _fill_bucket(s3_env)
    root = tmp_path_factory.mktemp("scan-servers")
    (root / "sanitize.yaml").write_text(CONFIG.format(chroma=chroma_url))
    (root / "rules").mkdir()
    return root


def _fill_chroma(url: str) -> None:
    import chromadb

    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port))
    collection = client.create_collection("notes", embedding_function=None)
    rows = memory_rows()
    collection.add(
        ids=[r["id"] for r in rows],
        documents=[r["document"] for r in rows],
        embeddings=[[0.1, 0.2, float(i)] for i in range(len(rows))],
        metadatas=[{k: r[k] for k in ("m1", "m2", "m3", "sku", "qty", "state")} for r in rows],
    )


def _fill_bucket(env: dict[str, str]) -> None:
    import boto3

    s3: Any = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket="prod-scan")
    for i, (key, data) in enumerate(sorted(file_objects().items())):
        metadata = {"owner": person(i)[1], "channel": "web"} if key.endswith(".json") else {}
        s3.put_object(Bucket="prod-scan", Key=f"p/{key}", Body=data, Metadata=metadata)


def test_chroma_scan_proposes_fakes_for_pii_metadata(servers):
    result = sanitize(servers, "scan", "agents")
    assert result.code == 0, result.stderr
    notes = yaml.safe_load(result.stdout)["vectors"]["notes"]
    assert notes["document"] == "detect"
    metadata = notes["metadata"]
    assert (metadata["m1"], metadata["m2"], metadata["m3"]) == (EMAIL, NAME, PHONE)
    assert metadata["sku"] == metadata["qty"] == metadata["state"] == "keep"
    for value in PLANTED:
        assert value not in result.stdout + result.stderr


def test_s3_scan_proposes_rules_per_shape_and_for_user_metadata(servers, s3_env):
    result = sanitize(servers, "scan", "bucket", **s3_env)
    assert result.code == 0, result.stderr
    objects = yaml.safe_load(result.stdout)["objects"]
    batches = objects["batches/**/*.json"]
    assert batches["json"]["$.a.x1"] == EMAIL
    assert batches["metadata"] == {"owner": EMAIL, "channel": "keep"}
    assert objects["dumps/*.csv"]["columns"]["c2"] == EMAIL
    assert objects["inbox/**/*.md"]["keys"] == "detect"
    assert objects["img/*.png"] == "drop"
    for value in PLANTED:
        assert value not in result.stdout + result.stderr
