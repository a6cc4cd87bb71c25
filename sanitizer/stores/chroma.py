"""Chroma: a client for a server (``http://host:port``) or a local persistent path, and how
its errors are told apart."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

from sanitizer.errors import ConfigError, SourceError, TargetError


def is_server(url: str) -> bool:
    """Whether the url names a Chroma server (else it is a local directory)."""
    return url.startswith(("http://", "https://"))


def connect(name: str, url: str, section: str = "sources") -> Any:
    """A Chroma client for a server URL or a local path; a clear error when unreachable."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # no phoning home from a snapshot
    import chromadb

    server = is_server(url)
    try:
        if server:
            parsed = urlparse(url)
            if not parsed.hostname:
                raise ConfigError(f"{section}.{name}: {url!r} names no host.")
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
            )
            client.heartbeat()
            return client
        return chromadb.PersistentClient(path=url)
    except ConfigError:
        raise
    except Exception as exc:
        error = SourceError if section == "sources" else TargetError
        if server:
            raise error(
                f"{section}.{name}: cannot reach the Chroma server at {url} "
                f"({type(exc).__name__}).",
                hint="start it (e.g. chroma run --path DIR --host 127.0.0.1 --port 8000) or fix "
                "the url in sanitize.yaml.",
                transient=True,
            ) from None
        raise error(
            f"{section}.{name}: cannot open the local Chroma directory {url} "
            f"({type(exc).__name__}).",
            hint="check the path in sanitize.yaml and that no other program holds it open.",
        ) from None


def already_exists(exc: Exception) -> bool:
    """Whether creating a collection failed because one of that name exists."""
    return "exist" in str(exc).lower() or type(exc).__name__ == "UniqueConstraintError"


def not_found(exc: Exception) -> bool:
    """Whether getting a collection failed because there is none of that name."""
    return "not exist" in str(exc).lower() or type(exc).__name__ == "NotFoundError"
