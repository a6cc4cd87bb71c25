"""Real stores for the target tests: an S3-compatible server (moto's server mode) on a free
loopback port, per session, and a ``chroma run`` server per test module (the lock tests).

The CLI reaches them over HTTP through the usual AWS environment variables, exactly as it
would reach a production endpoint; nothing is patched in-process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers.servers import s3_client, serve_chroma, serve_s3


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    yield from serve_s3()


@pytest.fixture(scope="session")
def s3(s3_env: dict[str, str]) -> Any:
    """A boto3 client on the test server, for setting up and inspecting buckets."""
    return s3_client(s3_env)


@pytest.fixture(scope="module")
def chroma_staging(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``chroma run`` server on a free loopback port: a Chroma staging store."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-staging"))
