"""S3 (or any S3-compatible server) as an object source, via boto3.

Endpoint, region and credentials come from the usual AWS environment variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``,
profiles…), never from sanitize.yaml. Only list and get calls are made: a source is read-only.
The client helpers here are shared with the S3 target.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from sanitizer import retry
from sanitizer.errors import SanitizerError, SourceError
from sanitizer.extract.objects import ObjectAttributes, ObjectInfo

HEADERS = (
    "ContentType",
    "ContentEncoding",
    "ContentLanguage",
    "ContentDisposition",
    "CacheControl",
)


def split_url(url: str) -> tuple[str, str]:
    """``s3://bucket/a/b/`` → ``("bucket", "a/b")`` (the prefix without slashes at its ends)."""
    bucket, _, prefix = url[len("s3://") :].partition("/")
    return bucket, prefix.strip("/")


def s3_client() -> Any:
    """A client configured by the environment. 5xx, throttling and dropped connections are
    retried by botocore itself (``retries:`` in sanitize.yaml sets its mode and attempts);
    each retry is logged."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=5,
        read_timeout=60,
        retries=retry.s3_config_retries(),
        max_pool_connections=32,
        s3={"addressing_style": "path"} if _endpoint() else None,
    )
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = boto3.session.Session().client("s3", region_name=region, config=config)
    client.meta.events.register("needs-retry.s3", retry.log_s3_retry)
    return client


def _endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")


def where(url: str) -> str:
    """The URL plus the endpoint it is reached through, for messages (no credentials)."""
    endpoint = _endpoint()
    return f"{url} (endpoint {endpoint})" if endpoint else url


MISSING = ("404", "NoSuchKey", "NotFound")  # the codes S3 servers give an absent key


def missing_object(exc: Exception) -> bool:
    """Whether a botocore ``ClientError`` says the key does not exist."""
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code") in MISSING


@contextmanager
def s3_errors(what: str, url: str, error: type[SanitizerError] = SourceError) -> Iterator[None]:
    """Turn boto3's exceptions into one-paragraph errors that name the store and the fix."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
    )

    try:
        yield
    except NoCredentialsError:
        raise error(
            f"{what}: no AWS credentials were found for {where(url)}.",
            hint="export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE).",
        ) from None
    except EndpointConnectionError:
        raise error(
            f"{what}: cannot reach the S3 endpoint for {where(url)}.",
            hint="check AWS_ENDPOINT_URL (e.g. http://127.0.0.1:9000) and that the server runs.",
            transient=True,
        ) from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        gone = "an object listed when the run started is gone: it changed while the run read it; "
        hints = {
            "NoSuchKey": gone + "run again (staging was left as it was).",
            "404": gone + "run again (staging was left as it was).",
            "NoSuchBucket": "create the bucket or fix the bucket name in the url.",
            "AccessDenied": "grant this identity list/get (source) or put/delete (target).",
            "InvalidAccessKeyId": "check AWS_ACCESS_KEY_ID.",
            "SignatureDoesNotMatch": "check AWS_SECRET_ACCESS_KEY.",
        }
        raise error(
            f"{what}: S3 answered {code} for {where(url)}.",
            hint=hints.get(code, "check the bucket, the credentials and the endpoint."),
        ) from None
    except BotoCoreError as exc:
        raise error(
            f"{what}: S3 request failed for {where(url)} ({type(exc).__name__}).",
            hint="check AWS_ENDPOINT_URL and the network; staging was left as it was.",
            transient=True,
        ) from None


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
                if exc.response.get("Error", {}).get("Code") not in ("NotImplemented",):
                    raise
                tags = {}
        return ObjectAttributes(
            metadata=dict(head.get("Metadata", {})),
            tags=tags,
            headers={h: head[h] for h in HEADERS if head.get(h)},
        )
