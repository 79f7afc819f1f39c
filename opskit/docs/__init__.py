"""The published support policy and the team's handbook, as static HTML pages.

`pages(site)` renders every page in memory and checks that each link between them
resolves; `opskit.docs.site` compares them with a folder and writes them.
"""

from __future__ import annotations

from opskit.docs.inputs import SiteInput
from opskit.errors import ExitCode, OpskitError

__all__ = ["BrokenLinks", "SiteInput", "pages"]


class BrokenLinks(OpskitError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} broken link(s) between the pages: " + "; ".join(problems[:10]),
            ExitCode.FINDINGS,
        )
        self.problems = problems


def pages(site: SiteInput) -> dict[str, bytes]:
    """Relative path -> content of every page; BrokenLinks if a link does not resolve."""
    from opskit.docs.links import broken
    from opskit.docs.render import build

    texts = build(site)
    problems = broken(texts)
    if problems:
        raise BrokenLinks(problems)
    return {path: text.encode("utf-8") for path, text in texts.items()}
