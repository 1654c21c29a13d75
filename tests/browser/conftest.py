"""Playwright driving Debian's Chromium (never `playwright install`).

Use the `page` fixture with `live_server`, and `sign_in(page, live_server, username)`.
Screenshots go to test-artifacts/ (ignored by git) when a test calls `shot(page, name)`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
from pathlib import Path

import pytest

from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# One Playwright and one Chromium per process. Test folders outside tests/browser import these
# fixtures, and each import is a fixture of its own to pytest; two sync Playwrights cannot run
# in one thread ("Sync API inside the asyncio loop"), so every copy shares these two.
_running: dict = {}


@pytest.fixture(scope="session")
def _playwright():
    if "playwright" not in _running:
        from playwright.sync_api import sync_playwright

        _running["playwright"] = sync_playwright().start()
    return _running["playwright"]


@pytest.fixture(scope="session")
def browser(_playwright):
    if "browser" not in _running:
        _running["browser"] = _playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    return _running["browser"]


def pytest_sessionfinish(session, exitstatus):
    if "browser" in _running:
        _running.pop("browser").close()
    if "playwright" in _running:
        _running.pop("playwright").stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    settle(context)
    context.close()


def settle(context) -> None:
    """Let the pages' last requests (the to-do badge's htmx load, say) finish before the test's
    database is flushed: a live-server thread still reading a table holds a lock that the flush's
    TRUNCATE waits on, and PostgreSQL can call that a deadlock."""
    from playwright.sync_api import Error as PlaywrightError

    for open_page in context.pages:
        # A page that never settles is closed anyway.
        with contextlib.suppress(PlaywrightError):
            open_page.wait_for_load_state("networkidle", timeout=5_000)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    settle(context)
    context.close()


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the workspace."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/")


def shot(page, name: str) -> Path:
    """Save a full-page screenshot for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# The data migrations whose rows the tests need: a live-server test empties every table when it
# ends, these rows too, so each browser test writes them again (each seeder is idempotent).
SEEDING_MIGRATIONS = [
    ("contracts.migrations.0002_model_texts", "add_texts"),  # the bureau's model contract texts
    ("experts.migrations.0003_catalogue_seed", "seed"),  # the procurement catalogue
]


def reseed_migration_rows() -> None:
    from django.apps import apps

    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def cast(transactional_db):
    """The shared cast, committed so the live server's thread sees it (PostgreSQL), on top of the
    data migrations' rows (which a previous live-server test's flush removed)."""
    reseed_migration_rows()
    from tests.conftest import make_cast

    return make_cast()
