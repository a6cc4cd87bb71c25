"""Typed errors shared by every step, each carrying its exit code and whether a retry can help.

The CLI maps an error to an exit code by type, never by message, and prints only the message:
messages are written for the user (what is wrong, where, and the fix) and never contain an
original value of a masked field.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Distinct process exit codes, documented in docs/operations.md."""

    OK = 0
    INTERNAL = 1
    CONFIG = 2  # a rule file or sanitize.yaml is wrong: fix the file
    SOURCE = 3  # a source could not be read
    TARGET = 4  # a target could not be written (staging left as it was)
    LEAK = 5  # verification found a production value in staging
    DRIFT = 6  # rules check: the live schema changed since the committed snapshot
    LOOSENED = 7  # rules diff --fail-on-loosening: a change masks less than before
    LOCKED = 8  # another run is writing to the same staging right now
    FIDELITY = 9  # staging drifted below a fidelity: threshold (nothing swapped in)


class SanitizerError(Exception):
    """Base of every error the user should see as a message rather than a traceback."""

    exit_code: ExitCode = ExitCode.INTERNAL
    transient: bool = False

    def __init__(
        self, message: str, *, hint: str | None = None, transient: bool | None = None
    ) -> None:
        self.message = message
        self.hint = hint
        if transient is not None:
            self.transient = transient
        super().__init__(message if hint is None else f"{message}\n  fix: {hint}")


class ConfigError(SanitizerError):
    """sanitize.yaml, a rule file or an environment variable is wrong."""

    exit_code = ExitCode.CONFIG


class ConfigErrors(ConfigError):
    """Several configuration problems found at once, so the user fixes them in one pass."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        if len(errors) == 1:  # one problem reads as itself: one paragraph, with its fix
            super().__init__(errors[0].message, hint=errors[0].hint)
            return
        body = "\n\n".join(str(error) for error in errors)
        super().__init__(f"{len(errors)} problems in the configuration:\n\n{body}")


class SourceError(SanitizerError):
    """Reading production failed; nothing was written to staging."""

    exit_code = ExitCode.SOURCE


class TargetError(SanitizerError):
    """Writing staging failed; the previous staging snapshot is intact."""

    exit_code = ExitCode.TARGET


class MaskingError(SanitizerError):
    """A value could not be masked as its rule says (e.g. it cannot fit its column)."""

    exit_code = ExitCode.CONFIG


class LockedError(SanitizerError):
    """Another run holds the staging lock; this one stopped before writing anything."""

    exit_code = ExitCode.LOCKED


class LeakError(SanitizerError):
    """Verification found production values in staging."""

    exit_code = ExitCode.LEAK


class FidelityError(SanitizerError):
    """Staging drifted from production below a ``fidelity:`` threshold; nothing was swapped."""

    exit_code = ExitCode.FIDELITY
