"""SQL databases through SQLAlchemy: URLs, engines, and the driver's error in one line."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from sanitizer.errors import ConfigError


def parse_url(url: str, where: str) -> sa.URL:
    """A SQLAlchemy URL, or a ConfigError that says what is wrong with it."""
    try:
        return make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"{where}: {url.split('@')[-1]!r} is not a database URL.",
            hint="use e.g. postgresql+psycopg://user@host/db, mysql+pymysql://user@host/db "
            "or sqlite:///path/to/file.db",
        ) from None


def safe_url(url: sa.URL) -> str:
    """The URL for messages and receipts: never the password."""
    return url.render_as_string(hide_password=True)


def create_engine(url: sa.URL, where: str, **kwargs: Any) -> sa.Engine:
    """An engine, or a ConfigError naming the missing driver."""
    try:
        return sa.create_engine(url, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"{where}: no driver for {url.drivername!r} ({exc}).",
            hint="use postgresql+psycopg, mysql+pymysql or sqlite.",
        ) from None


def psycopg_errors() -> type[Exception]:
    """psycopg's base error when it is installed (COPY bypasses SQLAlchemy's wrapping)."""
    try:
        import psycopg

        return psycopg.Error
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return SQLAlchemyError


def reason(exc: Exception) -> str:
    """The driver's first line, without the SQL or parameters (which may hold values)."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    return text[:300]
