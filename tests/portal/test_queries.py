"""Every public page runs a fixed number of queries, at 10 rows as at 60 (STYLE habit 6).

Counts are for an anonymous visitor, with the portal's cache cold (a new generation before
each request) and then warm. Cold: a list runs the purchasers of its filter form and the page
itself (one keyset query, never a COUNT or an OFFSET); a notice runs itself with its parties
and the other notices of its project; an intention runs one; the home page one per kind shown and
one for intentions; a feed one. Warm: none at all.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from portal.caching import forget_fragments
from portal.pagination import FORWARD, Cursor, encode_cursor
from tests.portal.builders import make_announcements, make_intentions, make_project, purchasers

pytestmark = pytest.mark.django_db
SIZES = [10, 60]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-rows")
def rows(request, cast):
    n = request.param
    project = make_project(cast)
    announcements = make_announcements(cast, n, project=project)
    # Spread over more projects too, so "other notices of this project" is not the whole table.
    others = make_announcements(cast, n // 2)
    intentions = make_intentions(cast, n)
    return {"announcements": announcements, "all": announcements + others, "intentions": intentions}


@pytest.fixture
def assert_queries(client, django_assert_num_queries):
    """GET `url` cold and expect `cold` queries, then again warm and expect none."""

    def check(url: str, cold: int, params: dict | None = None):
        forget_fragments()
        with django_assert_num_queries(cold) as captured:
            response = client.get(url, params or {})
        assert response.status_code == 200, url
        assert not any(" OFFSET " in q["sql"].upper() for q in captured.captured_queries)
        with django_assert_num_queries(0):
            again = client.get(url, params or {})
        assert without_csrf(again.content) == without_csrf(response.content)
        return response

    return check


def without_csrf(content: bytes) -> bytes:
    """The page without its per-request CSRF token (the only part that differs each time)."""
    return re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', rb"\1", content)


def fresh(client, url: str, params: dict | None = None):
    """GET with a cold cache, so the response carries its template context."""
    forget_fragments()
    return client.get(url, params or {})


def deep_url(client, url: str, params: dict) -> str:
    """A page of the list reached by cursor: the last page, or (one page only) mid-list."""
    response = fresh(client, url, params)
    page = response.context["page"]
    if not page.has_next:
        assert page.items, "no row for this filter"
        middle = page.items[len(page.items) // 2]
        token = encode_cursor(Cursor((middle.published_at, middle.pk), FORWARD))
        return url + "?" + urlencode({**params, "cursor": token})
    while page.has_next:
        last = url + page.next_url
        page = fresh(client, last).context["page"]
    return last


LISTS = [
    ("portal:announcements", {}),
    ("portal:announcements", {"kind": "tender"}),
    ("portal:announcements", {"method": "public_tender"}),
    ("portal:announcements", {"region": "410100"}),
    ("portal:announcements", {"q": "桌椅"}),
    ("portal:announcements", {"published_from": "2026-06-01", "published_to": "2026-12-31"}),
    ("portal:announcements", {"kind": "tender", "region": "410100", "q": "第"}),
    ("portal:intentions", {}),
    ("portal:intentions", {"region": "410200"}),
    ("portal:intentions", {"sme_reserved": "1"}),
    ("portal:intentions", {"q": "空调"}),
    ("portal:intentions", {"published_from": "2026-05-31"}),
]


@pytest.mark.parametrize(("name", "params"), LISTS, ids=lambda v: str(v))
def test_a_list_page_runs_two_queries_first_and_deep(client, rows, assert_queries, name, params):
    url = reverse(name)
    assert_queries(url, 2, params)
    assert_queries(deep_url(client, url, params), 2)


def test_a_purchaser_filter_runs_two_queries(rows, assert_queries):
    org = purchasers()[0]
    for name in ("portal:announcements", "portal:intentions"):
        assert_queries(reverse(name), 2, {"purchaser": org.pk})


def test_every_page_of_a_long_list_runs_two_queries(client, rows, assert_queries):
    url = reverse("portal:announcements")
    page = assert_queries(url, 2).context["page"]
    pages = 1
    while page.has_next:
        page = assert_queries(url + page.next_url, 2).context["page"]
        pages += 1
    assert pages == -(-len(rows["all"]) // 20)


def test_an_announcement_page_runs_two_queries(rows, assert_queries):
    for row in (rows["announcements"][0], rows["announcements"][-1]):
        assert_queries(reverse("portal:announcement", args=[row.pk]), 2)


def test_an_intention_page_runs_one_query(rows, assert_queries):
    assert_queries(reverse("portal:intention", args=[rows["intentions"][-1].pk]), 1)


def test_the_home_page_runs_one_query_per_list(rows, assert_queries):
    # Intentions and the six kinds of notice on the home page (HOME_KINDS), one query each.
    assert_queries(reverse("portal:home"), 7)


@pytest.mark.parametrize("kind", ["tender", "result", "all"])
def test_a_feed_runs_one_query(rows, assert_queries, kind):
    assert_queries(reverse("portal:announcement_feed", args=[kind]), 1)
    assert_queries(reverse("portal:intention_feed"), 1)


def test_the_framework_floor_runs_no_query(client, db, django_assert_num_queries, settings):
    settings.BENCHMARK = True  # as bench/harness.py sets it
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:bench_floor"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.post(reverse("portal:bench_floor")).status_code == 405


def test_the_framework_floor_is_not_found_unless_a_benchmark_runs(client, db, settings):
    settings.BENCHMARK = False
    response = client.get(reverse("portal:bench_floor"))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()  # the portal's own 404 page


def test_an_unknown_purchaser_id_is_refused_without_a_query_of_its_own(rows, assert_queries):
    """Checked against the purchaser options already loaded: only that query, no list query."""
    for name in ("portal:announcements", "portal:intentions"):
        response = assert_queries(reverse(name), 1, {"purchaser": 99999})
        assert "未知的采购人" in response.content.decode()
