"""Deliverability: the rendered rotations keep what tiers, services and ladders promise.

Windows start at Context.settings["now"] (else the clock) and last the horizon
(opskit.yaml `validate.horizon`, default 13w). Holidays are annual, so holiday
coverage always looks a full year ahead: a 13-week look would pass in summer and
fail in December. Clock changes are annual too, so restriction-dst-gap looks a year
ahead (or the horizon, if longer) for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.deliverability.said import said
from opskit.oncall.budget import budget, heaviest, named, pieces
from opskit.oncall.coverage import (
    Alone,
    closes_for_holidays,
    double_bookings,
    late_second_person,
    service_gaps,
    single_person_spans,
)
from opskit.oncall.dst import restriction_gaps
from opskit.oncall.nights import night_spans
from opskit.oncall.render import OVERRIDE
from opskit.oncall.schedule import (
    Schedules,
    follows_calendars,
    holiday_windows,
    renderable,
    valid_zone,
)
from opskit.oncall.window import night, settings_window
from opskit.policy.checks import ladders
from opskit.policy.checks.base import Context, Finding
from opskit.policy.checks.tiers import effective_minutes, tightest_first_response
from opskit.policy.diagnostics import Position
from opskit.policy.model import Calendar, EscalationLadder, Person, Rotation, Service
from opskit.policy.values import format_minutes
from opskit.time import zones
from opskit.time.calendars import holiday
from opskit.time.intervals import Span, intersect, subtract, total, union

YEAR = 365 * zones.DAY
# The rules that draw rotations over the window: they stand down past the render budget.
DRAWING = (
    "coverage-gap",
    "holiday-uncovered",
    "ladder-24x7-single-person",
    "double-booked",
    "second-person-late",
    "follow-the-sun-nights",
)
RULE_IDS = frozenset({"render-budget", *DRAWING, "restriction-dst-gap"})
_CACHE = "_deliverability"


def _schedules(context: Context, *, year: bool = False, holidays: bool = True) -> Schedules:
    cache: dict[tuple[bool, bool], Schedules] = context.settings.setdefault(_CACHE, {})
    key = (year, holidays)
    if key not in cache:
        lo, hi = settings_window(context.settings)
        days: list[Span] | None = None  # the whole window
        if year:  # only holiday coverage looks a year ahead, and only holidays can differ
            hi = lo + YEAR
            days = _holiday_days(context)
        twin = cache.get((year, not holidays))  # the same window, holidays the other way
        cache[key] = Schedules(context.policy, lo, hi, honour_holidays=holidays, windows=days,
                               twin=twin)  # fmt: skip
        if twin is not None:
            twin.twin = cache[key]  # either may render a rotation first
    return cache[key]


def _holiday_days(context: Context) -> list[Span]:
    """The days of the next year on which a restriction calendar closes for a holiday."""
    days: list[Span] | None = context.settings.get(_CACHE + "_holidays")
    if days is None:
        lo, _ = settings_window(context.settings)
        days = context.settings[_CACHE + "_holidays"] = holiday_windows(
            context.policy, lo, lo + YEAR
        )
    return days


def _rendered(context: Context) -> list[tuple[Rotation, int]]:
    """Each rotation the rules below render, with its pieces (oncall.budget): over the window,
    and over the next year's holidays; twice where holidays change it (honoured and not)."""
    found: list[tuple[Rotation, int]] | None = context.settings.get(_CACHE + "_rendered")
    if found is not None:
        return found
    lo, hi = settings_window(context.settings)
    days = _holiday_days(context)
    holiday_seconds = total(days)
    rotations: dict[str, Rotation] = {}
    for service in _services(context):
        for step in service.ladder.steps:
            rotations.update((r.name, r) for r in step.rotations)
    for rotation in context.policy.rotations.values():
        if rotation.follow_the_sun and renderable(rotation):
            rotations.setdefault(rotation.name, rotation)
    on_holidays = {r.name for s in _closed_on_holidays(context) for r in s.ladder.steps[0].rotations}
    found = []
    for rotation in rotations.values():
        size = pieces(rotation, hi - lo)
        if rotation.name in on_holidays:
            size += pieces(rotation, holiday_seconds, len(days))
        found.append((rotation, size * (2 if follows_calendars(rotation) else 1)))
    context.settings[_CACHE + "_rendered"] = found
    return found


