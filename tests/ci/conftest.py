import sys
from pathlib import Path

from tests.sandbox.fixtures import *  # noqa: F403

# The action's scripts are not part of the opskit package: they run from the action's folder.
ACTION_FOLDER = Path(__file__).resolve().parents[2] / "action"
if str(ACTION_FOLDER) not in sys.path:
    sys.path.insert(0, str(ACTION_FOLDER))
