"""Projects from filed plans, and the tender settings of each lot with their legal ranges."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from procurement.models import EvaluationMethod, Lot, LotState, Project
from procurement.services import create_project, update_lot
from procurement.services._base import RulesBroken

from .factories import lot_values, make_intention, make_plan, make_project, make_ready_project
from .timeline import DEADLINE, EARLIEST_DEADLINE, NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_the_purchaser_prepares_a_project_with_draft_lots_from_a_filed_plan(cast):
    plan = make_plan(cast)
    project = create_project(plan=plan, acting_user=cast.purchaser)
    assert project.code == f"410100-2026-{plan.pk:05d}"
    assert [(lot.number, lot.state) for lot in project.lots.all()] == [
        (1, LotState.DRAFT),
        (2, LotState.DRAFT),
    ]
    assert Event.objects.filter(action="procurement.project.created").count() == 1


def test_the_entrusted_agency_prepares_it_and_others_may_not(cast):
    from accounts.selectors import organisation_of

    plan = make_plan(cast, agency=organisation_of(cast.agency))
    for user in (cast.purchaser2, cast.supplier, cast.bureau, cast.outsider):
        with pytest.raises(PermissionDenied):
            create_project(plan=plan, acting_user=user)
    project = create_project(plan=plan, acting_user=cast.agency)
    assert project.agency == organisation_of(cast.agency)


def test_it_refuses_a_plan_not_filed_and_a_second_project(cast):
    plan = make_plan(cast, filed=False)
    with pytest.raises(InvalidTransition):
        create_project(plan=plan, acting_user=cast.purchaser)
    filed = make_plan(cast)
    create_project(plan=filed, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        create_project(plan=filed, acting_user=cast.purchaser)
    assert Project.objects.count() == 1


def test_it_saves_a_lot_inside_the_legal_ranges_with_history(cast):
    draft = make_project(cast).lots.get(number=1)
    values = lot_values(draft, deadline=DEADLINE, max_price=Decimal("1400000.00"))
    update_lot(lot=draft, values=values, acting_user=cast.purchaser)
    lot = Lot.objects.get(pk=draft.pk)  # what was stored, read afresh
    assert lot.bid_deadline == DEADLINE
    assert lot.opening_at == DEADLINE
    assert lot.state == LotState.DRAFT
    assert lot.evaluation_method == EvaluationMethod.COMPREHENSIVE
    assert (lot.price_weight, lot.sme_deduction, lot.max_price) == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("1400000.00"),
    )
    assert lot.decryption_window_minutes == 30
    assert lot.qualification_requirements == values.qualification_requirements
    assert [(c.position, c.name, c.points) for c in lot.criteria.order_by("position")] == [
        (1, "技术方案", Decimal("50.00")),
        (2, "售后服务", Decimal("20.00")),
    ]
    history = list(lot.history.order_by("history_id"))
    assert len(history) == 2
    assert history[-1].history_change_reason == "tender settings"
    assert history[-1].history_user == cast.purchaser
    assert history[-1].bid_deadline == DEADLINE
    event = Event.objects.get(action="procurement.lot.updated")
    assert event.data["bid_deadline"] == DEADLINE.isoformat()
    assert event.data["price_weight"] == "30"


def test_it_refuses_a_bid_period_shorter_than_20_days_with_the_first_allowed_moment(cast):
    lot = make_project(cast).lots.get(number=1)
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(
            lot=lot,
            # Sunday 22 March, the 20th day: a rest day, so the last day is Monday 23 March.
            values=lot_values(lot, deadline=at(2026, 3, 22, 23, 59, 59)),
            acting_user=cast.purchaser,
        )
    message = refusal(excinfo)
    # The source is cited in Chinese, not as the English shorthand of the code (walk item 6).
    assert "《中华人民共和国政府采购法》第三十五条" in message and "Art" not in message
    assert "2026-03-23 00:00" in message


def test_it_accepts_a_deadline_on_the_last_day_of_the_bid_period(cast):
    """RULES.md R-T6: the deadline may fall on the 20th day (rolled to Monday 23 March)."""
    lot = make_project(cast).lots.get(number=1)
    update_lot(
        lot=lot, values=lot_values(lot, deadline=EARLIEST_DEADLINE), acting_user=cast.purchaser
    )
    lot.refresh_from_db()
    assert lot.bid_deadline == EARLIEST_DEADLINE


@pytest.mark.parametrize(
    ("method", "too_early", "earliest", "rule"),
    [
        # 10 calendar days: the response deadline may fall on the 10th day, Thursday 12 March
        # (the 5 working days on sale end on Monday 9 March, earlier).
        ("competitive_consultation", at(2026, 3, 11, 17, 0), "2026-03-12 00:00", "214号"),
        # 3 working days after Monday: the deadline may fall on Thursday 5 March.
        ("competitive_negotiation", at(2026, 3, 4, 17, 0), "2026-03-05 00:00", "第二十九条"),
        ("request_for_quotation", at(2026, 3, 4, 17, 0), "2026-03-05 00:00", "第四十五条"),
    ],
)
def test_it_applies_the_minimum_period_of_each_method(cast, method, too_early, earliest, rule):
    lot = make_project(cast, method=method).lots.get(number=1)
    method_values = lot_values(lot, deadline=too_early)
    if method != "competitive_consultation":
        method_values.evaluation_method = EvaluationMethod.LOWEST_PRICE
        method_values.price_weight = None
        method_values.criteria = []
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=method_values, acting_user=cast.purchaser)
    assert earliest in refusal(excinfo) and rule in refusal(excinfo)


def test_it_refuses_a_price_weight_under_the_tender_minimum_for_goods(cast):
    lot = make_project(cast).lots.get(number=1)
    low = lot_values(lot, deadline=DEADLINE, price_weight=Decimal("25"))
    low.criteria[0].points = Decimal("55")
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=low, acting_user=cast.purchaser)
    message = refusal(excinfo)
    assert "30%" in message and "Art" not in message
    assert "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条" in message


def test_it_refuses_a_consultation_price_weight_above_the_services_maximum(cast):
    lot = make_project(cast, method="competitive_consultation").lots.get(number=2)
    high = lot_values(lot, deadline=DEADLINE, price_weight=Decimal("40"))
    high.criteria[0].points = Decimal("40")
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=high, acting_user=cast.purchaser)
    assert "10%" in refusal(excinfo) and "30%" in refusal(excinfo)


def test_it_refuses_criteria_that_do_not_add_up_to_100(cast):
    lot = make_project(cast).lots.get(number=1)
    uneven = lot_values(lot, deadline=DEADLINE)
    uneven.criteria[1].points = Decimal("25")
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=uneven, acting_user=cast.purchaser)
    assert "105" in refusal(excinfo)


def test_it_refuses_an_sme_deduction_outside_the_legal_range(cast):
    lot = make_project(cast).lots.get(number=1)
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(
            lot=lot,
            values=lot_values(lot, deadline=DEADLINE, sme_deduction=Decimal("6")),
            acting_user=cast.purchaser,
        )
    assert "10%" in refusal(excinfo) and "20%" in refusal(excinfo)


def test_it_refuses_comprehensive_scoring_for_a_negotiation(cast):
    lot = make_project(cast, method="competitive_negotiation").lots.get(number=1)
    with pytest.raises(RulesBroken):
        update_lot(
            lot=lot,
            values=lot_values(lot, deadline=at(2026, 3, 10, 9, 0)),
            acting_user=cast.purchaser,
        )


def test_a_legal_parameter_row_overrides_the_default_from_its_effective_date(cast):
    import datetime as dt

    from procurement.models import LegalParameter

    LegalParameter.objects.create(
        key="tender_bid_period_min",
        value=Decimal("25"),
        unit="calendar_days",
        label="本市等标期",
        source="市财政局通知",
        effective_from=dt.date(2026, 3, 1),
    )
    lot = make_project(cast).lots.get(number=1)
    with pytest.raises(RulesBroken) as excinfo:
        update_lot(lot=lot, values=lot_values(lot, deadline=DEADLINE), acting_user=cast.purchaser)
    assert "市财政局通知" in refusal(excinfo)


def test_other_organisations_may_not_set_up_a_lot(cast):
    lot = make_project(cast).lots.get(number=1)
    for user in (cast.purchaser2, cast.agency, cast.supplier, cast.bureau):
        with pytest.raises(PermissionDenied):
            update_lot(lot=lot, values=lot_values(lot, deadline=DEADLINE), acting_user=user)


# --------------------------------------------------------------------------------------------
# The earliest bid deadline waits for the intention's 30 days (walk item 11)


def _recent_intention_project(cast, **plan_fields):
    # Published Saturday 28 February: the announcement may follow from 31 March 00:00 on (the
    # 30th day, 30 March, ends at 24:00), so 20 days of bid period reach 21 April 00:00.
    intention = make_intention(cast, published_days_ago=2)
    return make_project(cast, plan=make_plan(cast, intention=intention, **plan_fields))


def test_a_deadline_too_short_from_the_earliest_announcement_is_refused(cast):
    lot = _recent_intention_project(cast).lots.get(number=1)
    with pytest.raises(RulesBroken) as excinfo:
        # 22 days from now would do, but the announcement cannot go out before 30 March.
        update_lot(lot=lot, values=lot_values(lot, deadline=DEADLINE), acting_user=cast.purchaser)
    message = refusal(excinfo)
    assert "2026-04-20 00:00" in message and "2026-03-30 00:00" in message
    assert "采购意向" in message
    update_lot(
        lot=lot,
        values=lot_values(lot, deadline=at(2026, 4, 21, 9, 30)),
        acting_user=cast.purchaser,
    )
    lot.refresh_from_db()
    assert lot.bid_deadline == at(2026, 4, 21, 9, 30)


def test_an_exempt_plan_does_not_wait_for_an_intention(cast):
    # The exemption for an urgent, unforeseeable project: no intention, so no 30 days to wait.
    plan = make_plan(cast, intention_exempt=True, exemption_reason="汛期抢险，不可预见。")
    assert plan.intention is None and plan.intention_exempt
    lot = make_project(cast, plan=plan).lots.get(number=1)
    update_lot(lot=lot, values=lot_values(lot, deadline=DEADLINE), acting_user=cast.purchaser)
    lot.refresh_from_db()
    assert lot.bid_deadline == DEADLINE


def test_the_lot_form_hint_names_the_earliest_announcement_and_deadline(client, cast):
    project = _recent_intention_project(cast)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:lot_edit", args=[project.lots.get(number=1).pk]))
    hint = re.search(r'data-testid="earliest-deadline">([^<]+)<', page.content.decode())
    assert hint is not None
    assert "2026-03-30 00:00" in hint.group(1) and "2026-04-20 00:00" in hint.group(1)
    assert "2026-02-28 10:00" in hint.group(1)


def test_the_lot_form_hint_without_a_wait_gives_the_deadline_from_now(client, cast):
    project = make_project(cast)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:lot_edit", args=[project.lots.get(number=1).pk]))
    hint = re.search(r'data-testid="earliest-deadline">([^<]+)<', page.content.decode())
    assert hint is not None and "2026-03-23 00:00" in hint.group(1)
    assert "2026-03-30" not in hint.group(1)


def test_publishing_is_disabled_with_the_reason_while_the_intention_waits(client, cast):
    project = make_ready_project(
        cast,
        plan=make_plan(cast, intention=make_intention(cast, published_days_ago=2)),
        deadline=at(2026, 4, 21, 9, 30),
    )
    client.force_login(cast.purchaser)
    detail = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="announce-from"' in detail and "2026-03-30 00:00" in detail
    page = client.get(reverse("procurement:project_announce", args=[project.pk])).content.decode()
    button = re.search(r'<button[^>]*data-testid="confirm-announce"[^>]*>', page)
    assert button is not None and "disabled" in button.group(0)
    assert 'data-testid="announce-blocked"' in page


def test_publishing_is_offered_when_nothing_refuses_it(client, cast):
    project = make_ready_project(cast)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:project_announce", args=[project.pk])).content.decode()
    button = re.search(r'<button[^>]*data-testid="confirm-announce"[^>]*>', page)
    assert button is not None and "disabled" not in button.group(0)
    detail = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="announce-from"' not in detail


def test_the_project_page_and_announcement_print_yuan_and_points(client, cast):
    """Walk polish: 「1,500,000.00 元」 on the project page, 「技术方案：50 分」 in the announcement."""
    project = make_ready_project(cast, deadline=DEADLINE)
    client.force_login(cast.purchaser)
    detail = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert "1,500,000.00 元" in detail
    page = client.get(reverse("procurement:project_announce", args=[project.pk])).content.decode()
    assert "技术方案：50 分" in page
    assert "分值" not in page


def test_the_preview_names_a_deadline_too_short_from_the_earliest_announcement(client, cast):
    """A lot saved before the rule (as in the demo walk: deadline 12-21, announcement from
    12-29 on) is refused in the preview, not only once the 30 days have run."""
    project = make_ready_project(
        cast,
        plan=make_plan(cast, intention=make_intention(cast, published_days_ago=2)),
        deadline=at(2026, 4, 21, 9, 30),
    )
    Lot.objects.filter(project=project).update(bid_deadline=DEADLINE)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:project_announce", args=[project.pk])).content.decode()
    problems = re.search(r'data-testid="announce-problems">(.*?)</div>', page, re.S)
    assert problems is not None
    assert "2026-03-30 00:00" in problems.group(1) and "2026-04-20 00:00" in problems.group(1)
