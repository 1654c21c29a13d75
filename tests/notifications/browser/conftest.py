"""The shared Playwright fixtures (tests/browser/conftest.py), for the inbox's browser tests."""

from __future__ import annotations

from tests.browser.conftest import (  # noqa: F401 - fixtures are used by name
    _playwright,
    browser,
    cast,
    context,
    page,
    phone_page,
)