def _within_budget(context: Context) -> bool:
    found: bool | None = context.settings.get(_CACHE + "_within_budget")
    if found is None:
        sizes = _rendered(context)
        found = context.settings[_CACHE + "_within_budget"] = sum(
            size for _, size in sizes
        ) <= budget(len(sizes))
    return found


def render_budget(context: Context) -> Iterator[Finding]:
    """Refuse, up front and once, a run whose rotations would take too long to render;
    every rule that renders then stands down (the others still run)."""
    if _within_budget(context):
        return
    sizes = _rendered(context)
    horizon = context.settings.get("horizon") or "13w"
    yield Finding(
        heaviest(sizes, 1)[0][0].source.at("layers"),
        f"checking deliverability over the next {horizon} would render {sum(s for _, s in sizes):,} "
        f"turns, restriction windows and overrides of {len(sizes)} rotation(s), more than the "
        f"{budget(len(sizes)):,} one run renders for as many; the most: {named(sizes)}; lengthen "
        "their shifts, use fewer layers or shorten validate.horizon in opskit.yaml. Until then "
        f"{', '.join(DRAWING[:-1])} and {DRAWING[-1]} are not checked",
    )


def when(span: Span, timezone: str = "UTC") -> str:
    zone = zones.get(timezone)
    a, b = zone.wall(span[0]), zone.wall(span[1])
    start = zones.to_datetime(a).strftime("%a %Y-%m-%d %H:%M")
    same_day = a // zones.DAY == (b - 1) // zones.DAY
    end = zones.to_datetime(b).strftime("%H:%M" if same_day else "%a %Y-%m-%d %H:%M")
    if same_day and b % zones.DAY == 0:
        end = "24:00"
    return f"{start}–{end} {timezone}"


def hours(seconds: int) -> str:
    return f"{round(seconds / 3600, 1):g}h"


def _services(context: Context) -> list[Service]:
    """Services whose promise can be rendered; every rule here asks, so it is kept."""
    found: list[Service] | None = context.settings.get(_CACHE + "_services")
    if found is None:
        found = context.settings[_CACHE + "_services"] = [
            service for service in context.policy.services.values() if _renderable(service)
        ]
    return found


def _renderable(service: Service) -> bool:
    ladder = service.ladder
    rotations = [r for step in ladder.steps for r in step.rotations]
    return (
        ladder.complete
        and bool(ladder.steps)
        and all(renderable(r) for r in rotations)
        and valid_zone(service.support_hours.timezone)
    )


def _promise(service: Service) -> str:
    calendar = service.support_hours
    what = "24x7" if calendar.always_open else f"{calendar.name} hours"
    return f"service {service.name!r} promises {what} (tier {service.tier.name!r})"


def _at_promise(service: Service) -> Position:
    key = "support_hours" if "support_hours" in service.source.data else "tier"
    return service.source.at(key)


def _zone(service: Service) -> str:
    return service.support_hours.timezone


def coverage_gap(context: Context) -> Iterator[Finding]:
    if not _within_budget(context):
        return
    schedules = _schedules(context)
    ignoring = _schedules(context, holidays=False)
    for service in _services(context):
        gaps = service_gaps(service, schedules, ignoring).plain
        if gaps:
            yield Finding(
                _at_promise(service),
                f"{_promise(service)}, but step 1 of ladder {service.ladder.name!r} has nobody on call "
                f"for {hours(total(gaps))} in {len(gaps)} gap(s) in the next {context.settings.get('horizon') or '13w'}, "
                f"first {when(gaps[0], _zone(service))}; extend a rotation's layers or restrictions",
            )


def _calendars(service: Service) -> list[Calendar]:
    return [
        r.calendar
        for rotation in service.ladder.steps[0].rotations
        for layer in rotation.layers
        for r in layer.restrictions
        if r.calendar is not None
    ]


def _holiday_name(service: Service, span: Span) -> str:
    for calendar in _calendars(service):
        day = zones.date_of(zones.get(calendar.timezone).wall(span[0]))
        name = holiday(calendar, day)
        if name:
            return f"{name}, {calendar.name}"
    return "a holiday"


def _closed_on_holidays(context: Context) -> list[Service]:
    """Services whose first step follows a calendar with holidays: only these can be closed
    on one, so only these are drawn over the year's holidays."""
    return [s for s in _services(context) if closes_for_holidays(s.ladder.steps[0])]


