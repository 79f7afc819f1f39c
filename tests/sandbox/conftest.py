from tests.sandbox.fixtures import *  # noqa: F403
from tests.sandbox.jira_site import desk, desk_clock  # noqa: F401
