from opskit.sandbox.pytest_plugin import *  # noqa: F403