def holiday_uncovered(context: Context) -> Iterator[Finding]:
    if not _within_budget(context):
        return
    schedules = _schedules(context, year=True)
    ignoring = _schedules(context, year=True, holidays=False)
    for service in _closed_on_holidays(context):
        gaps = service_gaps(service, schedules, ignoring).holiday
        if gaps:
            yield Finding(
                _at_promise(service),
                f"{_promise(service)}, but step 1 of ladder {service.ladder.name!r} is closed on holidays: "
                f"{hours(total(gaps))} uncovered in the next year, first {when(gaps[0], _zone(service))} "
                f"({_holiday_name(service, gaps[0])}); add an override or a layer that works holidays",
            )


def _always_open_services(context: Context) -> dict[int, tuple[EscalationLadder, Service]]:
    out: dict[int, tuple[EscalationLadder, Service]] = {}
    for service in _services(context):
        if service.tier.calendar.always_open:
            out.setdefault(id(service.ladder), (service.ladder, service))
    return out


def single_person_24x7(context: Context) -> Iterator[Finding]:
    """A 24x7 ladder reaches a second person at every instant of the horizon.

    Names are not enough: a rotation [alice, bob] then bob names two people, yet in
    bob's weeks every step pages bob. So the rendered schedule is asked: a span when
    every step pages the same one person is a finding at the step that escalates to
    nobody new. Where two rotations of the ladder have that person on call at once,
    double-booked says so already (with the rotations to change), and this rule does not.
    """
    flagged = {finding.position for finding in said(context, ladders.single_person)}
    for ladder, service in _always_open_services(context).values():
        people = ladder.reachable()
        if len(people) < 2:
            position = ladder.source.at("steps")  # found only when needed: it may mean a re-parse
            if position in flagged:
                continue  # said already for the top priority
            who = people[0].name if people else "nobody"
            yield Finding(
                position,
                f"tier {service.tier.name!r} promises 24x7 on service {service.name!r}, but the ladder reaches "
                f"only {who}; add a second person so one absence cannot leave it unanswered",
            )
            continue
        if not _within_budget(context):
            continue
        found = alone(ladder, _schedules(context))
        if not found:
            continue
        if len(ladder.steps) == 1 and ladder.repeat == 0 and _said_nobody_else(context, ladder):
            continue  # "nobody else is paged if step 1 does not answer": said already
        first, spans = found[0], union(a.span for a in found)
        step = min(1, len(ladder.steps) - 1)  # the first escalation, which reaches nobody new
        yield Finding(
            ladder.source.at("steps", step),
            f"tier {service.tier.name!r} promises 24x7 on service {service.name!r}, but every step of the ladder "
            f"pages one and the same person for {hours(total(spans))} in {len(spans)} span(s) in the next "
            f"{context.settings.get('horizon') or '13w'}, first {first.person} {when(first.span)}; add a target here "
            f"that pages someone other than {first.person} then, so one absence cannot leave it unanswered",
        )


def alone(ladder: EscalationLadder, schedules: Schedules) -> list[Alone]:
    """Spans when every step of the ladder pages one person, less those double-booked reports."""
    booked = union(b.span for b in double_bookings(ladder, schedules))
    return [
        Alone(a.person, span)
        for a in single_person_spans(ladder, schedules)
        for span in subtract([a.span], booked)
    ]


def _said_nobody_else(context: Context, ladder: EscalationLadder) -> bool:
    steps = ladder.source.at("steps")
    return any(f.position == steps for f in said(context, ladders.too_slow))


def double_booked(context: Context) -> Iterator[Finding]:
    if not _within_budget(context):
        return
    schedules = _schedules(context)
    seen: set[int] = set()
    for service in _services(context):
        ladder = service.ladder
        if id(ladder) in seen:
            continue
        seen.add(id(ladder))
        found = double_bookings(ladder, schedules)
        if not found:
            continue
        first = found[0]
        (i, a), (j, b) = first.first, first.second
        index = next(
            k
            for k, t in enumerate(ladder.source.data["steps"][j]["notify"])
            if t.get("rotation") == b
        )
        yield Finding(
            ladder.source.at("steps", j, "notify", index, "rotation"),
            f"{first.person} is on call in {a!r} (step {i + 1}) and {b!r} (step {j + 1}) at once, "
            f"{when(first.span)}, so escalating to step {j + 1} reaches nobody new; {len(found)} such overlap(s) in the "
            f"next {context.settings.get('horizon') or '13w'}; reorder members, shift a handoff or add a target to the step",
        )


