"""The home page: the newest notices of each kind, cached briefly, fresh after a publication."""

from __future__ import annotations

import pytest
from django.core.cache.backends.base import BaseCache
from django.urls import reverse

from procurement.models import AnnouncementKind, AnnouncementStatus
from tests.portal.builders import make_announcements, make_intentions
from tests.portal.test_queries import without_csrf

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")


def test_it_shows_the_newest_six_of_each_kind_and_of_intentions(client, cast):
    rows = make_announcements(cast, 7 * len(AnnouncementKind))  # seven of each kind
    intentions = make_intentions(cast, 8)
    make_announcements(cast, 2, status=AnnouncementStatus.DRAFT, title="草稿公告不应出现")
    body = client.get(HOME).content.decode()
    for kind in (AnnouncementKind.TENDER, AnnouncementKind.RESULT, AnnouncementKind.CONTRACT):
        newest = [r for r in reversed(rows) if r.kind == kind]
        for row in newest[:6]:
            assert f'href="/announcements/{row.pk}/"' in body
        assert f'href="/announcements/{newest[6].pk}/"' not in body
        assert f'href="/announcements/?kind={kind}"' in body
    for intention in intentions[-6:]:
        assert f'href="/intentions/{intention.pk}/"' in body
    assert f'href="/intentions/{intentions[1].pk}/"' not in body
    assert "草稿公告不应出现" not in body


def test_it_says_when_nothing_is_published(client, db):
    body = client.get(HOME).content.decode()
    # Six kinds of notice (tender, correction, result, contract, failure, cancellation) and the
    # intentions: seven lists, each saying so.
    assert body.count("暂无发布") == 7


def test_it_serves_the_notices_from_the_cache_and_drops_them_on_publication(
    client, cast, django_assert_num_queries
):
    rows = make_announcements(cast, 12)
    with django_assert_num_queries(7):
        client.get(HOME)
    with django_assert_num_queries(0):
        client.get(HOME)
    new = rows[0]
    new.pk = None
    new.title = "刚刚发布的招标公告"
    new.published_at = rows[-1].published_at.replace(year=2027)
    new.save()
    with django_assert_num_queries(7):
        body = client.get(HOME).content.decode()
    assert "刚刚发布的招标公告" in body


def test_it_shows_a_new_publication_on_every_cached_page_at_once(client, cast):
    rows = make_announcements(cast, 5, kind=AnnouncementKind.TENDER)
    urls = [
        HOME,
        reverse("portal:announcements"),
        reverse("portal:announcements") + "?kind=tender",
        reverse("portal:announcement_feed", args=["tender"]),
    ]
    before = [without_csrf(client.get(url).content) for url in urls]
    assert [without_csrf(client.get(url).content) for url in urls] == before  # from the cache
    (new,) = make_announcements(
        cast, 1, kind=AnnouncementKind.TENDER, title="新发布的招标公告", project=rows[0].project
    )
    new.save()  # the services publish with save(): that is what the portal listens to
    for url in urls:
        assert "新发布的招标公告" in client.get(url).content.decode(), url


def test_it_drops_a_withdrawn_notice_from_its_cached_page(client, cast):
    (row,) = make_announcements(cast, 1)
    url = reverse("portal:announcement", args=[row.pk])
    assert client.get(url).status_code == 200
    row.status = AnnouncementStatus.DRAFT
    row.save()
    assert client.get(url).status_code == 404


def test_it_does_not_cache_when_the_ttl_is_zero(client, cast, settings, django_assert_num_queries):
    settings.PORTAL_CACHE_SECONDS = 0
    rows = make_announcements(cast, 3)
    for _ in range(2):
        with django_assert_num_queries(7):
            response = client.get(HOME)
        assert response.status_code == 200
        assert all(f'href="/announcements/{row.pk}/"' in response.content.decode() for row in rows)


class BrokenCache(BaseCache):
    """A cache whose server is down: every call fails, as django-redis does without Redis."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache server down")

    get = set = add = delete = get_many = set_many = delete_many = clear = _down


def test_it_serves_and_publishes_without_a_cache_server(client, cast, settings):
    settings.CACHES = {"default": {"BACKEND": "tests.portal.test_home.BrokenCache"}}
    rows = make_announcements(cast, 3)
    rows[0].title = "缓存故障时也能发布"
    rows[0].save()  # the post_save receiver must not fail the write
    for url in (HOME, reverse("portal:announcements"), f"/announcements/{rows[0].pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "缓存故障时也能发布" in response.content.decode()
