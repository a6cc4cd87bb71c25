"""Fixtures for the rule-review tests: the ``project`` (helpers live in
``helpers.review_project``), and real servers on loopback for ``sanitize scan`` — an S3 API
(moto's server mode) and a Chroma server (``chroma run``), each started once per module and
stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.review_project import project  # noqa: F401  (a fixture, found by pytest by name)
from helpers.servers import serve_chroma, serve_s3


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    """The AWS variables that point the CLI at a moto server on a free loopback port."""
    yield from serve_s3()


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``chroma run`` with its own data folder on a free loopback port."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma") / "db")
