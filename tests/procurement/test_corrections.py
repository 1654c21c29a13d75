"""Structured corrections (walk item 7): what changes is data, applied to the project, its lots
and documents, so no later notice, PDF or page contradicts the correction."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Event
from procurement.models import Announcement, AnnouncementKind
from procurement.services import cancel_procurement, publish_correction
from procurement.services._base import RulesBroken
from procurement.services.announcements import CorrectionValues

from .factories import make_announced_project, pdf_upload
from .timeline import DEADLINE, NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def project(cast):
    project = make_announced_project(cast, deadline=DEADLINE)
    project.contact_name, project.contact_phone = "王老师", "0371-12345678"
    project.save(update_fields=["contact_name", "contact_phone"])
    return project


@pytest.fixture
def client(client, cast):
    """A signed-in reader: anonymous visitors get whole public pages from the cache."""
    client.force_login(cast.supplier2)
    return client


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def notice_text(client, announcement: Announcement) -> str:
    page = client.get(announcement.get_absolute_url()).content.decode()
    return page[page.index('data-testid="notice-body"') :]


def pdf_text(announcement: Announcement) -> str:
    from procurement.services.announcements import render_announcement_pdf

    announcement = render_announcement_pdf(announcement_id=announcement.pk)
    assert announcement is not None and announcement.pdf is not None
    content = announcement.pdf.file.read()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_new_contact_is_applied_and_every_later_notice_prints_it(client, cast, project):
    change = CorrectionValues(contact_name="赵磊", contact_phone="0371-67180202")
    correction = publish_correction(project=project, values=change, acting_user=cast.purchaser)
    project.refresh_from_db()
    assert (project.contact_name, project.contact_phone) == ("赵磊", "0371-67180202")
    assert correction.data["contact_change"] == {
        "before": {"name": "王老师", "phone": "0371-12345678"},
        "after": {"name": "赵磊", "phone": "0371-67180202"},
    }
    assert correction.data["project"]["contact_name"] == "赵磊"
    event = Event.objects.get(action="procurement.project.contact_changed")
    assert event.data["after"]["name"] == "赵磊"
    latest = project.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.history_change_reason == "contact changed by correction"

    # The correction notice states the change, its parties section the new contact only.
    body = notice_text(client, correction)
    assert "王老师 0371-12345678" in body and "赵磊 0371-67180202" in body
    parties = body[body.index('data-testid="notice-parties"') :]
    assert "赵磊 0371-67180202" in parties and "王老师" not in parties
    text = pdf_text(correction)
    assert "赵磊" in text and "0371-67180202" in text

    # The public lot page and a later cancellation notice (page and PDF) say the same.
    lot_page = client.get(reverse("procurement:tender_lot", args=[project.lots.first().pk]))
    assert "赵磊 0371-67180202" in lot_page.content.decode()
    cancellation = cancel_procurement(
        project=project, reason="预算调整。", acting_user=cast.purchaser
    )
    assert cancellation is not None
    body = notice_text(client, cancellation)
    assert "赵磊 0371-67180202" in body and "王老师" not in body
    text = pdf_text(cancellation)
    assert "赵磊" in text and "王老师" not in text


def test_a_new_deadline_is_applied_to_the_lots_and_the_lot_page(client, cast, project):
    new_deadline = at(2026, 3, 31, 9, 30)
    correction = publish_correction(
        project=project,
        values=CorrectionValues(new_deadline=new_deadline),
        acting_user=cast.purchaser,
    )
    assert {lot.bid_deadline for lot in project.lots.all()} == {new_deadline}
    assert "2026-03-31 09:30" in notice_text(client, correction)
    page = client.get(reverse("procurement:tender_lot", args=[project.lots.first().pk]))
    assert "2026-03-31 09:30" in page.content.decode()


def test_documents_said_to_change_without_a_file_are_refused(cast, project):
    change = CorrectionValues(corrections="修改了招标文件。", changes_documents=True)
    with pytest.raises(RulesBroken) as excinfo:
        publish_correction(project=project, values=change, acting_user=cast.purchaser)
    assert "没有新增或撤回任何文件" in refusal(excinfo)
    assert not Announcement.objects.filter(kind=AnnouncementKind.CORRECTION).exists()


def test_a_withdrawn_and_an_added_document_are_listed_and_applied(client, cast, project):
    old = project.documents.get()
    correction = publish_correction(
        project=project,
        values=CorrectionValues(
            changes_documents=True,
            uploads=[("招标文件（更正版）", pdf_upload("更正.pdf"))],
            withdrawn=[old],
        ),
        acting_user=cast.purchaser,
    )
    assert [d.title for d in project.documents.filter(is_current=True)] == ["招标文件（更正版）"]
    body = notice_text(client, correction)
    assert "招标文件（更正版）" in body and "撤回文件：" in body


def test_a_correction_that_changes_nothing_is_refused(cast, project):
    unchanged = CorrectionValues(contact_name="王老师", contact_phone="0371-12345678")
    with pytest.raises(RulesBroken) as excinfo:
        publish_correction(project=project, values=unchanged, acting_user=cast.purchaser)
    assert "本次更正没有任何变更" in refusal(excinfo)


def test_a_remark_alone_is_still_a_correction_and_old_notices_render(client, cast, project):
    remark = "第一包技术参数第 3 项表述更正为……"
    correction = publish_correction(
        project=project, values=CorrectionValues(corrections=remark), acting_user=cast.purchaser
    )
    assert remark in notice_text(client, correction)
    # A notice published before corrections were structured: its text only, no change keys.
    legacy = dict(correction.data)
    for key in ("contact_change", "documents_added", "documents_withdrawn"):
        legacy.pop(key)
    legacy["corrections"] = "项目联系人由王芳变更为赵磊。"
    body = render_to_string(correction.body_template, {"data": legacy})
    assert "项目联系人由王芳变更为赵磊。" in body and "其他更正事项" not in body


def test_the_form_takes_the_changes_as_data_and_refuses_a_bad_phone(client, cast, project):
    client.force_login(cast.purchaser)
    url = reverse("procurement:project_correct", args=[project.pk])
    response = client.post(url, {"contact_phone": "abc"})
    assert response.status_code == 200
    assert "请填写有效的联系电话" in response.content.decode()
    response = client.post(url, {"changes_documents": "on", "corrections": "修改了招标文件"})
    assert "没有新增或撤回任何文件" in response.content.decode()
    assert not Announcement.objects.filter(kind=AnnouncementKind.CORRECTION).exists()
    response = client.post(url, {"contact_name": "赵磊", "contact_phone": "0371-67180202"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.contact_name, project.contact_phone) == ("赵磊", "0371-67180202")


def test_a_refused_cancellation_shows_its_reason_once(client, cast, project):
    client.force_login(cast.purchaser)
    url = reverse("procurement:project_cancel", args=[project.pk])
    assert client.post(url, {"reason": "预算调整。"}).status_code == 302
    page = client.post(url, {"reason": "再次终止。"}).content.decode()
    assert page.count('data-testid="form-errors"') == 1 and "alert-block" not in page
    assert page.count("本项目没有可以终止的分包") == 1
