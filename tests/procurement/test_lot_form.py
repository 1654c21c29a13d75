"""The lot form answers a submission with every problem at once: the fields' own errors beside
them and every rule that can be checked above the form, each once."""

from __future__ import annotations

import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from procurement.models import EvaluationMethod, Lot

from .factories import make_lot
from .timeline import DEADLINE, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def lot_post(**fields) -> dict:
    """A valid submission for the first lot of make_lot (goods, 1,500,000 yuan, not reserved)."""
    data = {
        "qualification_requirements": "具有独立承担民事责任的能力；具有有效的营业执照。",
        "max_price": "",
        "sme_deduction": "10",
        "bid_deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M"),
        "decryption_window_minutes": "30",
        "evaluation_method": EvaluationMethod.COMPREHENSIVE,
        "price_weight": "30",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
        "criteria-0-name": "技术方案",
        "criteria-0-points": "50",
        "criteria-0-description": "",
        "criteria-1-name": "售后服务",
        "criteria-1-points": "20",
        "criteria-1-description": "",
    }
    data.update(fields)
    return data


def submit(client, lot, data) -> str:
    with translation.override("zh-hans"):
        response = client.post(reverse("procurement:lot_edit", args=[lot.pk]), data)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def error_box(page: str) -> str:
    start = page.index('data-testid="form-errors"')
    return page[start : page.index("</div>", start)]


def test_field_errors_and_rule_refusals_come_in_one_answer_each_once(client, cast):
    lot = make_lot(cast)
    client.force_login(cast.purchaser)
    page = submit(
        client,
        lot,
        lot_post(
            qualification_requirements="",  # a field error: required
            max_price="2000000",  # a rule: above the lot's budget
            price_weight="20",  # a rule: under the goods minimum of 30
            **{"criteria-0-points": "80", "criteria-1-points": ""},  # a row's field error
            bid_deadline="2026-03-10T09:00",  # a rule: the bid period is too short
            decryption_window_minutes="5",  # a rule: outside 10 to 240 minutes
        ),
    )
    assert page.count('data-testid="form-errors"') == 1 and "alert-block" not in page
    box = error_box(page)
    for rule in (
        "最高限价不得超过分包预算（1,500,000.00 元）",
        "货物项目的价格分权重不得低于 30%",
        "等标期不足",
        "解密时限应在 10 至 240 分钟之间",
        "另请更正下方标出的栏目",
    ):
        assert box.count(rule) == 1, rule
        assert page.count(rule) == 1, rule
    # The refused fields say why beside them, and the rules on them wait for a value: no
    # "add the scoring factors" or points total while a row is refused.
    assert page.count("此项为必填项") == 2
    assert "请添加价格以外的评分因素" not in page and "合计" not in box
    assert Lot.objects.get(pk=lot.pk).max_price is None


def test_a_forbidden_qualification_is_named_with_the_other_rules(client, cast):
    lot = make_lot(cast)
    client.force_login(cast.purchaser)
    page = submit(
        client,
        lot,
        lot_post(
            qualification_requirements="1. 注册资本不低于1000万元；\n2. 须为国有企业。",
            decryption_window_minutes="",  # a field error
            sme_deduction="30",  # a rule
        ),
    )
    box = error_box(page)
    assert "资格要求“注册资本不低于1000万元”不符合规定" in box
    assert "资格要求“须为国有企业”不符合规定" in box
    assert "小微企业价格扣除" in box
    assert "解密时限应在" not in page  # the refused field's rule waits for a value
    assert page.count("此项为必填项") == 1


def test_a_refused_deadline_field_is_not_also_a_missing_deadline(client, cast):
    lot = make_lot(cast)
    client.force_login(cast.purchaser)
    page = submit(client, lot, lot_post(bid_deadline="not a moment", price_weight="20"))
    assert "请设置投标截止时间" not in page and "等标期不足" not in page
    assert "货物项目的价格分权重不得低于 30%" in error_box(page)


def test_the_corrected_submission_saves(client, cast):
    lot = make_lot(cast)
    client.force_login(cast.purchaser)
    submit(client, lot, lot_post(qualification_requirements="注册资本不低于1000万元"))
    response = client.post(reverse("procurement:lot_edit", args=[lot.pk]), lot_post())
    assert response.status_code == 302
    saved = Lot.objects.get(pk=lot.pk)
    assert saved.bid_deadline == DEADLINE and "营业执照" in saved.qualification_requirements
