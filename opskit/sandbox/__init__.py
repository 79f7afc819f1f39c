"""Local PagerDuty and Jira emulators for tests and demos (``opskit sandbox serve``)."""

from opskit.sandbox.server import Sandbox, SandboxConfig

__all__ = ["Sandbox", "SandboxConfig"]
