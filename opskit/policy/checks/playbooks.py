"""Playbooks: step ids are unique and branches lead somewhere."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.checks.base import Context, Finding


def duplicates(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        seen: set[str] = set()
        for index, step in enumerate(playbook.steps):
            if step["id"] in seen:
                position = playbook.source.at("steps", index, "id")
                yield Finding(
                    position, f"step id {step['id']!r} is used twice in playbook {playbook.name!r}"
                )
            seen.add(step["id"])


def gotos(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        ids = {step["id"] for step in playbook.steps}
        for index, step in enumerate(playbook.steps):
            for answer, target in step.get("options", {}).items():
                if target not in ids:
                    position = playbook.source.at("steps", index, "options", answer)
                    yield Finding(position, f"answer {answer!r} leads to unknown step {target!r}")
            timeout = step.get("on_timeout")
            if isinstance(timeout, str) and timeout not in ids:
                position = playbook.source.at("steps", index, "on_timeout")
                yield Finding(position, f"on_timeout leads to unknown step {timeout!r}")
