from tests.sandbox.fixtures import *  # noqa: F403
