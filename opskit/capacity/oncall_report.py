"""`opskit capacity oncall` as data (``--format json``, version 1) and as text."""

from __future__ import annotations

import dataclasses
from typing import Any

from opskit.capacity.load import MIN_INTERRUPTION, WORK_HOURS_A_WEEK
from opskit.capacity.oncall import RULE, OncallReport, PersonReport
from opskit.capacity.words import percent
from opskit.sla.text import iso

VERSION = 1


def _called(p: PersonReport) -> str:
    return p.person.full_name or p.person.name


def _person(p: PersonReport) -> dict[str, Any]:
    m = p.load
    limits = dataclasses.asdict(p.limits)
    return {
        "name": p.person.name, "full_name": _called(p), "email": p.person.email, "zone": m.zone,
        "rotations": list(p.rotations), "limits": limits, "shifts": m.shifts,
        "oncall_hours": round(m.oncall_hours, 2), "pages": m.pages, "off_shift": m.off_shift,
        "most_in_a_shift": m.most_in_shift, "per_shift": round(m.per_shift, 2),
        "night_pages": m.night_pages, "night_per_week": round(m.night_per_week, 2),
        "interrupted_hours": round(m.interrupted_hours, 2),
        "interrupted_share": round(m.interrupted_share, 4),
        "project_share": round(m.project_share, 4),
    }  # fmt: skip


def document(found: OncallReport, source: str, label: str) -> dict[str, Any]:
    return {
        "version": VERSION,
        "window": {"label": label, "since": iso(found.since), "until": iso(found.until)},
        "source": source,
        "rotations": list(found.rotations),
        "night": {"from_hour": found.night[0], "to_hour": found.night[1]},
        "pages": {"total": found.pages, "nobody": found.nobody, "unknown_people": found.strangers},
        "people": [_person(p) for p in found.people],
        "rotation_summary": [_summary(found, name) for name in found.rotations],
        "problems": [
            {"file": b.where.path, "line": b.where.line, "column": b.where.column,
             "level": "error", "rule": RULE, "rotation": b.rotation, "person": p.person.name,
             "limit": b.breach.limit, "message": f"{b.rotation}: {_called(p)}: "
             f"{b.breach.reason}"}
            for p, b in found.broken()
        ],
    }  # fmt: skip


def _summary(found: OncallReport, name: str) -> dict[str, Any]:
    mine = [p for p in found.people if name in p.rotations]
    shares = sorted((p.load.project_share, _called(p)) for p in mine)
    return {
        "rotation": name, "people": len(mine), "pages": sum(p.load.pages for p in mine),
        "project_share_mean": round(sum(s for s, _ in shares) / len(shares), 4) if shares else None,
        "project_share_lowest": {"share": round(shares[0][0], 4), "person": shares[0][1]}
        if shares else None,
    }  # fmt: skip


def text(doc: dict[str, Any]) -> str:
    pages, night = doc["pages"], doc["night"]
    lines = [f"On-call load: {doc['window']['label']}, {pages['total']:,} pages ({doc['source']})"
             f"; {pages['nobody']} reached nobody, {pages['unknown_people']} someone the "
             "policies do not know.", ""]  # fmt: skip
    lines.append(f"  {'person':<22}{'shifts':>7}{'pages':>7}{'a shift':>9}{'worst':>7}"
                 f"{'nights/wk':>11}{'interrupted':>13}{'project':>9}  rotations")  # fmt: skip
    for p in doc["people"]:
        lines.append(
            f"  {p['full_name'][:21]:<22}{p['shifts']:>7}{p['pages']:>7}{p['per_shift']:>9.1f}"
            f"{p['most_in_a_shift']:>7}{p['night_per_week']:>11.1f}"
            f"{p['interrupted_hours']:>12.1f}h{percent(p['project_share']):>9}  "
            f"{', '.join(p['rotations']) or '(on no rotation)'}"
        )  # fmt: skip
    lines.append("")
    for s in doc["rotation_summary"]:
        if s["people"]:
            low = s["project_share_lowest"]
            lines.append(f"{s['rotation']}: {s['people']} people, {s['pages']} pages; project time "
                         f"{percent(s['project_share_mean'])} on average, lowest "
                         f"{percent(low['share'])} ({low['person']}).")  # fmt: skip
    if doc["problems"]:
        lines.append("")
    for b in doc["problems"]:
        lines.append(f"{b['file']}:{b['line']}:{b['column']} [error] {b['message']} ({b['rule']})")
    if not doc["problems"]:
        lines += ["", "Nobody's load breaks a limit of their rotations."]
    lines += ["", f"Project time: {WORK_HOURS_A_WEEK} working hours a week less the hours pages "
              f"interrupted (each at least {MIN_INTERRUPTION // 60} minutes, nights included: the "
              "sleep lost comes out of the next day). Night: "
              f"{night['from_hour']:02d}:00 to {night['to_hour']:02d}:00 on the person's clock."]  # fmt: skip
    return "\n".join(lines) + "\n"
