"""Whole public pages kept for anonymous visitors (portal.caching.anonymous_page).

An anonymous visitor with no session and no pending message gets the same page as every
other one for that address and language, so the page is rendered once per generation; a
signed-in visitor, or one with a message to see, always gets its own rendering.
"""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse

from procurement.models import AnnouncementKind
from tests.portal.builders import make_announcements, make_intentions

pytestmark = pytest.mark.django_db


def public_urls(cast) -> list[str]:
    rows = make_announcements(cast, 3, kind=AnnouncementKind.TENDER)
    (intention,) = make_intentions(cast, 1)
    return [
        reverse("portal:home"),
        reverse("portal:announcements"),
        reverse("portal:announcements") + "?kind=tender&q=物业",
        reverse("portal:announcement", args=[rows[0].pk]),
        reverse("portal:intentions"),
        reverse("portal:intention", args=[intention.pk]),
    ]


def test_a_second_anonymous_visit_renders_nothing(client, cast):
    for url in public_urls(cast):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first.templates, url  # rendered
        second = client.get(url)
        assert second.status_code == 200, url
        assert second.templates == [], url  # served whole from the cache
        assert second.content == first.content, url
        assert "csrfmiddlewaretoken" not in second.content.decode(), url
        assert "X-CSRFToken" not in second.content.decode(), url
        assert not second.cookies, url  # nothing personal: no CSRF or session cookie


def test_the_language_is_part_of_the_key(client, cast):
    url = reverse("portal:home")
    public_urls(cast)
    chinese = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "招标公告" in chinese
    assert "Tender announcement" in english and "招标公告" not in english.split("<main")[0]


def test_a_signed_in_visitor_gets_its_own_page_after_an_anonymous_one(client, cast):
    url = reverse("portal:announcements")
    public_urls(cast)
    client.get(url)
    assert client.get(url).templates == []
    member = Client()
    member.force_login(cast.supplier)
    response = member.get(url)
    assert response.templates  # rendered for this visitor
    body = response.content.decode()
    assert 'data-testid="user-menu"' in body
    assert "X-CSRFToken" in body  # htmx's header for a signed-in user
    # and the anonymous copy was not replaced by the personal one
    assert 'data-testid="user-menu"' not in client.get(url).content.decode()


def test_a_visitor_with_a_message_sees_it(client, cast, rf):
    url = reverse("portal:home")
    public_urls(cast)
    client.get(url)
    # the message framework's cookie, as left by a redirect that added a message
    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(20, "您已安全退出。")
    response = client.get("/")  # any response to carry the cookie
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(url)
    assert page.templates
    assert "您已安全退出。" in page.content.decode()


def test_a_missing_notice_is_not_cached_and_shows_once_published(client, cast):
    (row,) = make_announcements(cast, 1)
    url = reverse("portal:announcement", args=[row.pk + 1000])
    assert client.get(url).status_code == 404
    assert client.get(url).templates  # the 404 page is rendered every time, not kept


def test_a_publication_replaces_the_cached_pages(client, cast):
    rows = make_announcements(cast, 2, kind=AnnouncementKind.TENDER)
    url = reverse("portal:announcements")
    client.get(url)
    (new,) = make_announcements(
        cast, 1, kind=AnnouncementKind.TENDER, title="整页缓存后新发布", project=rows[0].project
    )
    new.save()
    assert "整页缓存后新发布" in client.get(url).content.decode()


def test_the_language_switch_needs_no_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert "Announcements" in browser.get("/").content.decode()


def test_nothing_is_kept_when_the_ttl_is_zero(client, cast, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    url = public_urls(cast)[0]
    client.get(url)
    assert client.get(url).templates
