"""The result in one working day: the purchaser confirms or passes over with a reason, rank 1 is
deemed chosen after five working days, and the notices go out (issue 11 §6; O87 Arts 68–69)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from audit.models import Event
from common.errors import DomainError, InvalidTransition, PermissionDenied
from evaluation.models import Award, EvaluationState
from evaluation.services import confirm_result, render_award_notice_pdf, submit_report
from evaluation.services.report import DECISION_CLOCK, RESULT_CLOCK
from notifications.models import Notification
from procurement.models import Announcement, AnnouncementKind, LotState
from timers.models import Clock
from timers.services import sweep

from .award_builders import scoring_evaluation

pytestmark = pytest.mark.django_db

REPORTED_AT = dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC)  # Friday before Qingming
CONFIRMED_AT = dt.datetime(2026, 4, 7, 3, 0, tzinfo=dt.UTC)  # Tuesday, 11:00 Beijing
LEGAL_DUE = dt.datetime(2026, 4, 13, 16, 0, tzinfo=dt.UTC)  # 24:00 of Monday 13 April


@pytest.fixture
def scene(cast):
    scene = scoring_evaluation(cast)
    with time_machine.travel(REPORTED_AT, tick=False):
        scene.evaluation = submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    return scene


def confirm(scene, user, passed_over=None, at=CONFIRMED_AT):
    with time_machine.travel(at, tick=False):
        return confirm_result(
            evaluation=scene.evaluation, acting_user=user, passed_over=passed_over
        )


def test_the_purchaser_confirms_the_first_ranked_candidate(cast, scene):
    award = confirm(scene, cast.purchaser)
    assert award.bid == scene.bids["small"] and award.rank == 1 and not award.deemed
    assert award.price == scene.bids["small"].price  # the quoted price, not the evaluated one
    assert award.decided_by == cast.purchaser and award.passed_over == []
    scene.lot.refresh_from_db()
    scene.evaluation.refresh_from_db()
    assert scene.lot.state == LotState.AWARDED
    assert scene.evaluation.state == EvaluationState.DECIDED
    clocks = Clock.objects.for_subject(scene.evaluation)
    assert {c.kind: c.met_at for c in clocks} == {
        RESULT_CLOCK: CONFIRMED_AT,
        DECISION_CLOCK: CONFIRMED_AT,
    }
    assert clocks.get(kind=RESULT_CLOCK).breached_at is None
    event = Event.objects.get(action="evaluation.award.confirmed")
    assert event.data["supplier"] == "郑州甲科技有限公司" and event.data["rank"] == 1
    assert award.history.first().history_user == cast.purchaser


def test_the_purchaser_passes_over_with_a_lawful_reason_and_takes_the_next(cast, scene):
    first = str(scene.bids["small"].uuid)
    award = confirm(scene, cast.purchaser, {first: "中标候选人放弃中标（书面声明附后）"})
    assert award.bid == scene.bids["medium"] and award.rank == 2
    assert award.passed_over == [
        {
            "bid": first,
            "supplier": "郑州甲科技有限公司",
            "rank": 1,
            "reason": "中标候选人放弃中标（书面声明附后）",
        }
    ]


def test_a_candidate_passed_over_needs_its_reason(cast, scene):
    with pytest.raises(DomainError) as refused:
        confirm(scene, cast.purchaser, {str(scene.bids["small"].uuid): "  "})
    assert refused.value.code == "reason"


def test_the_winner_is_taken_in_the_order_of_the_ranking(cast, scene):
    with pytest.raises(DomainError) as refused:
        confirm(scene, cast.purchaser, {str(scene.bids["medium"].uuid): "报价过高"})
    assert refused.value.code == "order"


def test_passing_over_every_candidate_is_refused(cast, scene):
    ranking = scene.evaluation.report["ranking"]
    with pytest.raises(DomainError) as refused:
        confirm(scene, cast.purchaser, {key: "放弃" for key in ranking})
    assert refused.value.code == "none_left"


@pytest.mark.parametrize(
    "who", ["agency", "purchaser2", "supplier", "supplier2", "expert", "bureau", "outsider"]
)
def test_nobody_but_the_purchaser_confirms(cast, scene, who):
    with pytest.raises(PermissionDenied):
        confirm(scene, getattr(cast, who))
    assert not Award.objects.exists()


def test_the_result_is_not_confirmed_before_the_report(cast):
    scene = scoring_evaluation(cast)
    with pytest.raises(InvalidTransition):
        confirm(scene, cast.purchaser)


def test_the_result_is_confirmed_once(cast, scene):
    confirm(scene, cast.purchaser)
    with pytest.raises(InvalidTransition):
        confirm(scene, cast.purchaser)


# Deemed chosen (O87 Art 68) -----------------------------------------------------------------


def test_rank_one_is_deemed_chosen_after_five_working_days(cast, scene):
    with time_machine.travel(LEGAL_DUE - dt.timedelta(seconds=1), tick=False):
        sweep()
    assert not Award.objects.exists()
    # The one-day clock was breached on the way and the bureau told.
    assert Clock.objects.get(kind=RESULT_CLOCK).breached_at is not None
    with time_machine.travel(LEGAL_DUE, tick=False):
        sweep()
    award = Award.objects.get()
    assert award.deemed and award.rank == 1 and award.decided_by is None
    assert award.bid == scene.bids["small"]
    assert Event.objects.filter(action="evaluation.award.deemed").count() == 1
    assert Notification.objects.filter(
        kind="evaluation.result_decided", recipient=cast.purchaser
    ).exists()
    with time_machine.travel(LEGAL_DUE + dt.timedelta(minutes=5), tick=False):
        sweep()
    assert Award.objects.count() == 1
    assert Announcement.objects.filter(kind=AnnouncementKind.RESULT).count() == 1


def test_nothing_is_deemed_once_the_purchaser_decided(cast, scene):
    confirm(scene, cast.purchaser)
    with time_machine.travel(LEGAL_DUE + dt.timedelta(hours=1), tick=False):
        sweep()
    assert Award.objects.get().deemed is False


# The notices -------------------------------------------------------------------------------


def test_the_result_announcement_states_what_the_rules_ask(cast, scene):
    award = confirm(scene, cast.purchaser)
    notice = Announcement.objects.get(kind=AnnouncementKind.RESULT)
    assert award.announcement == notice and notice.published_at == CONFIRMED_AT
    assert list(notice.lots.all()) == [scene.lot]
    data = notice.data
    assert data["project"]["purchaser"]["name"] == "市教育局"
    assert data["project"]["code"] == scene.lot.project.code
    assert data["winner"]["name"] == "郑州甲科技有限公司"
    assert data["winner"]["amount"] == "105000.00"
    assert data["items"][0]["name"] == scene.lot.name
    # One working day from Tuesday 7 April: ends at 24:00 of Wednesday 8 April.
    assert data["period"]["days"] == 1
    assert data["period"]["ends"] == "2026-04-09T00:00:00+08:00"
    names = {m["name"]: m["self_selected"] for m in data["committee"]}
    assert names["专家吴工"] is True and names["专家陈教授"] is False and len(names) == 5
    # D46 Art 13: the winner's SME declaration is published with the result.
    assert data["sme_declaration"]["lines"][0]["size_class"] == "small"
    assert "中小企业声明函" in data["sme_declaration"]["text"]


def test_the_result_announcement_shows_on_the_portal(cast, scene, client):
    confirm(scene, cast.purchaser)
    notice = Announcement.objects.get(kind=AnnouncementKind.RESULT)
    page = client.get(notice.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    for text in ["郑州甲科技有限公司", "105,000.00", "专家吴工", "中小企业声明函", "市教育局"]:
        assert text in body, text
    listing = client.get("/announcements/?kind=result").content.decode()
    assert notice.title in listing


def test_the_award_notice_is_a_pdf_with_the_winner_and_price(cast, scene):
    from pypdf import PdfReader

    award = confirm(scene, cast.purchaser)
    award = render_award_notice_pdf(award_id=award.pk)
    assert award.notice_pdf is not None and award.notice_issued_at == CONFIRMED_AT
    with award.notice_pdf.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "郑州甲科技有限公司" in text
    assert "105,000.00" in text
    assert "中标通知书" in text
    told = Notification.objects.get(kind="evaluation.award_notice", recipient=cast.supplier)
    assert "105000.00" in told.body


def test_every_other_bidder_is_told_its_own_result(cast, scene):
    confirm(scene, cast.purchaser)
    medium = Notification.objects.get(kind="evaluation.result_published", recipient=cast.supplier2)
    assert "2" in medium.body and "83.35" in medium.body
    assert "85.00" not in medium.body  # the winner's score is not the loser's to know
    assert not Notification.objects.filter(
        kind="evaluation.result_published", recipient=cast.supplier
    ).exists()
