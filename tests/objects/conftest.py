"""A real S3-compatible server (moto's server mode) on a free loopback port, per session.

The CLI reaches it over HTTP through the usual AWS environment variables, exactly as it
would reach a production endpoint; nothing is patched in-process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from servers_harness import serve_s3


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    yield from serve_s3()


@pytest.fixture(scope="session")
def s3(s3_env: dict[str, str]) -> Any:
    """A boto3 client on the test server, for setting up and inspecting buckets."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_env["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
