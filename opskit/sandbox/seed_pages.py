"""The demo's paging history, for on-call load: 13 weeks of incidents before the demo seed's
anchor on the services the policies define, loaded by ``POST /_sandbox/pagerduty/seed-pages``
once ``opskit apply`` has created those services (``seed_pages_load.release_pages``).

Kept apart from the seed's small history (``seed_incidents``, which tests count on). Drawn
from a fixed ``random.Random`` (``SEED``), relative to the anchor: a few pages a week per
service (``RATES``), high and low urgency, about a third at night in UTC, 10 minutes to 4
hours open, the service desk's in Berlin office hours (and a few low-urgency ones outside
them, when nobody is on the desk), and one noisy week (``NOISY``): storage-api flapping,
12 pages, half of them in one night. Nine in ten are acknowledged a few minutes in.

Who each page reached is the loader's doing (``incident_history``): whoever the first rule
of the service's escalation policy reached then (see ``seed_pages_load`` for the schedules).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from opskit.sandbox.db import Doc

WEEKS = 13
SEED = 20260105
BERLIN = ZoneInfo("Europe/Berlin")
# service -> (pages a week on average, share of high urgency)
RATES = {"storage-api": (3.0, 0.7), "file-sync": (2.0, 0.7), "backup": (1.5, 0.3),
         "identity": (2.0, 0.8), "web-portal": (1.5, 0.5), "app-support-desk": (2.0, 1.0),
         "major-incident": (0.4, 1.0)}  # fmt: skip
TITLES = {
    "storage-api": ("Storage API 5xx above 2 %", "Slow bucket listings in us-east",
                    "Upload latency p99 over 5 s"),
    "file-sync": ("Share links return 404", "Desktop sync stalls for some tenants"),
    "backup": ("Nightly backup jobs delayed", "Microsoft 365 backup quota errors"),
    "identity": ("SAML sign-in fails for federated tenants", "MFA push not delivered"),
    "web-portal": ("Billing page slow to load", "Portal login returns 502"),
    "app-support-desk": ("Hosted CRM unreachable for a customer", "Intranet app login loops"),
    "major-incident": ("Major incident: bridge opened",),
}  # fmt: skip
NOISY = ("storage-api", 8, 12)  # service, week, pages that week
NIGHT_HOURS = (22, 23, 0, 1, 2, 2, 3, 3, 4, 4, 5, 6)  # UTC; 02:00-05:00 drawn twice as often


Bounds = tuple[datetime, datetime]  # the history's first instant, and the anchor


def _page(rng: random.Random, service: str, start: datetime, minutes: int, urgency: str,
          bounds: Bounds, title: str | None = None) -> Doc:  # fmt: skip
    """One page inside the history, resolved an hour before the anchor at the latest."""
    if start < bounds[0]:  # drawn on the first day, before the anchor's hour: a day later
        start += timedelta(days=1)
    start = min(start, bounds[1] - timedelta(minutes=minutes + 60))
    out = {"service": service, "title": title or rng.choice(TITLES[service]), "urgency": urgency,
           "created": start.isoformat(),
           "resolved": (start + timedelta(minutes=minutes)).isoformat()}  # fmt: skip
    if rng.random() < 0.9:
        out["acknowledged"] = (
            start + timedelta(minutes=min(minutes, rng.randint(1, 12)))
        ).isoformat()
    return out


def _when(rng: random.Random, service: str, week: datetime) -> tuple[datetime, str] | None:
    """A page's start and urgency in the week, or None (the desk on a weekend)."""
    day = week + timedelta(days=rng.randrange(7))
    if service == "app-support-desk":
        local = day.astimezone(BERLIN)
        if local.weekday() >= 5:
            return None
        office = rng.random() < 0.8
        hour = rng.randrange(9, 17) if office else rng.randrange(19, 23)
        wall = local.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)
        return wall.astimezone(UTC), "high" if office else "low"
    hour = rng.choice(NIGHT_HOURS) if rng.random() < 1 / 3 else rng.randrange(7, 22)
    start = day.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)
    return start, "high" if rng.random() < RATES[service][1] else "low"


def pages_history(anchor: datetime) -> list[Doc]:
    """The history, in the loader's shape (``service`` a name), oldest week first."""
    rng = random.Random(SEED)
    anchor = anchor.astimezone(UTC)
    first = anchor - timedelta(weeks=WEEKS)
    bounds = (first, anchor)
    out: list[Doc] = []
    for n in range(WEEKS):
        week = first + timedelta(weeks=n)
        for service, (rate, _) in RATES.items():
            if (service, n) == NOISY[:2]:
                out += _flapping(rng, service, week, bounds)
                continue
            for _ in range(sum(rng.random() < rate / 4 for _ in range(4))):
                drawn = _when(rng, service, week)
                if drawn is not None:
                    minutes = round(10 * 24 ** rng.random())  # 10 min to 4 h
                    out.append(_page(rng, service, drawn[0], minutes, drawn[1], bounds))
    return out


def _flapping(rng: random.Random, service: str, week: datetime, bounds: Bounds) -> list[Doc]:
    """The noisy week: half its pages in one night (01:00-06:00 UTC), the rest spread out."""
    night = (week + timedelta(days=rng.randrange(1, 5))).replace(hour=1, minute=5)
    title = "Storage API health check flapping in eu-central"
    burst = [_page(rng, service, night + timedelta(minutes=50 * i + rng.randrange(10)),
                   rng.randint(10, 25), "high", bounds, title) for i in range(NOISY[2] // 2)]  # fmt: skip
    spread = []
    for _ in range(NOISY[2] - len(burst)):
        start = week + timedelta(days=rng.randrange(7), hours=rng.randrange(24))
        spread.append(_page(rng, service, start, rng.randint(10, 60), "high", bounds, title))
    return burst + spread
