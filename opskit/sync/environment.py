"""Settings that come from the environment, checked once, for every target alike.

A wrong value is a usage error naming the variable (exit 2), never a crash deep in a
TLS library or a float() call; a secret's value is never part of a message.
"""

from __future__ import annotations

import os
import ssl

from opskit.errors import ExitCode, OpskitError

CA_BUNDLE = "OPSKIT_CA_BUNDLE"
RETRY_BASE = "OPSKIT_RETRY_BASE_SECONDS"


def tls_context() -> ssl.SSLContext | None:
    """The context trusting OPSKIT_CA_BUNDLE (a private CA, the sandbox's), or None for the
    system's trust store."""
    path = os.environ.get(CA_BUNDLE)
    if not path:
        return None
    try:
        return ssl.create_default_context(cafile=path)
    except FileNotFoundError:
        raise OpskitError(f"{CA_BUNDLE}: no such file: {path}", ExitCode.USAGE) from None
    except (OSError, ssl.SSLError, ValueError):
        raise OpskitError(
            f"{CA_BUNDLE}: {path} holds no PEM certificate (a CA bundle is expected)",
            ExitCode.USAGE,
        ) from None


def ca_bundle() -> str | None:
    """OPSKIT_CA_BUNDLE's path once it is known to hold a certificate (for clients that take
    a path rather than a context)."""
    return os.environ.get(CA_BUNDLE) if tls_context() is not None else None


def retry_base_seconds(default: float = 0.25) -> float:
    """The first retry's backoff; tests and impatient CI jobs shorten it, within bounds."""
    text = os.environ.get(RETRY_BASE)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 60:
        raise OpskitError(f"{RETRY_BASE} must be a number of seconds from 0 to 60", ExitCode.USAGE)
    return value
