"""The shared Playwright fixtures (tests/browser/conftest.py) for the calendar's browser tests."""

from __future__ import annotations

from tests.browser.conftest import (  # noqa: F401 - fixtures re-exported for this folder
    _playwright,
    browser,
    cast,
    context,
    page,
    phone_page,
)
