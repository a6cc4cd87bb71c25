"""Object sources: the interface (``base.py``), one module per store (``local.py``, ``s3.py``),
and the factory.
"""

from __future__ import annotations

from sanitizer.extract.objects.base import ObjectAttributes, ObjectInfo, ObjectSource


def open_source(name: str, url: str) -> ObjectSource:
    """The source for a ``kind: objects`` url: ``s3://bucket/prefix`` or a local folder."""
    if url.startswith("s3://"):
        from sanitizer.extract.objects.s3 import S3Source

        return S3Source(name, url)
    from sanitizer.extract.objects.local import LocalSource

    return LocalSource(name, url)


__all__ = ["ObjectAttributes", "ObjectInfo", "ObjectSource", "open_source"]
