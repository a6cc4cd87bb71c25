"""Chroma servers for the vector target tests: real ``chroma run`` servers on loopback.

Each is started once per session on a free 127.0.0.1 port with its own data folder and stopped
at the end; tests empty them before use (see ``Chroma.clear`` in test_vector_snapshot.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.servers import serve_chroma


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The production Chroma server for the session."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-prod"))


@pytest.fixture(scope="session")
def chroma_staging_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second, separate Chroma server: staging."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-staging"))
