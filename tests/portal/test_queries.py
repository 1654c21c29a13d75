"""Every public page runs a fixed number of queries, at 10 rows as at 60 (STYLE habit 6).

Counts are for an anonymous visitor. Lists: the purchasers of the filter form, then the
page itself (one keyset query, no COUNT). Detail: the announcement with its parties, then
the other notices of its project. Home: one query per kind and one for intentions (on a cache
miss; none on a hit). Feeds: one.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

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


def deep_url(client, url: str, params: dict) -> str:
    """A page of the list reached by cursor: the last page, or (one page only) mid-list."""
    response = client.get(url, params)
    page = response.context["page"]
    if not page.has_next:
        assert page.items, "no row for this filter"
        middle = page.items[len(page.items) // 2]
        token = encode_cursor(Cursor((middle.published_at, middle.pk), FORWARD))
        return url + "?" + urlencode({**params, "cursor": token})
    while page.has_next:
        last = url + page.next_url
        page = client.get(last).context["page"]
    return last


LISTS = [
    ("portal:announcements", {}),
    ("portal:announcements", {"kind": "tender"}),
    ("portal:announcements", {"method": "public_tender"}),
    ("portal:announcements", {"region": "410100"}),
    ("portal:announcements", {"q": "桌椅"}),
    ("portal:announcements", {"published_from": "2026-06-01", "published_to": "2026-12-31"}),
    ("portal:announcements", {"kind": "contract", "region": "410200", "q": "第"}),
    ("portal:intentions", {}),
    ("portal:intentions", {"region": "410200"}),
    ("portal:intentions", {"sme_reserved": "1"}),
    ("portal:intentions", {"q": "空调"}),
    ("portal:intentions", {"published_from": "2026-05-31"}),
]


@pytest.mark.parametrize(("name", "params"), LISTS, ids=lambda v: str(v))
def test_a_list_page_runs_two_queries_first_and_deep(
    client, rows, name, params, django_assert_num_queries
):
    url = reverse(name)
    with django_assert_num_queries(2):
        assert client.get(url, params).status_code == 200
    deep = deep_url(client, url, params)
    with django_assert_num_queries(2):
        assert client.get(deep).status_code == 200


def test_a_purchaser_filter_runs_two_queries(client, rows, django_assert_num_queries):
    org = purchasers()[0]
    for name in ("portal:announcements", "portal:intentions"):
        with django_assert_num_queries(2):
            assert client.get(reverse(name), {"purchaser": org.pk}).status_code == 200


def test_the_last_page_is_reached_by_cursor_and_still_two_queries(
    client, rows, django_assert_num_queries
):
    url = reverse("portal:announcements")
    page = client.get(url).context["page"]
    pages = 1
    while page.has_next:
        with django_assert_num_queries(2):
            page = client.get(url + page.next_url).context["page"]
        pages += 1
    assert pages == -(-len(rows["all"]) // 20)


def test_an_announcement_page_runs_two_queries(client, rows, django_assert_num_queries):
    for row in (rows["announcements"][0], rows["announcements"][-1]):
        with django_assert_num_queries(2):
            assert client.get(reverse("portal:announcement", args=[row.pk])).status_code == 200


def test_an_intention_page_runs_one_query(client, rows, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("portal:intention", args=[rows["intentions"][-1].pk]))
    assert response.status_code == 200


def test_the_home_page_runs_seven_queries_then_none(client, rows, django_assert_num_queries):
    with django_assert_num_queries(7):
        client.get(reverse("portal:home"))
    with django_assert_num_queries(0):
        client.get(reverse("portal:home"))


@pytest.mark.parametrize("kind", ["tender", "result", "all"])
def test_a_feed_runs_one_query(client, rows, kind, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("portal:announcement_feed", args=[kind])).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("portal:intention_feed")).status_code == 200


def test_the_framework_floor_runs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:bench_floor"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.post(reverse("portal:bench_floor")).status_code == 405
