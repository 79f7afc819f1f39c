from opskit.sandbox.pytest_plugin import *  # noqa: F403  (the sandbox, for pages that link to it)
from tests.browser.plugin import check_page, chromium, print_pdf

__all__ = ["check_page", "chromium", "print_pdf"]
