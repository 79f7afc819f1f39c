"""Exit codes are part of the interface: documented and stable."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # problems found, or changes pending
    USAGE = 2  # bad options or arguments, no policy repository
    RUNTIME = 3  # a target failed: auth, network, remote errors
    INTERNAL = 4  # a bug in opskit
    INTERRUPTED = 130


class OpskitError(Exception):
    """A failure to report in one line, with the exit code it maps to."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.RUNTIME) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(OpskitError):
    def __init__(self, message: str) -> None:
        super().__init__(message, ExitCode.USAGE)
