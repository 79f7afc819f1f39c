"""Playbooks as a program: templates name what exists, every step can be reached, loops
wait, and the commands are there.

Templates are read as the runner renders them (`opskit.playbooks.render`): Jinja2 in a
sandbox, seeing `inputs` (the run's inputs) and `steps` (earlier steps' outputs; a step id
with dashes may be written with underscores: `steps.open_incident`). Only strings with a
`{` are templates; a `when` is an expression, with or without `{{ }}`.

The flow: steps run in list order; a `decide` jumps to its options' steps and never falls
through to the next one; a step with a `when` may be skipped, so it falls through too; a
`wait` with `until` goes on to the next step, or to its `on_timeout` step.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opskit.policy.checks import template_memo
from opskit.policy.checks.base import Context, Finding
from opskit.policy.loader import PathKey
from opskit.policy.model import Playbook

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

# Inputs every run may have without declaring them: --service, --ticket and --customer.
SHORTCUT_INPUTS = frozenset({"service", "ticket", "customer"})
NAMES = ("inputs", "steps")
STRUCTURAL = ("id", "kind")  # never rendered; `when` is an expression, read apart
# step keys that name an earlier step directly (no template): key -> kinds it may name
STEP_REFERENCES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("of",): ("page", "notify"),
    ("until", "acknowledged"): ("page", "notify"),
    ("until", "resolved"): ("page", "notify"),
}



@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    """Made on first use: jinja2 costs a sixth of start-up, and most repositories have no
    playbook."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)


def _syntax_error() -> type[jinja2.TemplateSyntaxError]:
    import jinja2

    return jinja2.TemplateSyntaxError


@dataclass(frozen=True, slots=True)
class Template:
    """A string of a playbook step the runner renders, where it sits, and if it is a `when`."""

    path: tuple[PathKey, ...]  # under the step
    text: str
    expression: bool  # a `when`


