"""Law-exact periods through the services (issue 9 §1–§3): each boundary day allowed, the day
before refused, for every method, across the 2026 Spring Festival (15–23 Feb off; 14 and
28 Feb worked) and National Day (1–7 Oct off; 20 Sep and 10 Oct worked) and into 2027.

Minimum intervals (RULES.md R-T6): the later act may fall on the last day of the interval.
Periods that must run (the announcement period, the documents' provision period) end at 24:00.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from audit.models import Event
from common.errors import InvalidTransition
from notifications.models import Notification
from procurement.legal import documents_provided_until, earliest_bid_deadline
from procurement.models import Announcement, AnnouncementKind, EvaluationMethod, LotState
from procurement.services import (
    answer_question,
    ask_question,
    publish_correction,
    publish_tender_announcement,
    record_download,
    update_lot,
)
from procurement.services._base import RulesBroken
from procurement.services.announcements import CorrectionValues
from timers.models import Clock
from timers.services import sweep

from .factories import (
    lot_values,
    make_announced_project,
    make_intention,
    make_plan,
    make_project,
    make_ready_project,
    pdf_upload,
)
from .timeline import at

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def _values(lot, method: str, deadline):
    values = lot_values(lot, deadline=deadline)
    if method != "competitive_consultation" and method != "public_tender":
        values.evaluation_method = EvaluationMethod.LOWEST_PRICE
        values.price_weight = None
        values.criteria = []
    return values


# --------------------------------------------------------------------------------------------
# §1–§2: the earliest bid deadline of every method


BID_PERIODS = [
    # 20 days (GPL Art 35): 3月12日 … 3月31日.
    ("public_tender", at(2026, 3, 11, 10, 0), at(2026, 3, 31)),
    # The 20th day is 10月1日, in the National Day holiday: 10月8日.
    ("public_tender", at(2026, 9, 11, 10, 0), at(2026, 10, 8)),
    # The 20th day is 2月21日, in the Spring Festival: 2月24日.
    ("public_tender", at(2026, 2, 1, 10, 0), at(2026, 2, 24)),
    # Into 2027 (statutory rule): the 20th day is New Year's Day, then a weekend: 1月4日.
    ("public_tender", at(2026, 12, 12, 10, 0), at(2027, 1, 4)),
    # 磋商: 10 days end on 2月22日 → 2月24日, but the 5 working days on sale (2月13日, the
    # make-up 2月14日, 2月24日, 25日, 26日) end later: 2月26日 (D214 Art 10).
    ("competitive_consultation", at(2026, 2, 12, 10, 0), at(2026, 2, 26)),
    # 磋商: 10 days from 9月28日 end on 10月8日; the sale's 5 working days (9月29日, 30日,
    # 10月8日, 9日, the make-up Saturday 10日) end on 10月10日.
    ("competitive_consultation", at(2026, 9, 28, 10, 0), at(2026, 10, 10)),
    # 磋商: here the 10 days bind (5 working days end on 3月9日).
    ("competitive_consultation", at(2026, 3, 2, 10, 0), at(2026, 3, 12)),
    # 谈判: 3 working days from 9月30日: 10月8日, 9日 and the make-up 10月10日 (O74 Art 29).
    ("competitive_negotiation", at(2026, 9, 30, 17, 0), at(2026, 10, 10)),
    # 谈判 into 2027: 12月31日, 1月4日, 1月5日.
    ("competitive_negotiation", at(2026, 12, 30, 10, 0), at(2027, 1, 5)),
    # 询价: 3 working days from 2月13日: the make-up 2月14日, 2月24日, 25日 (O74 Art 45).
    ("request_for_quotation", at(2026, 2, 13, 10, 0), at(2026, 2, 25)),
    # 询价: the make-up Sunday 9月20日 counts: 9月18日, 20日, 21日.
    ("request_for_quotation", at(2026, 9, 17, 10, 0), at(2026, 9, 21)),
]


@pytest.mark.parametrize(("method", "issued", "earliest"), BID_PERIODS)
def test_the_bid_deadline_may_fall_on_the_last_day_and_not_before(cast, method, issued, earliest):
    with time_machine.travel(issued, tick=False):
        lot = make_project(cast, method=method).lots.get(number=1)
        assert earliest_bid_deadline(method=method, issued_at=issued) == earliest
        with pytest.raises(RulesBroken) as excinfo:
            update_lot(
                lot=lot, values=_values(lot, method, earliest - SECOND), acting_user=cast.purchaser
            )
        assert f"{earliest:%Y-%m-%d} 00:00" in refusal(excinfo)
        deadline = earliest + dt.timedelta(hours=9, minutes=30)
        update_lot(lot=lot, values=_values(lot, method, deadline), acting_user=cast.purchaser)
    lot.refresh_from_db()
    assert lot.bid_deadline == deadline


def test_a_consultation_names_both_minimums_when_refused(cast):
    with time_machine.travel(at(2026, 2, 12, 10, 0), tick=False):
        lot = make_project(cast, method="competitive_consultation").lots.get(number=1)
        with pytest.raises(RulesBroken) as excinfo:
            update_lot(
                lot=lot,
                values=_values(lot, "competitive_consultation", at(2026, 2, 24, 9, 30)),
                acting_user=cast.purchaser,
            )
    message = refusal(excinfo)
    assert "不得少于 10 日" in message and "同时不少于 5 个工作日" in message
    assert "2026-02-26 00:00" in message


def test_single_source_has_no_minimum_bid_period():
    assert earliest_bid_deadline(method="single_source", issued_at=at(2026, 3, 2, 10, 0)) is None


def test_the_lot_form_offers_the_last_day_as_the_earliest_deadline(client, cast):
    with time_machine.travel(at(2026, 9, 11, 10, 0), tick=False):
        project = make_project(cast)
        client.force_login(cast.purchaser)
        page = client.get(reverse("procurement:lot_edit", args=[project.lots.get(number=1).pk]))
    hint = re.search(r'data-testid="earliest-deadline">([^<]+)<', page.content.decode())
    assert hint is not None and "2026-10-08 00:00" in hint.group(1)


# --------------------------------------------------------------------------------------------
# Intention → announcement (财库〔2020〕10号: "不得晚于采购活动开始前30日")


@pytest.mark.parametrize(
    ("published", "first_day"),
    [
        (at(2026, 3, 2, 9, 0), at(2026, 4, 1)),  # the 30th day
        (at(2026, 9, 5, 9, 0), at(2026, 10, 8)),  # the 30th day, 10月5日, is a holiday
    ],
)
def test_the_announcement_may_follow_on_the_30th_day_after_the_intention(
    cast, published, first_day
):
    intention = make_intention(cast, published_days_ago=None)
    intention.publish(at=published)
    intention.save()
    deadline = first_day + dt.timedelta(days=30, hours=9)
    with time_machine.travel(published + dt.timedelta(hours=1), tick=False):
        project = make_ready_project(
            cast, plan=make_plan(cast, intention=intention), deadline=deadline
        )
    with time_machine.travel(first_day - SECOND, tick=False), pytest.raises(RulesBroken) as excinfo:
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert f"{first_day:%Y-%m-%d} 00:00" in refusal(excinfo)
    with time_machine.travel(first_day, tick=False):
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
    assert project.lots.filter(state=LotState.ANNOUNCED).count() == 2


# --------------------------------------------------------------------------------------------
# Changes before the deadline (IR Art 31: "在投标截止时间至少15日前")


def _announced(cast, issued, deadline):
    with time_machine.travel(issued, tick=False):
        return make_announced_project(cast, deadline=deadline)


@pytest.mark.parametrize(
    ("issued", "deadline", "last_in_time"),
    [
        # A change published on 3月2日 is in time for a deadline on 3月17日.
        (at(2026, 2, 25, 10, 0), at(2026, 3, 17, 9, 30), at(2026, 3, 2, 23, 0)),
        # For a deadline on 10月9日 the last change in time is on 9月24日 (its 15th day);
        # one on 9月25日 has its 15th day on the make-up Saturday 10月10日, too late.
        (at(2026, 9, 11, 10, 0), at(2026, 10, 9, 9, 30), at(2026, 9, 24, 23, 0)),
    ],
)
def test_a_documents_change_is_in_time_on_the_15th_day_before_the_deadline(
    cast, issued, deadline, last_in_time
):
    project = _announced(cast, issued, deadline)
    change = CorrectionValues(changes_documents=True)
    late = last_in_time + dt.timedelta(hours=2)  # the next day, Beijing time
    with time_machine.travel(late, tick=False):
        change.uploads = [("补充文件", pdf_upload("补充.pdf"))]
        with pytest.raises(RulesBroken) as excinfo:
            publish_correction(project=project, values=change, acting_user=cast.purchaser)
        assert "《中华人民共和国政府采购法实施条例》第三十一条" in refusal(excinfo)
    with time_machine.travel(last_in_time, tick=False):
        change.uploads = [("补充文件", pdf_upload("补充.pdf"))]
        notice = publish_correction(project=project, values=change, acting_user=cast.purchaser)
    assert notice.kind == AnnouncementKind.CORRECTION
    assert {lot.bid_deadline for lot in project.lots.all()} == {deadline}


def test_an_answer_is_in_time_on_the_15th_day_before_the_deadline(cast):
    project = _announced(cast, at(2026, 2, 25, 10, 0), at(2026, 3, 17, 9, 30))
    lot = project.lots.get(number=1)
    with time_machine.travel(at(2026, 3, 1, 10, 0), tick=False):
        question = ask_question(lot=lot, question="交货期可否延长？", acting_user=cast.supplier)
        early = ask_question(lot=lot, question="是否接受进口产品？", acting_user=cast.supplier)
    with time_machine.travel(at(2026, 3, 3, 0, 0), tick=False), pytest.raises(RulesBroken):
        answer_question(clarification=early, answer="不接受。", acting_user=cast.purchaser)
    with time_machine.travel(at(2026, 3, 2, 23, 59), tick=False):
        answer_question(clarification=question, answer="不可延长。", acting_user=cast.purchaser)


# --------------------------------------------------------------------------------------------
# §3: the announcement period (O87 Art 16) and the documents' provision (O87 Art 18)


def test_the_notice_and_the_lot_page_state_both_periods(client, cast):
    # Published on Monday 9月28日: 5 working days are 9月29日, 30日, 10月8日, 9日 and the
    # make-up Saturday 10月10日; both periods end at 24:00 on 10月10日.
    project = _announced(cast, at(2026, 9, 28, 10, 0), at(2026, 10, 19, 9, 30))
    lot = project.lots.get(number=1)
    assert lot.documents_until == at(2026, 10, 11)
    notice = Announcement.objects.get(kind=AnnouncementKind.TENDER)
    assert notice.data["notice_period"]["last_day"] == "2026-10-10"
    assert notice.data["notice_period"]["ends"] == at(2026, 10, 11).isoformat()
    assert "第十六条" in notice.data["notice_period"]["source"]
    assert "第十八条" in notice.data["provision_minimum"]["source"]
    with time_machine.travel(at(2026, 10, 9, 12, 0), tick=False):
        public = client.get(notice.get_absolute_url()).content.decode()
        page = client.get(reverse("procurement:tender_lot", args=[lot.pk])).content.decode()
    assert "5 个工作日，自 2026-09-28 10:00 起至 2026-10-10 24:00 止" in public
    assert "自 2026-09-28 10:00 起至 2026-10-10 24:00 止，向在本平台登录的供应商免费提供" in public
    periods = page[page.index('data-testid="lot-periods"') :]
    assert "2026-10-10 24:00" in periods[: periods.index("</dl>")]
    assert "不少于 5 个工作日" in periods[: periods.index("</dl>")]


def test_documents_are_provided_to_the_end_of_their_period_and_refused_after(client, cast):
    project = _announced(cast, at(2026, 9, 28, 10, 0), at(2026, 10, 19, 9, 30))
    document = project.documents.get()
    with time_machine.travel(at(2026, 10, 11) - SECOND, tick=False):
        record_download(document=document, acting_user=cast.supplier)
    with time_machine.travel(at(2026, 10, 11), tick=False):
        with pytest.raises(InvalidTransition) as excinfo:
            record_download(document=document, acting_user=cast.supplier2)
        assert "2026-10-11 00:00" in str(excinfo.value)
        client.force_login(cast.supplier2)
        page = client.get(
            reverse("procurement:tender_lot", args=[project.lots.get(number=1).pk])
        ).content.decode()
    assert 'data-testid="download"' not in page and "提供期限已届满" in page
    assert project.downloads.count() == 1


def test_too_few_takers_at_the_end_of_the_provision_are_told_and_a_correction_extends_it(cast):
    project = _announced(cast, at(2026, 9, 28, 10, 0), at(2026, 10, 19, 9, 30))
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        record_download(document=project.documents.get(), acting_user=cast.supplier)
    with time_machine.travel(at(2026, 10, 11) - SECOND, tick=False):
        sweep()
    assert not Notification.objects.filter(kind="procurement.few_document_takers").exists()
    with time_machine.travel(at(2026, 10, 11), tick=False):
        sweep()
        sweep()
    told = Notification.objects.filter(kind="procurement.few_document_takers")
    assert set(told.values_list("recipient__username", flat=True)) == {"purchaser"}
    # Once per lot (each lot has its takers), and a second sweep tells nobody again.
    assert told.count() == 2 and all("共有 1 家供应商" in n.body for n in told)
    assert Event.objects.filter(action="procurement.lot.few_document_takers").count() == 2

    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        too_far = CorrectionValues(documents_until=at(2026, 10, 20))
        with pytest.raises(RulesBroken) as excinfo:
            publish_correction(project=project, values=too_far, acting_user=cast.purchaser)
        assert "2026-10-19 09:30" in refusal(excinfo)
        notice = publish_correction(
            project=project,
            values=CorrectionValues(documents_until=at(2026, 10, 15)),
            acting_user=cast.purchaser,
        )
        record_download(document=project.documents.get(), acting_user=cast.supplier2)
    assert [c["after"] for c in notice.data["provision_changes"]] == [
        at(2026, 10, 15).isoformat()
    ] * 2
    for lot in project.lots.all():
        assert lot.documents_until == at(2026, 10, 15)
        clocks = Clock.objects.for_subject(lot).filter(kind="procurement.documents_provision")
        assert [c.due for c in clocks if c.is_open] == [at(2026, 10, 15)]


def test_three_takers_need_no_extension(cast):
    from tests.bidding.helpers import third_supplier

    project = _announced(cast, at(2026, 9, 28, 10, 0), at(2026, 10, 19, 9, 30))
    document = project.documents.get()
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        for user in (cast.supplier, cast.supplier2, third_supplier()):
            record_download(document=document, acting_user=user)
    with time_machine.travel(at(2026, 10, 11), tick=False):
        sweep()
    assert not Notification.objects.filter(kind="procurement.few_document_takers").exists()


def test_a_consultations_documents_are_on_sale_until_a_deadline_on_the_fifth_working_day():
    # The response deadline may fall on the 5th working day, 10月10日: it ends the sale then.
    deadline = at(2026, 10, 10, 9, 30)
    until = documents_provided_until(
        method="competitive_consultation", issued_at=at(2026, 9, 28, 10, 0), deadline=deadline
    )
    assert until == deadline
    later = documents_provided_until(
        method="competitive_consultation",
        issued_at=at(2026, 3, 2, 10, 0),
        deadline=at(2026, 3, 12, 9, 30),
    )
    assert later == at(2026, 3, 10)  # 5 working days: 3月3日 … 3月9日, until 24:00


def test_negotiation_documents_follow_the_deadline(cast):
    issued = at(2026, 3, 2, 10, 0)
    with time_machine.travel(issued, tick=False):
        project = make_project(cast, method="competitive_negotiation")
        for lot in project.lots.all():
            update_lot(
                lot=lot,
                values=_values(lot, "competitive_negotiation", at(2026, 3, 9, 9, 30)),
                acting_user=cast.purchaser,
            )
        from procurement.services import add_tender_document

        add_tender_document(
            project=project, upload=pdf_upload(), title="谈判文件", acting_user=cast.purchaser
        )
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
    lot = project.lots.get(number=1)
    assert lot.documents_until == at(2026, 3, 9, 9, 30)
    assert not Clock.objects.filter(kind="procurement.documents_provision").exists()
    with time_machine.travel(at(2026, 3, 3, 10, 0), tick=False):
        publish_correction(
            project=project,
            values=CorrectionValues(new_deadline=at(2026, 3, 10, 9, 30)),
            acting_user=cast.purchaser,
        )
    lot.refresh_from_db()
    assert lot.documents_until == lot.bid_deadline == at(2026, 3, 10, 9, 30)
