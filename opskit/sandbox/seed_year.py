"""A year of resolved support tickets, for capacity planning (staffing per hour of the week).

Loaded on request (``POST /_sandbox/jira/seed-year``: ``seed_year_load``), never by the
demo seed, whose exact tickets other tests rely on. The model, so the data can be checked:

* Arrivals are a non-homogeneous Poisson process per customer, with an intensity that is
  constant within each hour of the customer's local clock (``CUSTOMER_MODEL``):
  ``rate = base * week(weekday, hour, tier) * season(date, customer)``, where ``base`` is
  chosen so that the expected count over the year is the customer's volume.
* ``week``: on working days ``WORKDAY[hour]`` (a morning peak, a lunch dip at 12-13, a
  second smaller peak, an evening tail) times ``DAY[weekday]``; Monday 08-12 is raised by
  ``MONDAY_MORNING`` and Friday 13-18 lowered by ``FRIDAY_AFTERNOON``. Against the mean
  working hour (Monday to Friday, 08-18 local): Monday 09-11 1.59x (the week's peak),
  Friday 13-18 0.71x, 12-13 0.64x. Saturdays and Sundays are ``WEEKEND[tier]`` of a
  working day (0.18x / 0.15x / 0.10x of that mean for Premium / Business / Standard).
  Night (22-06) is the flat ``NIGHT[tier]`` every day (0.05x / 0.04x / 0.016x): Premium
  and Business buy 24x7 support and raise more out of hours than Standard.
* ``season``: ``MONTH[month]`` (August 0.7), 0.5 from 18 December to the year's end, and
  ``PEAKS`` (Pinecrest, a tax firm, doubles from February to April).
* Priority is drawn from ``PRIORITY_MIX``; agent work time ("time spent") is lognormal
  with mean ``WORK_MINUTES[priority]`` and shape ``WORK_SIGMA``, capped at ``WORK_CAP``.
* The year is ``[anchor - 364 days, anchor - 1 day)``; each ticket is answered, worked on
  and resolved by agents of the shift whose working hours hold its creation
  (``seed_year_story``), and every one is resolved before the anchor.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from opskit.sandbox.seed_data import CUSTOMERS
from opskit.sandbox.seed_tickets_base import Ticket

SEED = 365
LABEL = "seed-year"
YEAR_DAYS, END_DAYS = 364, 1  # the year: [anchor - 364 days, anchor - 1 day)
ALL = ("Storage API", "File sync", "Backup", "Identity", "Web portal")
SHOP = ("Backup", "Web portal", "Application support")
# Per customer: local time zone (from its description in policies/customers.yaml), expected
# tickets in the year (Standard customers, small shops without IT staff, ~35 % of all) and
# the SUP components of the services it uses.
CUSTOMER_MODEL: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "Brightleaf Legal LLP": ("Europe/London", 600, ALL),  # London and Manchester
    "Harbor Dental Group": ("America/New_York", 560, ALL),  # New Jersey and New York
    "Kestrel Architekten GmbH": ("Europe/Berlin", 440, ALL),  # Berlin and Hamburg
    "Pinecrest Accounting & Tax": ("America/New_York", 480, ALL[1:]),  # Boston
    "Bluefin Marketing Ltd": ("Europe/London", 400, (*ALL[:2], ALL[4])),  # Bristol
    "Alder & Sage Bakeries": ("Europe/Berlin", 440, SHOP),  # Munich
    "Café Mélange": ("Europe/Vienna", 760, ("File sync", *SHOP[1:])),  # Vienna
    "Tidewater Books": ("America/New_York", 820, ("File sync", *SHOP)),  # Portland, Maine
}  # fmt: skip
# Working-day shape by local hour 06..21 (night hours use NIGHT).
WORKDAY: dict[int, float] = {
    6: 0.08, 7: 0.3, 8: 0.75, 9: 1.15, 10: 1.2, 11: 1.1, 12: 0.6, 13: 0.8,
    14: 1.05, 15: 1.0, 16: 0.9, 17: 0.65, 18: 0.35, 19: 0.2, 20: 0.12, 21: 0.08,
}  # fmt: skip
DAY = (1.1, 1.05, 1.0, 1.0, 0.95, 1.0, 1.0)  # Monday .. Sunday
MONDAY_MORNING, FRIDAY_AFTERNOON = 1.15, 0.8  # Monday 08-12, Friday 13-18
WEEKEND = {"Premium": 0.18, "Business": 0.15, "Standard": 0.1}
NIGHT = {"Premium": 0.05, "Business": 0.04, "Standard": 0.015}  # 22-06, every day
MONTH = (1.05, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.7, 1.05, 1.05, 1.0, 1.0)  # Jan .. Dec
LATE_DECEMBER = (18, 0.5)  # from this day of December to the year's end
PEAKS: dict[str, tuple[tuple[int, ...], float]] = {
    "Pinecrest Accounting & Tax": ((2, 3, 4), 2.0),  # tax season
}
PRIORITY_MIX = {"P1": 0.02, "P2": 0.10, "P3": 0.48, "P4": 0.40}
WORK_MINUTES = {"P1": 60.0, "P2": 40.0, "P3": 25.0, "P4": 15.0}
WORK_SIGMA, WORK_CAP = 0.7, 8 * 3600


def week(weekday: int, hour: int, tier: str) -> float:
    """Relative rate of a local hour of the week (Monday 0), working-day mean near 1."""
    if hour < 6 or hour >= 22:
        return NIGHT[tier]
    rate = WORKDAY[hour] * DAY[weekday]
    if weekday >= 5:
        return max(rate * WEEKEND[tier], NIGHT[tier])
    if weekday == 0 and 8 <= hour < 12:
        rate *= MONDAY_MORNING
    if weekday == 4 and 13 <= hour < 18:
        rate *= FRIDAY_AFTERNOON
    return max(rate, NIGHT[tier])


def season(local: datetime, customer: str) -> float:
    factor = MONTH[local.month - 1]
    if local.month == 12 and local.day >= LATE_DECEMBER[0]:
        factor = LATE_DECEMBER[1]
    months, peak = PEAKS.get(customer, ((), 1.0))
    return factor * (peak if local.month in months else 1.0)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k, p = k + 1, p * rng.random()
    return k


def _hours(anchor: datetime) -> list[datetime]:
    """The starts of the whole clock hours inside the year (UTC)."""
    hour = timedelta(hours=1)
    first = (anchor - timedelta(days=YEAR_DAYS)).astimezone(UTC)
    start = datetime.fromtimestamp(math.ceil(first.timestamp() / 3600) * 3600, UTC)
    count = (anchor - timedelta(days=END_DAYS) - start) // hour
    return [start + n * hour for n in range(count)]


def arrivals(anchor: datetime, customer: str, tier: str, rng: random.Random) -> list[datetime]:
    """Creation times (UTC) of one customer's tickets over the year, in order."""
    zone_name, volume, _ = CUSTOMER_MODEL[customer]
    zone = ZoneInfo(zone_name)
    hours = _hours(anchor)
    local = [h.astimezone(zone) for h in hours]
    weights = [week(t.weekday(), t.hour, tier) * season(t, customer) for t in local]
    base = volume / sum(weights)
    out = []
    for hour, weight in zip(hours, weights, strict=True):
        for _ in range(_poisson(rng, base * weight)):
            out.append(hour + timedelta(seconds=rng.randrange(3600)))
    return sorted(out)


