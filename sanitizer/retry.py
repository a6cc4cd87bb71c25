"""Retries with backoff for transient failures, one batch at a time; permanent ones at once.

A nightly run should ride out a dropped connection or a database restart, but retrying a
missing table, a refused login or a constraint violation only delays the message. So what is
transient is decided by type and error code (``is_transient``), never by "retry anything".
Every retry is logged with the step, the attempt and the error's class and code — never its
text, which can quote data. S3 is left to botocore's own retry modes (see ``s3_config``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity import wait_exponential_jitter as _jitter

from sanitizer.config.run_settings import RetrySettings
from sanitizer.errors import SanitizerError

log = logging.getLogger("sanitizer")
T = TypeVar("T")

# PostgreSQL SQLSTATEs worth another try: class 08 (connection exceptions) plus these.
PG_TRANSIENT = {
    "57P01",  # admin_shutdown (pg_terminate_backend, a fast shutdown)
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up)
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "53300",  # too_many_connections
}
# MySQL/MariaDB client errors: server gone away, lost connection, cannot connect (restart).
MYSQL_TRANSIENT = {2003, 2006, 2013, 1205, 1213}
# psycopg raises some connection failures without a SQLSTATE; these words say "connection".
LOST = re.compile(
    r"server closed the connection|connection is (closed|lost)|terminating connection|"
    r"connection refused|connection reset|could not (receive|send) data|consuming input failed|"
    r"broken pipe|ssl syscall|timeout expired|the database system is (starting|shutting)",
    re.IGNORECASE,
)

_policy = RetrySettings()
_run_id = ""
_retries: dict[str, int] = {}  # step → retries logged in this process (the receipt's count)


def configure(settings: RetrySettings, run_id: str = "") -> None:
    """Set the run's policy (sanitize.yaml ``retries:``) for every step of this process."""
    global _policy, _run_id
    _policy, _run_id = settings, run_id
    _retries.clear()


def policy() -> RetrySettings:
    return _policy


def current() -> tuple[RetrySettings, str]:
    """The policy and run id, for a worker process to ``configure`` itself the same way."""
    return _policy, _run_id


def is_transient(exc: BaseException) -> bool:
    """Whether trying the same batch again can succeed (connection lost, server restart)."""
    if isinstance(exc, SanitizerError):
        return exc.transient
    if getattr(exc, "connection_invalidated", False):  # SQLAlchemy saw the connection die
        return True
    orig = getattr(exc, "orig", None)
    if orig is not None and orig is not exc:
        return is_transient(orig)
    return _driver_transient(exc)


def _driver_transient(exc: BaseException) -> bool:
    state = getattr(exc, "sqlstate", None)
    module = type(exc).__module__
    if module.startswith("psycopg"):
        if state:
            return state.startswith("08") or state in PG_TRANSIENT
        return type(exc).__name__ in ("OperationalError", "InterfaceError") and bool(
            LOST.search(str(exc))
        )
    if module.startswith("pymysql"):
        code = exc.args[0] if exc.args else None
        return type(exc).__name__ in ("OperationalError", "InterfaceError") and (
            code in MYSQL_TRANSIENT or code is None
        )
    if module.startswith(("httpx", "httpcore", "urllib3", "requests")):
        return (
            "Timeout" in type(exc).__name__
            or "Connect" in type(exc).__name__
            or ("Protocol" in type(exc).__name__ or "ReadError" in type(exc).__name__)
        )
    if module.startswith("chromadb") and callable(getattr(exc, "code", None)):
        status = exc.code()  # type: ignore[attr-defined]  # ChromaError: the HTTP status
        return isinstance(status, int) and (status >= 500 or status == 429)
    return isinstance(exc, ConnectionError | TimeoutError)


def describe(exc: BaseException) -> dict[str, Any]:
    """What a log line may say about an error: its class and code, never its message."""
    inner = getattr(exc, "orig", None) or exc
    out: dict[str, Any] = {"error": type(inner).__name__}
    code = getattr(inner, "sqlstate", None) or (
        inner.args[0] if type(inner).__module__.startswith("pymysql") and inner.args else None
    )
    if code:
        out["code"] = code
    return out


def wait_seconds(attempt: int) -> float:
    """The pause after failed attempt number ``attempt`` (1-based): exponential, jittered."""
    state = RetryCallState(None, None, (), {})
    state.attempt_number = attempt
    strategy = _jitter(
        multiplier=_policy.initial_wait, max=_policy.max_wait, jitter=_policy.initial_wait
    )
    return float(strategy(state))


def call(
    fn: Callable[[], T],
    what: str,
    *,
    transient: Callable[[BaseException], bool] = is_transient,
) -> T:
    """``fn()`` with the run's retries; a permanent error, or the last transient one, is raised
    as it is (the caller turns it into its message). ``fn`` must be safe to run again: a
    batch in its own transaction, an idempotent upsert."""

    def logged(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        if exc is not None:
            log_retry(what, state.attempt_number, exc, wait)

    retrying = Retrying(
        stop=stop_after_attempt(_policy.attempts),
        wait=lambda state: wait_seconds(state.attempt_number),
        retry=retry_if_exception(transient),
        before_sleep=logged,
        reraise=True,
    )
    return retrying(fn)


class Budget:
    """Retries for a loop that cannot be restarted as one call (a resumable read): the
    caller reports each failure and either gets the pause taken or the error back."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.failures = 0

    def spend(self, exc: BaseException, resumable: bool = True) -> bool:
        """After a failure: sleep and return True to try again, or False to give up."""
        self.failures += 1
        if not resumable or not is_transient(exc) or self.failures >= _policy.attempts:
            return False
        wait = wait_seconds(self.failures)
        log_retry(self.what, self.failures, exc, wait)
        time.sleep(wait)
        return True


def retries() -> dict[str, int]:
    """Retries this process logged since :func:`configure`, by step (worker processes' own
    retries are only in their logs)."""
    return dict(_retries)


def log_retry(what: str, attempt: int, exc: BaseException, wait: float) -> None:
    _retries[what] = _retries.get(what, 0) + 1
    log.warning(
        "transient failure, retrying",
        extra={
            "run_id": _run_id,
            "step": what,
            "attempt": attempt,
            "attempts": _policy.attempts,
            "wait_seconds": round(wait, 2),
            **describe(exc),
        },
    )


def s3_config_retries() -> dict[str, Any]:
    """botocore's own retries (``standard`` or ``adaptive``) with the run's attempt count."""
    return {"max_attempts": _policy.attempts, "mode": _policy.s3_mode}


def log_s3_retry(
    attempts: int | None = None,
    response: Any = None,
    caught_exception: BaseException | None = None,
    **kwargs: Any,
) -> None:
    """A botocore ``needs-retry`` hook that only logs: botocore decides and sleeps itself."""
    if not attempts or attempts >= _policy.attempts:
        return None
    status, code = 0, ""
    if response:
        http, parsed = response
        status = getattr(http, "status_code", 0) if http is not None else 0
        code = (parsed or {}).get("Error", {}).get("Code", "") if isinstance(parsed, dict) else ""
    elif caught_exception is not None:
        code = type(caught_exception).__name__
    throttled = "Throttl" in code or "SlowDown" in code
    if status >= 500 or status == 429 or throttled or caught_exception is not None:
        log.warning(
            "transient failure, retrying",
            extra={
                "run_id": _run_id,
                "step": f"S3 {kwargs.get('event_name', '').rsplit('.', 1)[-1]}",
                "attempt": attempts,
                "attempts": _policy.attempts,
                "error": code or f"HTTP {status}",
                "code": status,
            },
        )
    return None
