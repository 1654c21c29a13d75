"""Figures in the Chinese messages are spaced one way: a space on both sides of a number that
stands between Chinese words (预算 2,000,000.00 元, 不得少于 20 日), never on one side only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from procurement.legal import check_bid_deadline, early_announcement_message
from procurement.services._base import RulesBroken

from .test_method_approval import THRESHOLD, new_plan, refusal

pytestmark = pytest.mark.django_db

# A Chinese character touching a figure on one side while the figure has a space on its other
# side: 「少于20 日」, 「满 30日」 (a bracket or other punctuation beside a figure is no matter).
LOPSIDED = re.compile(r"[\u4e00-\u9fff]\d[\d,.]*\s|\s\d[\d,.]*[\u4e00-\u9fff]")


def lopsided(message: str) -> list[str]:
    return LOPSIDED.findall(message)


def test_the_bid_period_refusal_spaces_its_days_on_both_sides():
    issued = timezone.make_aware(dt.datetime(2026, 6, 1, 9))
    with translation.override("zh-hans"):
        check = check_bid_deadline(
            method="public_tender", issued_at=issued, deadline=issued + dt.timedelta(days=3)
        )
    assert check is not None
    assert "不得少于 20 日（" in check.message
    assert lopsided(check.message) == []


def test_the_early_announcement_message_spaces_its_days_on_both_sides():
    published = timezone.make_aware(dt.datetime(2026, 6, 1, 9))
    with translation.override("zh-hans"):
        message = early_announcement_message(published)
    assert "公开满 30 日（" in message
    assert lopsided(message) == []


def test_the_threshold_refusal_spaces_its_amount_on_both_sides(cast):
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        new_plan(cast, budget=THRESHOLD, method_ground="", method_reason="")
    message = refusal(excinfo)
    assert "标准 2,000,000 元的" in message
    assert lopsided(message) == []


def test_the_plan_page_spaces_the_threshold_on_both_sides(client, cast):
    plan = new_plan(cast)  # consultation at 2,500,000: needs the bureau's approval
    client.force_login(cast.purchaser)
    body = client.get(reverse("procurement:plan_detail", args=[plan.pk])).content.decode()
    note = re.search(r"预算达到公开招标数额标准（[^）]*）", body)
    assert note is not None and re.search(r"（[\d,.]+ 元）", note.group()), note
    assert lopsided(note.group()) == []


def test_the_pattern_finds_the_lopsided_forms():
    assert lopsided("不得少于20 日") and lopsided("满 30日")
    assert not lopsided("不得少于 20 日，预算 2,000,000.00 元") and not lopsided("第5包")