def work_seconds(rng: random.Random, priority: str) -> int:
    """Agent time on a ticket, whole minutes: lognormal with the priority's mean, capped."""
    mu = math.log(WORK_MINUTES[priority]) - WORK_SIGMA**2 / 2
    minutes = max(1, round(rng.lognormvariate(mu, WORK_SIGMA)))
    return min(minutes * 60, WORK_CAP)


def year_tickets(anchor: datetime) -> list[Ticket]:
    """The year's tickets in ``opskit.sandbox.tickets.load_tickets``'s shape, oldest first;
    the same for the same anchor."""
    from opskit.sandbox.seed_year_story import story

    rng = random.Random(SEED)
    made: list[tuple[datetime, str, tuple[str, ...]]] = []
    for org, tier, contacts in CUSTOMERS:
        made += [(at, org, contacts) for at in arrivals(anchor, org, tier, rng)]
    made.sort(key=lambda m: (m[0], m[1]))
    prios, weights = list(PRIORITY_MIX), list(PRIORITY_MIX.values())
    out = []
    for created, org, contacts in made:
        priority = rng.choices(prios, weights)[0]
        ticket = story(rng, anchor, created, priority, rng.choice(contacts))
        ticket |= {"organization": org, "components": [rng.choice(CUSTOMER_MODEL[org][2])],
                   "labels": [LABEL], "time_spent": work_seconds(rng, priority)}  # fmt: skip
        out.append(ticket)
    return out
