"""Every page keeps the Content-Security-Policy (issue 16 §6): in the role walks' world (a lot
opened with its record, a lot open for bids with a question; tests/browser/test_role_walks.py),
each role signs in and walks every page it can reach by links from its home (one page of each shape:
`/contracts/3/` stands for every contract), and the public walks from the portal's home. A page
fails on a CSP violation, any other console error or uncaught script error, or a 500.

To cover a new page: link it from a page a role reaches (the walk finds it by itself), or, for a
page no link reaches, add its address to EXTRA_PAGES under the role that may open it."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.conftest import shot, sign_in
from tests.browser.test_role_walks import build_world

# The cast's people, one of each kind (tests/conftest.py); None is the public.
ROLES = [None, "purchaser", "agency", "supplier", "supplier2", "expert", "bank", "bureau"]

# Pages no link reaches, by role (the walk adds the pages they link to).
EXTRA_PAGES: dict[str | None, list[str]] = {
    None: ["/accounts/login/", "/complaints/status/", "/no-such-page/"],
    "bureau": ["/admin/"],
}

# Addresses the walk does not open: sign-out, files (PDFs, spreadsheets, downloads, JSON), and
# the admin's pages that only repeat a shape already seen (each model's history and delete).
SKIP = re.compile(
    r"/logout/|\.(pdf|xlsx|json|csv|xml|zip)$|/download/|/feed|/admin/logout/"
    r"|/admin/.*/(history|delete)/$|/admin/r/|/admin/password_change/"
    r"|/__errors__/|/bench/"
)
SHAPE = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=/|$|\.)")
# The admin's pages share Django's templates: one list, one form, one app index stand for all
# models, and the pages with templates of their own (the audit chain check) are shapes apart.
ADMIN_MODEL = re.compile(r"^/admin/[a-z_]+/[a-z_]+/(?=(<id>/change/|add/)?$)|^/admin/[a-z_]+/$")
MAX_PAGES = 120  # per role; the walk stops there

VIOLATIONS = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__problems.push(`CSP ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`);
});
"""


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_world(cast)
    return cast


def shape(path: str) -> str:
    path = SHAPE.sub("/<id>", path)
    return ADMIN_MODEL.sub("/admin/<model>/", path)


class Walker:
    """Opens pages of one origin breadth-first and keeps what went wrong on each."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.problems: dict[str, list[str]] = {}
        self.seen_shapes: set[str] = set()
        self.visited: list[str] = []
        self._current: list[str] = []
        # A page's own 404 (a link the role may not follow) is the role walks' business
        # (test_role_walks.py); a missing script, style sheet or image is a problem here.
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and not msg.text.startswith("Failed to load resource")
                and self._current.append(f"console: {msg.text}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and r.request.resource_type != "document"
                and self._current.append(f"{r.status} {r.url}")
            ),
        )
        page.on("pageerror", lambda error: self._current.append(f"script error: {error}"))
        page.on(
            "response",
            lambda r: (
                r.status >= 500
                and r.url.startswith(origin)
                and self._current.append(f"{r.status} {r.url}")
            ),
        )

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        found = []
        for href in hrefs:
            url = urldefrag(href).url.split("?")[0]
            if url.startswith(self.origin) and not SKIP.search(urlsplit(url).path):
                found.append(url)
        return found

    def walk(self, starts: list[str]) -> None:
        queue = deque(self.origin + path for path in starts)
        while queue and len(self.visited) < MAX_PAGES:
            url = queue.popleft()
            key = shape(urlsplit(url).path)
            if key in self.seen_shapes:
                continue
            self.seen_shapes.add(key)
            self._current = []
            try:
                self.page.goto(url, wait_until="networkidle")
            except Exception as error:  # a download or an aborted navigation: not a page
                if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
                    continue
                raise
            self.visited.append(url)
            self._current += self.page.evaluate("window.__problems || []")
            if self._current:
                self.problems[url] = list(self._current)
            queue.extend(self.links())


def test_every_page_of_every_role_keeps_the_content_security_policy(world, browser, live_server):
    everything: dict[str, dict[str, list[str]]] = {}
    counts = {}
    for role in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        context.add_init_script(VIOLATIONS)
        page = context.new_page()
        starts = ["/"]
        if role:
            sign_in(page, live_server, role)
            starts = ["/accounts/"]
        walker = Walker(page, live_server.url)
        walker.walk(starts + EXTRA_PAGES.get(role, []))
        if role in ("supplier", "bureau"):
            shot(page, f"csp-walk-{role}")
        counts[role or "public"] = len(walker.visited)
        print(role or "public", len(walker.visited), walker.problems, flush=True)
        if walker.problems:
            everything[role or "public"] = walker.problems
        context.close()
    print(counts)
    assert counts["public"] >= 5 and counts["bureau"] >= 20 and counts["supplier"] >= 10, counts
    assert everything == {}
