"""An implausible budget is refused: above the bureau's ceiling (parameter "budget_ceiling",
10,000,000,000 yuan by default, a local setting against typing errors) for intentions, plans and
their lots; the ceiling itself is allowed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from procurement.forms import IntentionForm, PlanLotForm
from procurement.models import LegalParameter, ProcurementIntention
from procurement.parameters import BUREAU_SETTING, legal_parameter
from procurement.services import create_intention, create_plan
from procurement.services._base import RulesBroken, budget_ceiling_problems

from .factories import make_intention
from .test_intentions import FIELDS
from .test_plans import values

pytestmark = pytest.mark.django_db

CEILING = Decimal("10000000000.00")
ONE_FEN_OVER = CEILING + Decimal("0.01")


def test_the_default_ceiling_is_ten_billion_yuan_set_by_the_bureau():
    parameter = legal_parameter("budget_ceiling")
    assert parameter.value == CEILING and parameter.unit == "yuan"
    assert parameter.source == BUREAU_SETTING == "本市财政局设定（防止误录）"


def test_the_ceiling_itself_is_allowed_and_one_fen_over_is_refused():
    assert budget_ceiling_problems(CEILING) == []
    with translation.override("zh-hans"):
        [message] = budget_ceiling_problems(ONE_FEN_OVER)
    assert "10,000,000,000.01 元" in message and "10,000,000,000.00 元" in message
    assert "本市财政局设定（防止误录）" in message and "误录" in message


def test_an_intention_at_the_ceiling_is_saved_and_one_fen_over_is_refused(cast):
    assert create_intention(acting_user=cast.purchaser, **{**FIELDS, "budget": CEILING}).pk
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        create_intention(acting_user=cast.purchaser, **{**FIELDS, "budget": ONE_FEN_OVER})
    assert "最高预算 10,000,000,000.00 元" in " ".join(excinfo.value.messages)
    assert ProcurementIntention.objects.count() == 1


def test_the_intention_form_refuses_it_beside_the_budget(client, cast):
    data = {
        **FIELDS,
        "budget": str(ONE_FEN_OVER),
        "expected_month": FIELDS["expected_month"].strftime("%Y-%m"),
    }
    with translation.override("zh-hans"):
        form = IntentionForm(data)
        assert not form.is_valid()
        assert "最高预算 10,000,000,000.00 元" in form.errors["budget"][0]
    assert IntentionForm({**data, "budget": str(CEILING)}).is_valid()


def test_a_plan_and_a_lot_above_the_ceiling_are_refused_naming_the_lot(cast):
    intention = make_intention(cast)
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        create_plan(
            values=values(intention, budget=ONE_FEN_OVER + Decimal("1200000")),
            acting_user=cast.purchaser,
        )
    messages = excinfo.value.messages
    # The plan's budget, and its first lot's, are both above it: both are named at once.
    assert sum("最高预算" in m for m in messages) == 2
    assert any(m.startswith("第 1 包") or m.startswith("第1包") for m in messages)
    assert PlanLotForm({"name": "一体机", "kind": "goods", "budget": str(CEILING)}).is_valid()
    assert not PlanLotForm(
        {"name": "一体机", "kind": "goods", "budget": str(ONE_FEN_OVER)}
    ).is_valid()


def test_the_bureau_lowers_the_ceiling_from_a_date(cast):
    LegalParameter.objects.create(
        key="budget_ceiling",
        value=Decimal("5000000"),
        unit="yuan",
        label="预算上限",
        source=BUREAU_SETTING,
        effective_from=dt.date(2020, 1, 1),
    )
    assert budget_ceiling_problems(Decimal("5000000")) == []
    assert budget_ceiling_problems(Decimal("5000000.01"))


def test_the_plan_page_shows_the_refusal(client, cast):
    client.force_login(cast.purchaser)
    intention = make_intention(cast)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("procurement:plan_create"),
            {
                "intention": intention.pk,
                "project_name": "教学设备采购",
                "kind": "goods",
                "method": "public_tender",
                "budget": "30000000000",
                "sme_mode": "share",
                "sme_share": "40",
                "sme_reasons": "第二包预留。",
                "lots-TOTAL_FORMS": "1",
                "lots-INITIAL_FORMS": "0",
                "lots-MIN_NUM_FORMS": "1",
                "lots-MAX_NUM_FORMS": "20",
                "lots-0-name": "一体机",
                "lots-0-kind": "goods",
                "lots-0-budget": "30000000000",
            },
        )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("最高预算 10,000,000,000.00 元") == 2
