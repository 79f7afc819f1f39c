"""PagerDuty's timestamps: ISO 8601, answered in the schedule's zone, compared in UTC."""

from __future__ import annotations

import datetime as dt


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def normalised(text: str) -> str:
    """The same instant however it was written, so answers compare equal to requests."""
    return utc_text(parse(text))
