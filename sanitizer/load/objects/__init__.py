"""Object targets: the interface (``base.py``), one module per store (``local.py``, ``s3.py``),
and the factory.
"""

from __future__ import annotations

from pathlib import Path

from sanitizer.errors import ConfigError
from sanitizer.load.objects.base import ObjectTarget


def open_target(name: str, url: str) -> ObjectTarget:
    """The target for a ``kind: objects`` url: ``s3://bucket/prefix`` or a local folder."""
    if url.startswith("s3://"):
        from sanitizer.load.objects.s3 import S3Target

        return S3Target(name, url)
    from sanitizer.load.objects.local import LocalTarget

    return LocalTarget(name, url)


def refuse_same_store(name: str, source_url: str, target_url: str) -> None:
    """A target that overlaps its source would overwrite production (guarantee 2)."""
    if source_url.startswith("s3://") != target_url.startswith("s3://"):
        return
    if source_url.startswith("s3://"):
        src, dst = source_url.rstrip("/") + "/", target_url.rstrip("/") + "/"
    else:
        src, dst = f"{Path(source_url).resolve()}/", f"{Path(target_url).resolve()}/"
    if src.startswith(dst) or dst.startswith(src):
        raise ConfigError(
            f"target {name!r} ({target_url}) overlaps its source ({source_url}).",
            hint="point targets." + name + ".url at a separate staging folder or bucket prefix.",
        )


__all__ = ["ObjectTarget", "open_target", "refuse_same_store"]
