"""Announcements: the 30-day intention rule, corrections and the 15-day rule, cancellations, PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from notifications.models import Notification
from procurement.models import Announcement, AnnouncementKind, LotState, TenderDocument
from procurement.services import (
    cancel_procurement,
    publish_correction,
    publish_tender_announcement,
    record_download,
)
from procurement.services._base import RulesBroken
from procurement.services.announcements import CorrectionValues
from timers.models import Clock

from .factories import (
    make_announced_project,
    make_intention,
    make_plan,
    make_ready_project,
    pdf_upload,
)
from .timeline import DEADLINE, NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_it_announces_every_lot_with_clock_audit_and_snapshot(cast):
    project = make_ready_project(cast, deadline=DEADLINE)
    announcement = publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert announcement.kind == AnnouncementKind.TENDER
    assert announcement.published_at == NOW
    assert announcement.region_code == "410100"
    assert project.code in announcement.search_text and "市教育局" in announcement.search_text
    assert [lot["bid_deadline"] for lot in announcement.data["lots"]] == [DEADLINE.isoformat()] * 2
    for lot in project.lots.all():
        assert lot.state == LotState.ANNOUNCED
        assert lot.documents_issued_at == NOW
        assert [h.state for h in lot.history.order_by("history_id")][-1] == "announced"
        clock = Clock.objects.for_subject(lot).get(kind="procurement.bid_deadline")
        assert clock.due == DEADLINE
    assert Event.objects.filter(action="procurement.lot.announced").count() == 2
    assert Event.objects.filter(action="procurement.announcement.published").count() == 1
    assert Announcement.objects.published().get() == announcement


def test_it_renders_the_pdf_after_commit(cast, django_capture_on_commit_callbacks):
    project = make_ready_project(cast, deadline=DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = publish_tender_announcement(project=project, acting_user=cast.purchaser)
    announcement.refresh_from_db()
    assert announcement.pdf is not None
    assert announcement.pdf.kind == "pdf"
    assert announcement.pdf.file.read(5) == b"%PDF-"


def test_it_refuses_an_announcement_less_than_30_days_after_the_intention(cast):
    # Published on 10 February: day 30 is Thursday 12 March, the first day the announcement
    # may go out ("不得晚于采购活动开始前30日" is a minimum interval, RULES.md R-T6).
    intention = make_intention(cast, published_days_ago=20)
    assert intention.published_at == at(2026, 2, 10, 10, 0)
    # The lot form already counts the bid period from 12 March (walk item 11): 1 April 00:00.
    project = make_ready_project(
        cast, plan=make_plan(cast, intention=intention), deadline=at(2026, 4, 3, 9, 30)
    )
    with pytest.raises(RulesBroken) as excinfo:
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert "2026-03-12 00:00" in refusal(excinfo)
    assert "财库〔2020〕10号" in refusal(excinfo)
    assert not Announcement.objects.exists()
    assert set(project.lots.values_list("state", flat=True)) == {LotState.DRAFT}


def test_a_recorded_exemption_lifts_the_30_day_rule(cast):
    plan = make_plan(cast, intention_exempt=True, exemption_reason="防汛抢险物资，无法预见。")
    project = make_ready_project(cast, plan=plan, deadline=DEADLINE)
    announcement = publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert announcement.published_at == NOW
    assert set(project.lots.values_list("state", flat=True)) == {LotState.ANNOUNCED}


def test_it_refuses_when_the_bid_period_is_too_short_at_publication(cast, frozen):
    project = make_ready_project(cast, deadline=DEADLINE)
    frozen.move_to(at(2026, 3, 5, 10, 0))  # three days later, 20 days no longer fit
    with pytest.raises(RulesBroken) as excinfo:
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert "2026-03-25 00:00" in refusal(excinfo)


def test_it_refuses_without_tender_documents(cast):
    project = make_ready_project(cast, deadline=DEADLINE)
    TenderDocument.objects.update(is_current=False)
    with pytest.raises(RulesBroken):
        publish_tender_announcement(project=project, acting_user=cast.purchaser)


def test_only_the_purchaser_or_its_agency_announces(cast):
    project = make_ready_project(cast, deadline=DEADLINE)
    for user in (cast.purchaser2, cast.agency, cast.supplier, cast.bureau):
        with pytest.raises(PermissionDenied):
            publish_tender_announcement(project=project, acting_user=user)
    publish_tender_announcement(project=project, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        publish_tender_announcement(project=project, acting_user=cast.purchaser)


def _download(cast, project):
    document = project.documents.get()
    record_download(document=document, acting_user=cast.supplier)


def test_a_document_change_15_days_before_the_deadline_must_move_it(cast, frozen):
    project = make_announced_project(cast, deadline=DEADLINE)
    _download(cast, project)
    # 12 March: the 15th day is Friday 27 March, so the deadline must move to 27 March or later
    # ("在投标截止时间至少15日前": a minimum interval, RULES.md R-T6).
    frozen.move_to(at(2026, 3, 12, 10, 0))
    change = CorrectionValues(corrections="第一包技术参数第 3 项修改为……", changes_documents=True)
    with pytest.raises(RulesBroken) as excinfo:
        publish_correction(project=project, values=change, acting_user=cast.purchaser)
    assert "2026-03-27 00:00" in refusal(excinfo)
    assert "《中华人民共和国政府采购法实施条例》第三十一条" in refusal(excinfo)

    change.uploads = [("招标文件（更正版）", pdf_upload("更正.pdf"))]
    change.new_deadline = at(2026, 3, 26, 23, 59)
    with pytest.raises(RulesBroken) as excinfo:
        publish_correction(project=project, values=change, acting_user=cast.purchaser)
    assert "2026-03-27 00:00" in refusal(excinfo)

    change.new_deadline = at(2026, 3, 27, 9, 30)
    change.uploads = [("招标文件（更正版）", pdf_upload("更正.pdf"))]  # a fresh upload
    announcement = publish_correction(project=project, values=change, acting_user=cast.purchaser)
    assert announcement.kind == AnnouncementKind.CORRECTION
    assert announcement.data["deadline_changes"][0]["after"] == change.new_deadline.isoformat()
    assert announcement.data["original"]["published_at"] == NOW.isoformat()
    for lot in project.lots.all():
        assert lot.bid_deadline == change.new_deadline
        open_clock = Clock.objects.for_subject(lot).filter(kind="procurement.bid_deadline")
        assert [c.due for c in open_clock if c.is_open] == [change.new_deadline]
    assert project.documents.filter(is_current=True).count() == 2
    assert Event.objects.filter(action="procurement.lot.deadline_moved").count() == 2
    # IR Art 31: everyone who obtained the documents is told.
    assert Notification.objects.filter(
        recipient=cast.supplier, kind="procurement.documents_changed"
    ).exists()


def test_a_correction_that_leaves_the_documents_alone_needs_no_move(cast, frozen):
    project = make_announced_project(cast, deadline=DEADLINE)
    frozen.move_to(at(2026, 3, 20, 10, 0))
    announcement = publish_correction(
        project=project,
        values=CorrectionValues(corrections="项目联系人电话更正为 0371-87654321。"),
        acting_user=cast.purchaser,
    )
    assert announcement.data["deadline_changes"] == []


def test_a_correction_may_not_bring_the_deadline_forward(cast):
    project = make_announced_project(cast, deadline=at(2026, 4, 10, 9, 30))
    with pytest.raises(RulesBroken):
        publish_correction(
            project=project,
            values=CorrectionValues(corrections="提前截止", new_deadline=DEADLINE),
            acting_user=cast.purchaser,
        )


def test_cancelling_cancels_the_lots_and_their_clocks_and_publishes_a_notice(cast):
    project = make_announced_project(cast, deadline=DEADLINE)
    _download(cast, project)
    announcement = cancel_procurement(
        project=project, reason="采购需求发生重大变化。", acting_user=cast.purchaser
    )
    assert announcement.kind == AnnouncementKind.CANCELLATION
    assert set(project.lots.values_list("state", flat=True)) == {LotState.CANCELLED}
    assert not [c for c in Clock.objects.filter(kind="procurement.bid_deadline") if c.is_open]
    assert Event.objects.filter(action="procurement.lot.cancelled").count() == 2
    assert Notification.objects.filter(
        recipient=cast.supplier, kind="procurement.procurement_cancelled"
    ).exists()
    with pytest.raises(InvalidTransition):
        cancel_procurement(project=project, reason="再次", acting_user=cast.purchaser)


def test_cancelling_a_draft_project_publishes_nothing(cast):
    project = make_ready_project(cast, deadline=DEADLINE)
    assert (
        cancel_procurement(project=project, reason="预算调整。", acting_user=cast.purchaser) is None
    )
    assert not Announcement.objects.exists()


def test_suppliers_only_download_while_bidding_is_open_and_each_download_is_recorded(cast):
    project = make_ready_project(cast, deadline=DEADLINE)
    document = project.documents.get()
    with pytest.raises(InvalidTransition):
        record_download(document=document, acting_user=cast.supplier)
    publish_tender_announcement(project=project, acting_user=cast.purchaser)
    with pytest.raises(PermissionDenied):
        record_download(document=document, acting_user=cast.purchaser2)
    record_download(document=document, acting_user=cast.supplier)
    record_download(document=document, acting_user=cast.supplier2)
    assert sorted(d.supplier.name for d in project.downloads.all()) == [
        "郑州乙商贸有限公司",
        "郑州甲科技有限公司",
    ]


def test_the_correction_form_says_the_earliest_deadline(client, cast, frozen):
    from django.urls import reverse

    project = make_announced_project(cast, deadline=DEADLINE)
    frozen.move_to(at(2026, 3, 12, 10, 0))
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:project_correct", args=[project.pk])).content.decode()
    assert "2026-03-27 00:00" in page
    response = client.post(
        reverse("procurement:project_correct", args=[project.pk]),
        {"corrections": "修改技术参数", "changes_documents": "on"},
    )
    assert response.status_code == 200
    assert "2026-03-27 00:00" in response.content.decode()
    assert not Announcement.objects.filter(kind="correction").exists()


def test_a_wrong_file_type_is_refused_with_the_documents_message(cast):
    from django.core.exceptions import ValidationError

    from procurement.services import add_tender_document

    project = make_ready_project(cast, deadline=DEADLINE)
    with pytest.raises(ValidationError):
        add_tender_document(
            project=project,
            upload=SimpleUploadedFile("a.pdf", b"hello, not a pdf", content_type="application/pdf"),
            title="假文件",
            acting_user=cast.purchaser,
        )
    assert project.documents.count() == 1


def test_money_stays_decimal_in_the_snapshot(cast):
    project = make_announced_project(cast, deadline=DEADLINE)
    data = Announcement.objects.get().data
    assert Decimal(data["project"]["budget"]) == project.budget
    assert dt.datetime.fromisoformat(data["lots"][0]["opening_at"]) == DEADLINE


def test_a_late_new_deadline_is_refused_with_its_own_date_once(client, cast, frozen):
    """Walk item 12: the message names the new deadline, the publication moment and the earliest
    allowed deadline (15 days after the publication, RULES.md B-8), in one error box."""
    from django.urls import reverse

    project = make_announced_project(cast, deadline=DEADLINE)
    frozen.move_to(at(2026, 3, 12, 10, 0))
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:project_correct", args=[project.pk]),
        {
            "corrections": "修改技术参数",
            "changes_documents": "on",
            "new_deadline": "2026-03-26T23:59",
            "new_document_title": "招标文件（更正版）",
            "new_document": pdf_upload("更正.pdf"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    errors = page[page.index('data-testid="form-errors"') :]
    errors = errors[: errors.index("</div>")]
    assert "2026-03-26 23:59" in errors  # the new deadline, the one refused
    assert "2026-03-12 10:00" in errors  # the correction's publication
    assert "2026-03-27 00:00" in errors  # the 15th day after it
    assert "2026-03-24 09:30" not in errors  # not the deadline being replaced
    assert page.count('data-testid="form-errors"') == 1
    assert "alert-block" not in page  # crispy's second copy of the same errors
    assert not Announcement.objects.filter(kind="correction").exists()
