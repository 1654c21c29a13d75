"""Issue 10 item 5 in a real browser: the lot form answers a submission with every problem at once
(the fields' own beside them, the rules' above the form, a forbidden qualification quoted), and the
corrected submission saves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from procurement.models import Lot
from tests.browser.conftest import shot, sign_in
from tests.procurement.factories import make_lot


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_lot_form_shows_every_error_at_once_then_saves(page, live_server, cast):
    lot = make_lot(cast)  # goods, 1,500,000 yuan, not reserved for SMEs
    sign_in(page, live_server, "purchaser")
    page.goto(f"{live_server.url}/procurement/lots/{lot.pk}/edit/")

    # 1. A submission with a forbidden qualification, a price above the budget, a deadline too
    #    soon, a price weight under the minimum, a window too short and a factor without points.
    page.fill(
        "#id_qualification_requirements",
        "1. 具有独立承担民事责任的能力；\n2. 注册资本不低于1000万元。",
    )
    page.fill("#id_max_price", "2000000")
    page.fill("#id_sme_deduction", "10")
    page.fill("#id_bid_deadline", local_input(timezone.now() + dt.timedelta(days=3)))
    page.fill("#id_decryption_window_minutes", "5")
    page.select_option("#id_evaluation_method", "comprehensive")
    page.fill("#id_price_weight", "20")
    page.click("[data-formset-add=criteria]")
    page.fill("#id_criteria-0-name", "技术方案")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=form-errors]")
    assert page.locator("[data-testid=form-errors]").count() == 1
    box = page.inner_text("[data-testid=form-errors]")
    for problem in (
        "资格要求“注册资本不低于1000万元”不符合规定",
        "第十七条",
        "最高限价不得超过分包预算（1,500,000.00 元）",
        "等标期不足",
        "货物项目的价格分权重不得低于 30%",
        "解密时限应在 10 至 240 分钟之间",
        "另请更正下方标出的栏目",
    ):
        assert box.count(problem) == 1, problem
    points = page.locator("#div_id_criteria-0-points")
    assert "此项为必填项" in points.inner_text()
    shot(page, "forms-lot-every-error")

    # 2. Corrected: saved, back on the project page.
    page.fill(
        "#id_qualification_requirements", "1. 具有独立承担民事责任的能力；\n2. 具有有效的营业执照。"
    )
    page.fill("#id_max_price", "1500000")
    page.fill("#id_bid_deadline", local_input(timezone.now() + dt.timedelta(days=30)))
    page.fill("#id_decryption_window_minutes", "30")
    page.fill("#id_price_weight", "30")
    page.fill("#id_criteria-0-points", "70")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/procurement/projects/{lot.project_id}/")
    assert "已保存" in page.inner_text("body")
    saved = Lot.objects.get(pk=lot.pk)
    assert saved.price_weight == 30 and "营业执照" in saved.qualification_requirements
