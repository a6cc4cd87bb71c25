"""S3 (or any S3-compatible server) as an object target.

The run uploads below a sibling prefix ``<prefix>.sanitize-<run id>/``, never under the
staging prefix itself. The swap copies each object server-side onto the staging prefix,
deletes the staging objects the run did not produce, then deletes the shadow. S3 has no
multi-object rename, so the swap is the one step that is not all-or-nothing; a failure there
is reported, and the next run rewrites the whole prefix.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from typing import Any, BinaryIO

from sanitizer.errors import TargetError
from sanitizer.extract.objects import ObjectAttributes, ObjectSource
from sanitizer.extract.objects.s3 import S3Source
from sanitizer.load.locks import S3Lock
from sanitizer.load.objects.base import ObjectTarget
from sanitizer.load.ownership import SHOWN, foreign_store, marker_body
from sanitizer.load.target import OBJECT_SHADOW_MARK as SHADOW_MARK
from sanitizer.stores.s3 import missing_object, s3_client, s3_errors, split_url, where

LOCK_SUFFIX = f"{SHADOW_MARK}lock"  # beside the prefix; never listed as staging or a shadow
MARKER_SUFFIX = f"{SHADOW_MARK}marker"  # beside the prefix too: this prefix is sanitizer's
COPY_LIMIT = 5 * 1024**3  # larger objects need a multipart copy
WORKERS = 16


class S3Target(ObjectTarget):
    """Writes objects below ``s3://bucket/prefix`` through a run-scoped shadow prefix."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url
        self.bucket, self.prefix = split_url(url)
        self.client: Any = s3_client()
        self.shadow: str | None = None
        self.lock_key = f"{self.prefix}{LOCK_SUFFIX}"
        self.marker_key = f"{self.prefix}{MARKER_SUFFIX}"
        self.lease: S3Lock | None = None

    def describe(self) -> str:
        return where(self.url)

    def _errors(self) -> AbstractContextManager[None]:
        return s3_errors(f"target {self.name!r}", self.url, TargetError)

    def _final(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextmanager
    def lock(self, run_id: str, ttl: int) -> Iterator[None]:
        """A lock object written only if absent, renewed while the run lasts."""
        lease = S3Lock(
            self.client, self.bucket, self.lock_key,
            name=self.name, where=self.describe(), run_id=run_id, ttl=ttl,
        )  # fmt: skip
        self.lease = lease
        with lease.held(self._errors):
            yield

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """Own the prefix: marked, or empty (an S3 prefix exists only through its objects,
        so an empty one is new and needs no ``--init``)."""
        with self._errors():
            if self._exists(self.marker_key):
                return
            start = f"{self.prefix}/" if self.prefix else ""
            page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=start, MaxKeys=SHOWN)
            found = [i for i in page.get("Contents", []) if SHADOW_MARK not in i["Key"]]
        if found:
            raise foreign_store(self.name, self.describe(), len(found), "objects")
        if write:
            with self._errors():
                body = marker_body(run_id, version)
                self.client.put_object(Bucket=self.bucket, Key=self.marker_key, Body=body)

    def _exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if missing_object(exc):
                return False
            raise
        return True

    def attach(self, run_id: str) -> None:
        self.shadow = f"{self.prefix}{SHADOW_MARK}{run_id}/"

    def prepare(self, run_id: str) -> None:
        self.attach(run_id)
        with self._errors():
            self.client.head_bucket(Bucket=self.bucket)
            # shadows of runs that were killed (no chance to discard) go before a new one
            leftovers = self._list(f"{self.prefix}{SHADOW_MARK}")
            kept = (self.lock_key, self.marker_key)
            self._delete([i["Key"] for i in leftovers if i["Key"] not in kept])

    def put(self, key: str, data: BinaryIO, attributes: ObjectAttributes) -> None:
        assert self.shadow is not None, "prepare() first"
        extra: dict[str, Any] = dict(attributes.headers)
        if attributes.metadata:
            extra["Metadata"] = attributes.metadata
        if attributes.tags:
            extra["Tagging"] = urllib.parse.urlencode(attributes.tags)
        with self._errors():
            self.client.upload_fileobj(data, self.bucket, self.shadow + key, ExtraArgs=extra)

    def shadow_keys(self) -> set[str]:
        assert self.shadow is not None, "prepare() first"
        shadow = self.shadow
        with self._errors():
            return {item["Key"][len(shadow) :] for item in self._list(shadow)}

    def _list(self, prefix: str) -> list[dict[str, Any]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return [item for page in pages for item in page.get("Contents", [])]

    def shadow_reader(self) -> ObjectSource:
        assert self.shadow is not None, "prepare() first"
        return S3Source(self.name, f"s3://{self.bucket}/{self.shadow}")

    def swap(self) -> None:
        assert self.shadow is not None, "prepare() first"
        if self.lease is not None:
            self.lease.check()
        shadow = self.shadow
        final_prefix = f"{self.prefix}/" if self.prefix else ""
        with self._errors():
            written = self._list(shadow)
            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(lambda item: self._copy(item, shadow), written))
            new = {self._final(item["Key"][len(shadow) :]) for item in written}
            stale = [
                item["Key"]
                for item in self._list(final_prefix)
                if item["Key"] not in new
                and SHADOW_MARK not in item["Key"]
                and item["Key"] != self.lock_key
            ]
            self._delete(stale)
            self._delete([item["Key"] for item in written])
        self.shadow = None

    def _copy(self, item: dict[str, Any], shadow: str) -> None:
        source = {"Bucket": self.bucket, "Key": item["Key"]}
        final = self._final(item["Key"][len(shadow) :])
        if item["Size"] < COPY_LIMIT:
            self.client.copy_object(Bucket=self.bucket, Key=final, CopySource=source)
        else:  # managed multipart copy; carries metadata over from the source object
            self.client.copy(source, self.bucket, final)

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def discard(self) -> None:
        if self.shadow is None:
            return
        with self._errors():
            self._delete([item["Key"] for item in self._list(self.shadow)])
        self.shadow = None
