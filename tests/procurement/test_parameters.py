"""Legal parameters: their sources are Chinese citations, in messages, the admin and saved rows."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from procurement.legal import describe
from procurement.models import LegalParameter
from procurement.parameters import BUREAU_SETTING, DEFAULTS, legal_parameter

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("procurement.migrations.0005_legal_sources_in_chinese")
# 《法规名称》, optionally （文号）, optionally articles: how a Chinese text cites a regulation.
CITATION = re.compile(r"^《[^》]+》")
BUREAU_SETTING_PREFIX = BUREAU_SETTING.split("（")[0] + "（"


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_default_source_is_a_chinese_citation(key):
    source = DEFAULTS[key].source
    # Or, for a number that is no law (budget_ceiling, the experts' answer time, the advance
    # payment's bounds), says that the bureau set it and why, as BUREAU_SETTING does.
    assert CITATION.match(source) or source.startswith(BUREAU_SETTING_PREFIX), source
    # No English shorthand (GPL, IR, MOF Order, Art) left to be quoted inside Chinese messages.
    assert not re.search(r"[A-Za-z]", source), source


def test_a_period_is_described_with_its_chinese_source():
    text = describe(legal_parameter("tender_bid_period_min"))
    assert text.startswith("20")
    assert text.endswith("（《中华人民共和国政府采购法》第三十五条）")


def test_the_tender_clarification_cutoff_cites_the_implementing_regulation():
    text = describe(legal_parameter("tender_clarification_cutoff"))
    assert "《中华人民共和国政府采购法实施条例》第三十一条" in text
    assert "IR" not in text


def test_the_migration_moves_rows_with_the_old_english_default_and_keeps_the_bureaus_own():
    old_default = LegalParameter.objects.create(
        key="tender_bid_period_min",
        value=Decimal("20"),
        unit="calendar_days",
        label="等标期",
        source="GPL Art 35",
        effective_from=dt.date(2024, 1, 1),
    )
    own = LegalParameter.objects.create(
        key="price_weight_goods_min",
        value=Decimal("40"),
        unit="percent",
        label="货物价格分值下限",
        source="豫财购〔2024〕1号",
        effective_from=dt.date(2024, 1, 1),
    )
    other_keys_text = LegalParameter.objects.create(
        # The old text of another key's default is not this key's default: left alone.
        key="price_weight_services_min",
        value=Decimal("10"),
        unit="percent",
        label="服务价格分值下限",
        source="GPL Art 35",
        effective_from=dt.date(2024, 1, 1),
    )
    MIGRATION.to_chinese(apps, None)
    old_default.refresh_from_db()
    own.refresh_from_db()
    other_keys_text.refresh_from_db()
    assert old_default.source == "《中华人民共和国政府采购法》第三十五条"
    assert own.source == "豫财购〔2024〕1号"
    assert other_keys_text.source == "GPL Art 35"
    # The row now in force is quoted as saved.
    assert legal_parameter("tender_bid_period_min").source == old_default.source

    MIGRATION.to_english(apps, None)
    old_default.refresh_from_db()
    assert old_default.source == "GPL Art 35"


def test_the_migration_knows_every_changed_default():
    # A default may cite more since (the 15-day rule is also O87 Art 27), never something else.
    for key, (old, new) in MIGRATION.SOURCES.items():
        assert DEFAULTS[key].source.startswith(new), key
        assert old != new


def test_the_bureaus_admin_offers_the_keys_with_their_chinese_sources(client, cast):
    client.force_login(cast.bureau)
    page = client.get(reverse("admin:procurement_legalparameter_add")).content.decode()
    assert "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条" in page
    assert "MOF Order" not in page and "GPL Art" not in page