def second_person_late(context: Context) -> Iterator[Finding]:
    """A later step with nobody on call must not push the second person past the first response."""
    if not _within_budget(context):
        return
    flagged = {finding.position for finding in said(context, ladders.too_slow)}
    schedules = _schedules(context)
    for service, priority, minutes, target in _tightest_by_ladder(context).values():
        ladder = service.ladder
        if (
            flagged
            and {
                ladder.source.at("steps"),
                ladder.source.at("steps", 0, "escalate_after"),
            }
            & flagged
        ):  # positions only when needed: finding them may mean parsing again
            continue  # the delays alone are too slow: said already
        within = schedules.open(service.support_hours)
        late = late_second_person(ladder, schedules, within, int(minutes * 60))
        if late:
            (first, rotation) = late[0]
            yield Finding(
                ladder.source.at("steps"),
                f"tier {service.tier.name!r} promises {priority} first response within {target} on service "
                f"{service.name!r}, but with nobody on call in {rotation!r} no second person is paged in time "
                f"for {hours(total(s for s, _ in late))} in the next {context.settings.get('horizon') or '13w'}, "
                f"first {when(first)}; cover the gap or page someone else in that step",
            )


def _tightest_by_ladder(context: Context) -> dict[int, tuple[Service, str, float, str]]:
    """Per ladder, the service whose tier promises the fastest first response."""
    out: dict[int, tuple[Service, str, float, str]] = {}
    for service in _services(context):
        found = tightest_first_response(service.tier, [p.name for p in service.priorities])
        if found is None:
            continue
        name, targets = found
        minutes = effective_minutes(targets.first_response, service.tier)
        key = id(service.ladder)
        if key not in out or minutes < out[key][2]:
            out[key] = (service, name, minutes, str(targets.first_response))
    return out


def follow_the_sun_nights(context: Context) -> Iterator[Finding]:
    if not _within_budget(context):
        return
    window = night(context.settings)
    schedules = _schedules(context)
    text = f"{format_minutes(window[0])}–{format_minutes(window[1])}"
    for rotation in context.policy.rotations.values():
        if not rotation.follow_the_sun or not renderable(rotation):
            continue
        by_layer: dict[tuple[str, str], list[Span]] = {}
        for shift in schedules.shifts(rotation):
            by_layer.setdefault((shift.layer, shift.person), []).append((shift.start, shift.end))
        # where each one is written, found only for a finding: it may mean parsing again
        places: list[tuple[tuple[str | int, ...], Person, list[Span]]] = [
            (
                ("layers", i, "members", j),
                person,
                by_layer.get((layer.name, person.name), []),
            )
            for i, layer in enumerate(rotation.layers)
            for j, person in enumerate(layer.members)
        ]
        for o in rotation.overrides:  # an override can put someone on nights just as well
            own = [(zones.from_datetime(o.start), zones.from_datetime(o.end))]
            shown = by_layer.get((OVERRIDE, o.person.name), [])
            places.append(
                (
                    ("overrides", o.index, "person"),
                    o.person,
                    intersect(shown, own),
                )
            )
        for where, person, spans in places:
            if not spans or not valid_zone(person.timezone):
                continue
            nights = intersect(
                spans, night_spans(window, person.timezone, spans[0][0], spans[-1][1])
            )
            if nights:
                yield Finding(
                    rotation.source.at(*where),
                    f"follow-the-sun rotation puts {person.name} on call at night ({text} {person.timezone}) "
                    f"for {hours(total(nights))}, first {when(nights[0], person.timezone)}; "
                    "move them to a layer in their daytime",
                )


def restriction_dst_gap(context: Context) -> Iterator[Finding]:
    """A restriction means local time; PagerDuty runs it for its length of real time. Where
    that changes who is on call on a clock-change day, say so at the restriction, with the
    gap and a fix. opskit's schedules draw hours windows as PagerDuty runs them, so
    coverage-gap and the others meet such a gap where a promise needs the time; this rule
    says why, at the restriction, for every rotation PagerDuty will get."""
    lo, hi = settings_window(context.settings)
    period = (
        "in the next year" if hi <= lo + YEAR else f"in the next {context.settings.get('horizon')}"
    )
    hi = max(hi, lo + YEAR)
    for rotation in context.policy.rotations.values():
        for gap in restriction_gaps(rotation, lo, hi, period):
            yield Finding(
                rotation.source.at("layers", gap.layer, "restrictions", gap.restriction),
                gap.message,
            )
