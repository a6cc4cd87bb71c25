"""S3 (or any S3-compatible server) through boto3: the client, its URLs and its errors.

Endpoint, region and credentials come from the usual AWS environment variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``,
profiles…), never from sanitize.yaml. Sources, targets and the target's lock all use these.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sanitizer import retry
from sanitizer.errors import SanitizerError, SourceError


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
        s3={"addressing_style": "path"} if endpoint() else None,
    )
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = boto3.session.Session().client("s3", region_name=region, config=config)
    client.meta.events.register("needs-retry.s3", retry.log_s3_retry)
    return client


def endpoint() -> str | None:
    """The S3 endpoint the environment names (None: AWS itself)."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")


def where(url: str) -> str:
    """The URL plus the endpoint it is reached through, for messages (no credentials)."""
    server = endpoint()
    return f"{url} (endpoint {server})" if server else url


def error_code(exc: Exception) -> str | None:
    """The S3 error code of a botocore ``ClientError`` (None for anything else)."""
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code")


MISSING = ("404", "NoSuchKey", "NotFound")  # the codes S3 servers give an absent key
CONFLICT = ("PreconditionFailed", "ConditionalRequestConflict")


def missing_object(exc: Exception) -> bool:
    """Whether a botocore ``ClientError`` says the key does not exist."""
    return error_code(exc) in MISSING


def condition_failed(exc: Exception) -> bool:
    """Whether a conditional put (``If-None-Match`` / ``If-Match``) lost: the object exists,
    or changed since it was read."""
    status = (
        (getattr(exc, "response", None) or {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
    )
    return status in (409, 412) or error_code(exc) in CONFLICT


def unsupported(exc: Exception) -> bool:
    """Whether the server does not implement the call (e.g. tagging on some S3 clones)."""
    return error_code(exc) == "NotImplemented"


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
        raise error(
            f"{what}: S3 answered {code} for {where(url)}.",
            hint=HINTS.get(code, "check the bucket, the credentials and the endpoint."),
        ) from None
    except BotoCoreError as exc:
        raise error(
            f"{what}: S3 request failed for {where(url)} ({type(exc).__name__}).",
            hint="check AWS_ENDPOINT_URL and the network; staging was left as it was.",
            transient=True,
        ) from None


GONE = "an object listed when the run started is gone: it changed while the run read it; "
HINTS = {
    "NoSuchKey": GONE + "run again (staging was left as it was).",
    "404": GONE + "run again (staging was left as it was).",
    "NoSuchBucket": "create the bucket or fix the bucket name in the url.",
    "AccessDenied": "grant this identity list/get (source) or put/delete (target).",
    "InvalidAccessKeyId": "check AWS_ACCESS_KEY_ID.",
    "SignatureDoesNotMatch": "check AWS_SECRET_ACCESS_KEY.",
}
