"""Entry point of the opskit GitHub Action (see action.yml): `python action/run.py`."""

import sys

from opskit_action.main import main

if __name__ == "__main__":
    sys.exit(main())
