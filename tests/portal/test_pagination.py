"""Keyset pagination on its own, over organisations ordered by (-created, -id)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict

from accounts.models import Organisation
from portal.pagination import (
    BACKWARD,
    FORWARD,
    Cursor,
    InvalidCursor,
    decode_cursor,
    encode_cursor,
    paginate_keyset,
)
from tests.factories import OrganisationFactory

ORDERING = ("-created", "-id")
BASE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def make_orgs(n: int, *, same_moment_every: int = 3) -> list[Organisation]:
    """n organisations whose `created` repeats in runs of `same_moment_every` (ties on purpose)."""
    orgs = OrganisationFactory.create_batch(n)
    for i, org in enumerate(orgs):
        moment = BASE + dt.timedelta(minutes=i // same_moment_every)
        # Test fixture only: `created` is auto_now_add, so it is set after the insert.
        Organisation.objects.filter(pk=org.pk).update(created=moment)
    return list(Organisation.objects.order_by(*ORDERING))


def walk_forward(qs, page_size):
    pages, cursor = [], None
    while True:
        page = paginate_keyset(qs, ordering=ORDERING, cursor=cursor, page_size=page_size)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.django_db
def test_it_walks_every_row_once_in_order_across_pages_with_ties():
    expected = make_orgs(47)
    pages = walk_forward(Organisation.objects.all(), 10)
    seen = [org.pk for page in pages for org in page]
    assert seen == [org.pk for org in expected]
    assert [len(p) for p in pages] == [10, 10, 10, 10, 7]
    assert pages[0].is_first and not pages[0].has_previous
    assert all(p.has_previous for p in pages[1:])


@pytest.mark.django_db
def test_it_walks_back_to_the_same_pages():
    make_orgs(35, same_moment_every=7)
    forward = walk_forward(Organisation.objects.all(), 10)
    page = forward[-1]
    back = [page]
    while page.has_previous:
        page = paginate_keyset(
            Organisation.objects.all(), ordering=ORDERING, cursor=page.previous_cursor, page_size=10
        )
        back.append(page)
    back.reverse()
    assert [[o.pk for o in p] for p in back] == [[o.pk for o in p] for p in forward]
    assert back[0].is_first and not back[0].has_previous and back[0].has_next


@pytest.mark.django_db
def test_it_is_stable_when_every_row_has_the_same_moment():
    expected = make_orgs(25, same_moment_every=100)
    pages = walk_forward(Organisation.objects.all(), 4)
    seen = [o.pk for p in pages for o in p]
    assert seen == [o.pk for o in expected]
    assert seen == sorted(seen, reverse=True)


@pytest.mark.django_db
def test_it_does_not_shift_a_page_when_a_newer_row_arrives():
    make_orgs(30)
    first = paginate_keyset(Organisation.objects.all(), ordering=ORDERING, page_size=10)
    second = paginate_keyset(
        Organisation.objects.all(), ordering=ORDERING, cursor=first.next_cursor, page_size=10
    )
    OrganisationFactory()  # newest of all: an OFFSET would now repeat a row on page two
    again = paginate_keyset(
        Organisation.objects.all(), ordering=ORDERING, cursor=first.next_cursor, page_size=10
    )
    assert [o.pk for o in again] == [o.pk for o in second]


@pytest.mark.django_db
def test_it_keeps_the_filter_of_the_queryset():
    make_orgs(30)
    Organisation.objects.filter(pk__in=Organisation.objects.order_by("id")[:12]).update(
        region_code="410200"
    )
    qs = Organisation.objects.filter(region_code="410200")
    pages = walk_forward(qs, 5)
    assert [len(p) for p in pages] == [5, 5, 2]
    assert {o.region_code for p in pages for o in p} == {"410200"}


@pytest.mark.django_db
def test_it_runs_one_query_per_page_however_deep(django_assert_num_queries):
    make_orgs(60)
    pages = walk_forward(Organisation.objects.all(), 5)
    deep = pages[9].next_cursor
    with django_assert_num_queries(1):
        page = paginate_keyset(
            Organisation.objects.all(), ordering=ORDERING, cursor=deep, page_size=5
        )
    assert len(page) == 5


@pytest.mark.django_db
def test_it_shows_an_empty_list_as_a_single_first_page():
    page = paginate_keyset(Organisation.objects.none(), ordering=ORDERING)
    assert page.items == [] and page.is_first
    assert not page.has_next and not page.has_previous


@pytest.mark.django_db
def test_it_builds_links_that_keep_the_filters():
    make_orgs(12)
    query = QueryDict("kind=supplier&q=%E5%85%AC%E5%8F%B8&cursor=old&region=")
    page = paginate_keyset(Organisation.objects.all(), ordering=ORDERING, page_size=5, query=query)
    assert page.next_url.startswith("?kind=supplier&q=%E5%85%AC%E5%8F%B8&cursor=")
    assert "old" not in page.next_url and "region" not in page.next_url
    assert page.previous_url is None
    assert page.first_url == "?kind=supplier&q=%E5%85%AC%E5%8F%B8"


def test_it_round_trips_a_cursor():
    moment = dt.datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=dt.UTC)
    token = encode_cursor(Cursor((moment, 42), BACKWARD))
    assert token.isascii() and "=" not in token and "/" not in token
    cursor = decode_cursor(token, model=Organisation, keys=["created", "id"])
    assert cursor == Cursor((moment, 42), BACKWARD)


@pytest.mark.parametrize(
    "token",
    [
        "!!!",
        "bm90IGpzb24",  # "not json"
        encode_cursor(Cursor((1,), FORWARD)),  # too few keys
        encode_cursor(Cursor(("yesterday", 1), FORWARD)),
        encode_cursor(Cursor(("2026-03-02T09:00:00", 1), FORWARD)),  # naive
        encode_cursor(Cursor(("2026-03-02T09:00:00+00:00", "x"), FORWARD)),
        encode_cursor(Cursor(("2026-03-02T09:00:00+00:00", 1), "sideways")),
    ],
)
def test_it_rejects_a_broken_cursor(token):
    with pytest.raises(InvalidCursor):
        decode_cursor(token, model=Organisation, keys=["created", "id"])


def test_it_refuses_a_naive_datetime_key():
    with pytest.raises(ValueError):
        encode_cursor(Cursor((dt.datetime(2026, 1, 1), 1), FORWARD))  # noqa: DTZ001
