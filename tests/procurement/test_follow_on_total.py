"""Follow-on purchases (GPL Art 31(3)): the 10 % cap is on the total of all follow-ons on one
original contract (添购资金总额), not on each plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.selectors import organisation_of
from procurement.models import MethodGround, PlanStatus
from procurement.services import create_plan, file_plan, return_plan, submit_plan
from procurement.services._base import RulesBroken
from procurement.services.plans import contract_key

from .factories import make_intention
from .test_method_approval import fresh, refusal, values

pytestmark = pytest.mark.django_db

ORIGINAL = "1000000.00"  # the cap is 100,000.00


def follow_on(cast, budget: str, *, reference: str = "ZZ-2024-017", user=None, name=None):
    """A draft follow-on plan of `user` (the cast's purchaser by default)."""
    user = user or cast.purchaser
    intention = make_intention(
        cast,
        purchaser=organisation_of(user),
        budget=Decimal(budget),
        project_name=name or f"原系统扩容添购 {budget}",
    )
    return create_plan(
        values=values(
            intention,
            budget=Decimal(budget),
            method="single_source",
            method_ground=MethodGround.SINGLE_SOURCE_FOLLOW_ON,
            original_contract_reference=reference,
            original_contract_amount=Decimal(ORIGINAL),
        ),
        acting_user=user,
    )


def submitted(cast, budget: str, **kwargs):
    plan = follow_on(cast, budget, **kwargs)
    submit_plan(plan=plan, acting_user=kwargs.get("user") or cast.purchaser)
    return plan


def test_follow_ons_totalling_exactly_ten_percent_are_allowed(cast):
    first = submitted(cast, "60000.00")
    second = submitted(cast, "40000.00")
    for plan in (first, second):
        file_plan(plan=plan, acting_user=cast.bureau)
        assert fresh(plan).status == PlanStatus.FILED


def test_one_fen_over_the_total_is_refused_naming_the_earlier_follow_ons_and_the_room(cast):
    submitted(cast, "30000.00", name="影像系统扩容一期")
    submitted(cast, "30000.00", name="影像系统扩容二期")
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        follow_on(cast, "40000.01")
    message = refusal(excinfo)
    assert "“影像系统扩容一期”（待备案，30,000.00 元）" in message
    assert "“影像系统扩容二期”" in message and "合计 60,000.00 元" in message
    assert "尚余 40,000.00 元" in message and "40,000.01" in message
    assert "最多为 100,000.00 元" in message and "ZZ-2024-017" in message
    assert "《中华人民共和国政府采购法》第三十一条第三项" in message


def test_a_plan_alone_under_the_cap_is_refused_when_the_total_is_over(cast):
    submitted(cast, "99000.00")
    with pytest.raises(RulesBroken):
        follow_on(cast, "2000.00")
    follow_on(cast, "1000.00")


def test_the_contract_number_is_matched_whatever_its_width_case_and_spaces(cast):
    submitted(cast, "60000.00", reference="ZZ-2024-017")
    for written in ("ｚｚ－２０２４－０１７", " zz-2024-017 ", "ZZ - 2024 - 017"):
        with pytest.raises(RulesBroken):
            follow_on(cast, "40000.01", reference=written)
    follow_on(cast, "60000.00", reference="ZZ-2024-018")  # another contract
    assert contract_key("ＺＺ－２０２４－０１７") == contract_key("zz-2024-017")


def test_drafts_do_not_count_until_they_are_submitted(cast):
    draft = follow_on(cast, "60000.00", name="草稿添购")
    other = submitted(cast, "60000.00", name="先提交的添购")
    with pytest.raises(RulesBroken) as excinfo:
        submit_plan(plan=draft, acting_user=cast.purchaser)
    assert "先提交的添购" in refusal(excinfo)
    assert fresh(draft).status == PlanStatus.DRAFT
    # Returned, the other one no longer counts: the draft may go now.
    return_plan(plan=other, reasons="请补充原合同。", acting_user=cast.bureau)
    submit_plan(plan=draft, acting_user=cast.purchaser)
    assert fresh(draft).status == PlanStatus.SUBMITTED
    with pytest.raises(RulesBroken):
        submit_plan(plan=other, acting_user=cast.purchaser)


def test_another_purchasers_follow_ons_on_the_same_number_do_not_count(cast):
    submitted(cast, "90000.00", user=cast.purchaser2)
    submitted(cast, "90000.00")