def _strings(value: Any, path: tuple[PathKey, ...]) -> Iterator[tuple[tuple[PathKey, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def templates(step: dict[str, Any]) -> Iterator[Template]:
    """Every string of a step the runner renders, and its `when`."""
    for key, value in step.items():
        if key in STRUCTURAL:
            continue
        if key == "when":
            if isinstance(value, str):
                yield Template(("when",), value, True)
            continue
        for path, text in _strings(value, (key,)):
            if "{" in text:
                yield Template(path, text, False)


@lru_cache(maxsize=4096)
def parse(text: str, expression: bool) -> nodes.Template:
    """The template's syntax tree; raises jinja2.TemplateSyntaxError."""
    import jinja2
    from jinja2 import nodes
    from jinja2.parser import Parser

    env = _environment()
    if not expression:
        return env.parse(text)
    inner = text.strip()
    if inner.startswith("{{") and inner.endswith("}}"):
        inner = inner[2:-2].strip()
    parser = Parser(env, inner, state="variable")
    found = parser.parse_expression()
    if not parser.stream.eos:
        raise jinja2.TemplateSyntaxError("unexpected text after the expression", 1)
    tree = nodes.Template([nodes.Output([found], lineno=1)], lineno=1)
    tree.set_environment(env)
    return tree


def references(tree: nodes.Template) -> Iterator[tuple[str, str]]:
    """(`inputs` or `steps`, the name after it) for each `inputs.x`, `steps["x"]`..."""
    from jinja2 import nodes

    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        base = node.node
        if not isinstance(base, nodes.Name) or base.name not in NAMES or base.ctx != "load":
            continue
        if isinstance(node, nodes.Getattr):
            yield base.name, node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            yield base.name, node.arg.value


def unknown_names(tree: nodes.Template) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(tree)) - set(NAMES) - set(_environment().globals)


def step_index(playbook: Playbook) -> dict[str, int]:
    """Each step id, and the same with underscores for dashes, to its first position."""
    found: dict[str, int] = {}
    for index, step in enumerate(playbook.steps):
        found.setdefault(step["id"], index)
    for step_id, index in list(found.items()):
        found.setdefault(step_id.replace("-", "_"), index)
    return found


def _step_problem(
    playbook: Playbook, index: int, name: str, positions: dict[str, int]
) -> str | None:
    where = positions.get(name)
    if where is None:
        return f"no step {name!r} in playbook {playbook.name!r}"
    if where >= index:
        real = playbook.steps[where]["id"]
        if where == index:
            return f"step {real!r} is this step: its outputs are not known yet"
        return f"step {real!r} comes later: its outputs are not known yet"
    return None


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiouh' else 'a'} {word}"  # an http, a page


def learn(text: str, expression: bool) -> template_memo.Facts:
    """What the checks need of one template: its syntax error, its undeclared names and
    the `inputs` and `steps` it reads."""
    try:
        tree = parse(text, expression)
    except _syntax_error() as error:
        return (error.message or "invalid syntax", (), ())
    return (None, tuple(sorted(unknown_names(tree))), tuple(references(tree)))


def _facts(context: Context, template: Template) -> template_memo.Facts:
    memo = template_memo.memo(bool(context.settings.get("template_memo")))
    return memo.get(template.text, template.expression, learn)


def template_syntax(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        for index, step in enumerate(playbook.steps):
            for template in templates(step):
                error = _facts(context, template)[0]
                if error is not None:
                    what = "expression" if template.expression else "template"
                    yield Finding(
                        playbook.source.at("steps", index, *template.path),
                        f"step {step['id']!r}: {what} syntax error: {error}",
                    )


def _template_problems(
    playbook: Playbook, index: int, read: tuple[tuple[str, str], ...], known: frozenset[str],
    positions: dict[str, int],
) -> Iterator[str]:  # fmt: skip
    for base, name in read:
        if base == "inputs" and name not in known:
            declared = ", ".join(sorted(known))
            yield (f"input {name!r} is not declared in the playbook's inputs "
                   f"(known: {declared})")  # fmt: skip
        elif base == "steps":
            problem = _step_problem(playbook, index, name, positions)
            if problem:
                yield problem


def _reference_problem(
    playbook: Playbook, index: int, keys: tuple[str, ...], kinds: tuple[str, ...],
    positions: dict[str, int],
) -> str | None:  # fmt: skip
    value: Any = playbook.steps[index]
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str):
        return None
    problem = _step_problem(playbook, index, value, positions)
    if problem is None and playbook.steps[positions[value]]["kind"] not in kinds:
        named = playbook.steps[positions[value]]
        problem = (
            f"{'.'.join(keys)} names {_a(named['kind'])} step ({named['id']!r}), "
            f"not {_a(' or '.join(kinds))} step"
        )
    return problem


def unknown_references(context: Context) -> Iterator[Finding]:
    # Positions only for steps with a problem: finding one reads the file again.
    for playbook in context.policy.playbooks.values():
        known_inputs = SHORTCUT_INPUTS | set(playbook.inputs)
        positions = step_index(playbook)
        for index, step in enumerate(playbook.steps):
            for template in templates(step):
                error, unknown, read = _facts(context, template)
                if error is not None:
                    continue  # playbook-template-invalid
                problems = [f"unknown name {name!r}; templates see inputs and steps"
                            for name in unknown]  # fmt: skip
                problems += _template_problems(playbook, index, read, known_inputs, positions)
                for problem in problems:
                    at = playbook.source.at("steps", index, *template.path)
                    yield Finding(at, f"step {step['id']!r}: {problem}")
            for keys, kinds in STEP_REFERENCES.items():
                wrong = _reference_problem(playbook, index, keys, kinds, positions)
                if wrong:
                    at = playbook.source.at("steps", index, *keys)
                    yield Finding(at, f"step {step['id']!r}: {wrong}")


def successors(playbook: Playbook) -> list[list[tuple[int, str | None]]]:
    """For each step, the steps the run may go to next (and the decide answer leading there)."""
    positions: dict[str, int] = {}
    for index, step in enumerate(playbook.steps):
        positions.setdefault(step["id"], index)
    edges: list[list[tuple[int, str | None]]] = []
    for index, step in enumerate(playbook.steps):
        if step["kind"] == "decide":
            edges.append(
                [
                    (positions[t], str(a))
                    for a, t in step.get("options", {}).items()
                    if t in positions
                ]
            )
        else:
            following: list[tuple[int, str | None]] = (
                [(index + 1, None)] if index + 1 < len(playbook.steps) else []
            )
            timeout = step.get("on_timeout") if step["kind"] == "wait" else None
            if isinstance(timeout, str) and timeout in positions:
                following.append((positions[timeout], "on_timeout"))
            edges.append(following)
    return edges


def reachable(edges: list[list[tuple[int, str | None]]]) -> set[int]:
    seen, pending = {0}, [0]
    while pending:
        for target, _ in edges[pending.pop()]:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def unreachable(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        reached = reachable(successors(playbook))
        index, count = 0, len(playbook.steps)
        while index < count:
            if index in reached:
                index += 1
                continue
            end = index
            while end + 1 < count and end + 1 not in reached:
                end += 1
            step_id = playbook.steps[index]["id"]
            after = f" (nor the {end - index} after it)" if end > index else ""
            yield Finding(
                playbook.source.at("steps", index, "id"),
                f"step {step_id!r}{after} is never reached: the step before it is a decide "
                "and no option leads here",
            )
            index = end + 1


def _components(edges: list[list[tuple[int, str | None]]], keep: set[int]) -> dict[int, int]:
    """Strongly connected components (Tarjan, iterative) of the graph restricted to `keep`."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    component: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    for root in sorted(keep):
        if root in order:
            continue
        work = [(root, 0)]
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, position = work[-1]
            targets = [t for t, _ in edges[node] if t in keep]
            if position < len(targets):
                work[-1] = (node, position + 1)
                target = targets[position]
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], order[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = node
                    if member == node:
                        break
    return component


def cycles_without_wait(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        edges = successors(playbook)
        keep = {i for i in reachable(edges) if playbook.steps[i]["kind"] != "wait"}
        component = _components(edges, keep)
        for index in sorted(keep):
            for target, answer in edges[index]:
                if answer is None or target > index or target not in keep:
                    continue
                if component[target] == component[index]:
                    step = playbook.steps[index]
                    yield Finding(
                        playbook.source.at("steps", index, "options", answer),
                        f"answer {answer!r} of step {step['id']!r} loops back to "
                        f"{playbook.steps[target]['id']!r} with no wait step in the loop",
                    )


def repository_root(playbook: Playbook) -> Path:
    from opskit.policy.config import find_config

    document = playbook.source.document
    written = document.file or document.path
    if written:
        found = find_config(Path(written).resolve().parent)
        if found is not None:
            return found.resolve().parent
    return Path.cwd().resolve()


def program_found(program: str, root: Path, cwd: str | None) -> bool:
    if "/" in program:
        if Path(program).is_absolute():
            return Path(program).is_file()
        folders = [root / cwd, root] if cwd else [root]
        return any((folder / program).is_file() for folder in folders)
    return shutil.which(program) is not None


def programs(context: Context) -> Iterator[Finding]:
    for playbook in context.policy.playbooks.values():
        root: Path | None = None
        for index, step in enumerate(playbook.steps):
            argv = step.get("argv")
            if step["kind"] != "run" or not isinstance(argv, list) or not argv:
                continue
            program = argv[0]
            if not isinstance(program, str) or "{" in program or program in playbook.requires:
                continue
            cwd = step.get("cwd")
            root = root or repository_root(playbook)
            if not program_found(program, root, cwd if isinstance(cwd, str) else None):
                yield Finding(
                    playbook.source.at("steps", index, "argv", 0),
                    f"step {step['id']!r} runs {program!r}, which is neither on PATH here nor a "
                    "file in the repository; if only some machines have it, list it in the "
                    "playbook's requires",
                )
