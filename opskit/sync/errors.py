"""Failures of a target, apart from the engine so the CLI can catch them without loading it."""

from __future__ import annotations


class TargetError(Exception):
    """A remote call failed; the message names the object and the reason, never a secret."""


class UnclearWrite(TargetError):
    """A write whose outcome is unknown (connection lost, server error): it may have happened."""
