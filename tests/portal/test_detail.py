"""Detail pages and the announcement PDF: public when published, 404 for everyone otherwise."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from documents.access import can_download
from documents.services import store_bytes
from procurement.models import AnnouncementKind, AnnouncementStatus, IntentionStatus
from tests.portal.builders import make_announcements, make_intentions, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """These tests read each response's template context: render every page afresh."""
    settings.PORTAL_CACHE_SECONDS = 0


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def clients(cast) -> dict[str, Client]:
    """An anonymous client and one signed in for each member of the cast."""
    out = {"anonymous": Client()}
    for name, user in cast.everyone().items():
        c = Client()
        c.force_login(user)
        out[name] = c
    return out


def test_it_shows_a_published_announcement_with_its_facts_and_other_notices(client, cast):
    project = make_project(cast)
    tender, correction = make_announcements(cast, 2, project=project)
    response = client.get(reverse("portal:announcement", args=[tender.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert tender.title in body
    assert tender.purchaser.name in body
    assert project.code in body
    assert "100,000.00" in body
    assert [r.pk for r in response.context["related"]] == [correction.pk]


def test_it_renders_the_kinds_own_fragment_from_the_data(client, cast):
    data = {
        "project": {"code": "ZZCG-2026-1", "name": "门户测试项目", "method": "public_tender"},
        "lots": [],
        "documents": [],
        "original": {"title": "原公告标题"},
        "corrections": "更正内容：开标时间调整。",
        "reason": "终止原因",
        "question": "问题",
        "answer": "答复",
    }
    rows = make_announcements(cast, len(AnnouncementKind), data=data)
    assert {row.kind for row in rows} == set(AnnouncementKind)
    # Every kind has a fragment of its own (results from evaluation, contracts from contracts),
    # which renders even from data that lacks the kind's own fields.
    with_fragment = set(AnnouncementKind)
    for row in rows:
        response = client.get(reverse("portal:announcement", args=[row.pk]))
        assert response.status_code == 200
        used = {t.name for t in response.templates}
        own = f"procurement/announcements/{row.kind}.html"
        if row.kind in with_fragment:
            assert own in used, row.kind
            assert "portal/_announcement_data.html" not in used, row.kind
        else:
            assert "portal/_announcement_data.html" in used, row.kind
            assert own not in used, row.kind


def test_it_renders_unknown_data_generically_and_safely(client, cast):
    (row,) = make_announcements(
        cast,
        1,
        kind=AnnouncementKind.RESULT,
        data={"winner_name": "<b>郑州甲科技</b>", "lots": [{"n": 1}], "sme": True},
    )
    from django.template.loader import render_to_string

    html = render_to_string("portal/_announcement_data.html", {"data": row.data})
    assert "&lt;b&gt;郑州甲科技&lt;/b&gt;" in html
    assert "Winner name" in html  # the key, as words
    assert "<b>" not in html


def test_it_links_the_lots_of_a_tender_to_their_public_pages(client, cast):
    (row,) = make_announcements(
        cast,
        1,
        kind=AnnouncementKind.TENDER,
        data={"lots": [{"id": 7, "number": 1, "name": "教学一体机"}]},
    )
    response = client.get(reverse("portal:announcement", args=[row.pk]))
    links = response.context["lot_links"]
    url = reverse("procurement:tender_lot", args=[7])
    assert links == [{"number": 1, "name": "教学一体机", "url": url}]


def test_every_role_gets_404_for_a_draft_announcement(cast):
    (draft,) = make_announcements(cast, 1, status=AnnouncementStatus.DRAFT)
    url = reverse("portal:announcement", args=[draft.pk])
    for name, c in clients(cast).items():
        assert c.get(url).status_code == 404, name
    assert Client().get(reverse("portal:announcement", args=[draft.pk + 1000])).status_code == 404


def test_every_role_gets_404_for_a_draft_intention(cast):
    (draft,) = make_intentions(cast, 1, status=IntentionStatus.DRAFT)
    url = reverse("portal:intention", args=[draft.pk])
    for name, c in clients(cast).items():
        assert c.get(url).status_code == 404, name


def test_it_shows_a_published_intention(client, cast):
    (intention,) = make_intentions(cast, 1)
    response = client.get(reverse("portal:intention", args=[intention.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert intention.project_name in body
    assert "50,000.00" in body
    assert "0371-12345678" in body
    assert "2026-07" in body


def test_anyone_downloads_the_pdf_of_a_published_announcement(cast, media):
    pdf = store_bytes(content=pdf_bytes(), name="公告.pdf", use="documents.generated_pdf")
    (row,) = make_announcements(cast, 1, pdf=pdf)
    url = reverse("portal:announcement_pdf", args=[row.pk])
    page = Client().get(reverse("portal:announcement", args=[row.pk])).content.decode()
    assert f'href="{url}"' in page
    for name, c in clients(cast).items():
        response = c.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        # Reading it to the end closes it (the test client's wrapper, without closing the db).
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_nobody_downloads_the_pdf_of_a_draft_or_a_notice_without_one(cast, media):
    pdf = store_bytes(content=pdf_bytes(), name="草稿.pdf", use="documents.generated_pdf")
    (draft,) = make_announcements(cast, 1, pdf=pdf, status=AnnouncementStatus.DRAFT)
    (no_pdf,) = make_announcements(cast, 1)
    for name, c in clients(cast).items():
        assert c.get(reverse("portal:announcement_pdf", args=[draft.pk])).status_code == 404, name
        assert c.get(reverse("portal:announcement_pdf", args=[no_pdf.pk])).status_code == 404
    page = Client().get(reverse("portal:announcement", args=[no_pdf.pk])).content.decode()
    assert "announcement-pdf" not in page


def test_documents_lets_every_signed_in_user_download_a_published_notices_pdf(cast, media):
    published_pdf = store_bytes(content=pdf_bytes(), name="公告.pdf", use="documents.generated_pdf")
    draft_pdf = store_bytes(content=pdf_bytes(), name="草稿.pdf", use="documents.generated_pdf")
    make_announcements(cast, 1, pdf=published_pdf)
    make_announcements(cast, 1, pdf=draft_pdf, status=AnnouncementStatus.DRAFT)
    for name, user in cast.everyone().items():
        assert can_download(user, published_pdf), name
        if name != "bureau":  # the bureau supervises everything, drafts included
            assert not can_download(user, draft_pdf), name
