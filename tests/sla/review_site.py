"""A sandbox site for the service review with every source: the November 2026 tickets of
tests/sla/test_report.py plus one, JSM satisfaction ratings, PagerDuty incidents on the
customers' services and a usage series, every figure computed by hand in the tests.

Ratings: Harbor Dental's October tickets SUP-1 (5) and SUP-9 (4): mean 4.50; November's
SUP-2 (5) and SUP-3 (2): mean 3.50, one low rating.

High-urgency incidents: storage-api 9 Nov 14:05-15:40 and 15:00-16:00 (overlapping: down
14:05-16:00, 115 minutes = 6,900 s of November's 2,592,000: up 99.7338 %, under
Premium's 99.9 %); identity 31 Oct 23:30 - 1 Nov 00:30 (30 minutes in each month: up
99.9306 % in November, 99.9328 % in October). A low-urgency incident on storage-api (20
Nov, 4 hours) counts for nothing.

Usage (usage/harbor-dental.csv): 1,000 a day in October, 600 in November: 40 % down.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opskit.sandbox import Sandbox
from tests.sla.enforce_helpers import make_site
from tests.sla.site import REPO, admin, load_tickets

UNTIL_NOW = "2026-12-02T12:00:00Z"
RATINGS = {0: 5, 1: 5, 2: 2}  # index in test_report.TICKETS -> rating
INCIDENTS: list[dict[str, Any]] = [
    {"service": "storage-api", "title": "Storage API returns 503",
     "created": "2026-11-09T14:05:00Z", "resolved": "2026-11-09T15:40:00Z"},
    {"service": "storage-api", "title": "Uploads time out",
     "created": "2026-11-09T15:00:00Z", "resolved": "2026-11-09T16:00:00Z"},
    {"service": "storage-api", "title": "Slow listings", "urgency": "low",
     "created": "2026-11-20T10:00:00Z", "resolved": "2026-11-20T14:00:00Z"},
    {"service": "identity", "title": "SAML sign-in fails",
     "created": "2026-10-31T23:30:00Z", "resolved": "2026-11-01T00:30:00Z"},
]  # fmt: skip
USAGE = "date,value\n" + "".join(
    f"2026-{m:02d}-{d:02d},{v}\n" for m, v in ((10, 1000), (11, 600)) for d in (5, 19)
)


def tickets() -> list[dict[str, Any]]:
    from tests.sla.test_report import TICKETS, comment, harbor, status

    out = [dict(t) for t in TICKETS]
    for index, rating in RATINGS.items():
        out[index]["feedback"] = {"rating": rating}
    # SUP-9 Harbor, October: every clock met (reply after 10m, resolved 1h later); rated 4
    extra = harbor("2026-10-12T09:00:00Z", comment("2026-10-12T09:10:00Z"),
                   status("2026-10-12T10:10:00Z", "Resolved"))  # fmt: skip
    return [*out, {**extra, "feedback": {"rating": 4, "comment": "Quick, thanks"}}]


def reviewed_site(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The site with every source loaded, PagerDuty's and Jira's environment set."""
    make_site(sb, monkeypatch, tmp_path / "cache")
    keys = load_tickets(sb, tickets())
    assert keys == [f"SUP-{n}" for n in range(1, 10)]
    answer = admin(sb, "POST", "/_sandbox/pagerduty/incidents", {"incidents": INCIDENTS})
    assert answer.status_code == 201, answer.text


@contextlib.contextmanager
def usage_folder(name: str) -> Iterator[Path]:
    """A usage folder inside the repository (nothing outside it is read), removed after."""
    folder = REPO / ".pytest-usage" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "harbor-dental.csv").write_text(USAGE, encoding="utf-8")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
