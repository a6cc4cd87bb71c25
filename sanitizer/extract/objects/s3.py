"""S3 (or any S3-compatible server) as an object source, via boto3.

The client comes from the AWS environment (see :mod:`sanitizer.stores.s3`). Only list and get
calls are made: a source is read-only.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from sanitizer.extract.objects.base import ObjectAttributes, ObjectInfo
from sanitizer.stores.s3 import s3_client, s3_errors, split_url, unsupported, where

HEADERS = (
    "ContentType",
    "ContentEncoding",
    "ContentLanguage",
    "ContentDisposition",
    "CacheControl",
)


class _Body(io.RawIOBase):
    """A boto3 streaming body as a raw stream, so it can be buffered and decoded lazily."""

    def __init__(self, body: Any, what: str, url: str) -> None:
        self._body, self._what, self._url = body, what, url

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with s3_errors(self._what, self._url):  # the connection can drop mid-object
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class S3Source:
    """Lists and reads objects below ``s3://bucket/prefix``."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url
        self.bucket, self.prefix = split_url(url)
        self.client = s3_client()

    def describe(self) -> str:
        return where(self.url)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def list(self) -> Iterator[ObjectInfo]:
        start = f"{self.prefix}/" if self.prefix else ""
        with s3_errors(f"source {self.name!r}", self.url):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            for page in pages:
                for item in page.get("Contents", []):
                    if not item["Key"].endswith("/"):  # folder markers hold no data
                        yield ObjectInfo(item["Key"][len(start) :], int(item["Size"]))

    def open(self, key: str) -> BinaryIO:
        with s3_errors(f"source {self.name!r}", self.url):
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        raw = _Body(body, f"source {self.name!r}", self.url)
        return io.BufferedReader(raw, buffer_size=1 << 20)  # type: ignore[return-value]

    def attributes(self, key: str) -> ObjectAttributes:
        from botocore.exceptions import ClientError

        with s3_errors(f"source {self.name!r}", self.url):
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            try:
                tagging = self.client.get_object_tagging(Bucket=self.bucket, Key=self._key(key))
                tags = {t["Key"]: t["Value"] for t in tagging.get("TagSet", [])}
            except ClientError as exc:  # stores without tagging support have no tags
                if not unsupported(exc):
                    raise
                tags = {}
        return ObjectAttributes(
            metadata=dict(head.get("Metadata", {})),
            tags=tags,
            headers={h: head[h] for h in HEADERS if head.get(h)},
        )
