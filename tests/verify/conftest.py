"""Real stores for the leak tests: a moto S3 server and a ``chroma run`` server on loopback.

Both are started once per session on free 127.0.0.1 ports and stopped at the end; the CLI
reaches them over HTTP exactly as it would reach production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.servers import s3_client, serve_chroma, serve_s3

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    yield from serve_s3()


@pytest.fixture(scope="session")
def s3(s3_env: dict[str, str]) -> Any:
    """A boto3 client on the test server, for setting up and inspecting buckets."""
    return s3_client(s3_env)


@pytest.fixture(scope="session")
def chroma_prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-prod"))


@pytest.fixture(scope="session")
def chroma_staging(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-staging"))
