from tests.browser.plugin import check_page, chromium, print_pdf

__all__ = ["check_page", "chromium", "print_pdf"]
