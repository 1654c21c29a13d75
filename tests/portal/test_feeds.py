"""Atom feeds: valid XML, the 50 newest published notices, nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from procurement.models import AnnouncementKind, AnnouncementStatus, IntentionStatus
from tests.portal.builders import make_announcements, make_intentions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """These tests read each response's template context: render every page afresh."""
    settings.PORTAL_CACHE_SECONDS = 0


ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "link"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return root


def entry_links(root: ET.Element) -> list[str]:
    return [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]


def test_it_feeds_the_newest_tenders_only_published_ones(client, cast):
    rows = make_announcements(cast, 18)
    make_announcements(
        cast,
        6,
        status=AnnouncementStatus.DRAFT,
        project=rows[0].project,
        kind=AnnouncementKind.TENDER,
    )
    root = parse(client.get(reverse("portal:announcement_feed", args=["tender"])))
    tenders = [r for r in reversed(rows) if r.kind == "tender"]
    assert entry_links(root) == [f"http://testserver/announcements/{r.pk}/" for r in tenders]
    first = root.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}title").text == tenders[0].title
    assert tenders[0].purchaser.name in first.find(f"{ATOM}summary").text


def test_it_caps_a_feed_at_fifty_entries(client, cast):
    make_announcements(cast, 60, kind=AnnouncementKind.RESULT)
    root = parse(client.get(reverse("portal:announcement_feed", args=["result"])))
    assert len(root.findall(f"{ATOM}entry")) == 50
    root = parse(client.get(reverse("portal:announcement_feed", args=["all"])))
    assert len(root.findall(f"{ATOM}entry")) == 50


def test_it_has_a_feed_for_every_kind_and_404_for_others(client, cast):
    for kind in AnnouncementKind.values:
        parse(client.get(reverse("portal:announcement_feed", args=[kind])))
    assert client.get("/feeds/announcements/draft/").status_code == 404


def test_it_feeds_published_intentions(client, cast):
    rows = make_intentions(cast, 4)
    make_intentions(cast, 2, status=IntentionStatus.DRAFT)
    root = parse(client.get(reverse("portal:intention_feed")))
    assert entry_links(root) == [f"http://testserver/intentions/{r.pk}/" for r in reversed(rows)]
