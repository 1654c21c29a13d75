"""Legal parameters: the RULES.md §18 values as defaults, overridable by the bureau in the admin.

Every number a rule of this app uses is looked up here by key. A LegalParameter row in force on
the given day (effective_from ≤ day < effective_to) overrides the default below, so the bureau
can follow a change in the law from its effective date without a release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LegalParameter, LegalParameterUnit

CALENDAR = LegalParameterUnit.CALENDAR_DAYS
WORKING = LegalParameterUnit.WORKING_DAYS
PERCENT = LegalParameterUnit.PERCENT
YUAN = LegalParameterUnit.YUAN
MINUTES = LegalParameterUnit.MINUTES


@dataclass(frozen=True)
class Parameter:
    key: str
    value: Decimal
    unit: str
    label: str
    source: str
    effective_from: dt.date

    @property
    def days(self) -> int:
        return int(self.value)

    @property
    def working(self) -> bool:
        return self.unit == WORKING


def _p(key: str, value: str, unit: str, label, source: str, since: str) -> Parameter:
    return Parameter(key, Decimal(value), unit, label, source, dt.date.fromisoformat(since))


# key, value, unit, label, source (regulation and article), effective from. RULES.md §18.
DEFAULTS: dict[str, Parameter] = {
    p.key: p
    for p in [
        _p(
            "intention_min_lead",
            "30",
            CALENDAR,
            _("Intention published before the procurement starts"),
            "财库〔2020〕10号",
            "2020-03-02",
        ),
        _p(
            "tender_bid_period_min",
            "20",
            CALENDAR,
            _("Public tender: documents issued to bid deadline"),
            "GPL Art 35",
            "2003-01-01",
        ),
        _p(
            "consultation_response_min",
            "10",
            CALENDAR,
            _("Competitive consultation: documents issued to response deadline"),
            "财库〔2014〕214号 Art 10",
            "2014-12-31",
        ),
        _p(
            "negotiation_response_min",
            "3",
            WORKING,
            _("Competitive negotiation: documents issued to response deadline"),
            "MOF Order 74 Art 29",
            "2014-02-01",
        ),
        _p(
            "inquiry_response_min",
            "3",
            WORKING,
            _("Request for quotation: documents issued to response deadline"),
            "MOF Order 74 Art 45",
            "2014-02-01",
        ),
        _p(
            "tender_clarification_cutoff",
            "15",
            CALENDAR,
            _("Public tender: clarification or amendment before the bid deadline"),
            "IR Art 31",
            "2015-03-01",
        ),
        _p(
            "consultation_clarification_cutoff",
            "5",
            CALENDAR,
            _("Competitive consultation: clarification before the response deadline"),
            "财库〔2014〕214号 Art 10",
            "2014-12-31",
        ),
        _p(
            "nontender_clarification_cutoff",
            "3",
            WORKING,
            _("Negotiation and quotation: clarification before the response deadline"),
            "MOF Order 74 Arts 29, 45",
            "2014-02-01",
        ),
        _p(
            "price_weight_goods_min",
            "30",
            PERCENT,
            _("Public tender, goods: minimum price weight"),
            "MOF Order 87 Art 55",
            "2017-10-01",
        ),
        _p(
            "price_weight_services_min",
            "10",
            PERCENT,
            _("Public tender, services: minimum price weight"),
            "MOF Order 87 Art 55",
            "2017-10-01",
        ),
        _p(
            "consultation_price_weight_goods_min",
            "30",
            PERCENT,
            _("Competitive consultation, goods: minimum price weight"),
            "财库〔2014〕214号 Art 24",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_goods_max",
            "60",
            PERCENT,
            _("Competitive consultation, goods: maximum price weight"),
            "财库〔2014〕214号 Art 24",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_services_min",
            "10",
            PERCENT,
            _("Competitive consultation, services: minimum price weight"),
            "财库〔2014〕214号 Art 24",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_services_max",
            "30",
            PERCENT,
            _("Competitive consultation, services: maximum price weight"),
            "财库〔2014〕214号 Art 24",
            "2014-12-31",
        ),
        _p(
            "sme_reserve_full_below_goods_services",
            "2000000",
            YUAN,
            _("Goods and services at or under this budget are reserved for SMEs"),
            "财库〔2020〕46号 Art 7",
            "2021-01-01",
        ),
        _p(
            "sme_reserve_full_below_works",
            "4000000",
            YUAN,
            _("Works at or under this budget are reserved for SMEs"),
            "财库〔2020〕46号 Art 7",
            "2021-01-01",
        ),
        _p(
            "sme_reserve_share_above",
            "30",
            PERCENT,
            _("Minimum share reserved for SMEs above the threshold"),
            "财库〔2020〕46号 Art 8; 财库〔2022〕19号",
            "2021-01-01",
        ),
        _p(
            "smallmicro_deduction_goods_services_min",
            "10",
            PERCENT,
            _("Small and micro price deduction, goods and services: minimum"),
            "财库〔2022〕19号",
            "2022-07-01",
        ),
        _p(
            "smallmicro_deduction_goods_services_max",
            "20",
            PERCENT,
            _("Small and micro price deduction, goods and services: maximum"),
            "财库〔2022〕19号",
            "2022-07-01",
        ),
        _p(
            "smallmicro_deduction_works_min",
            "3",
            PERCENT,
            _("Small and micro price deduction, works: minimum"),
            "财库〔2020〕46号 Art 9",
            "2021-01-01",
        ),
        _p(
            "smallmicro_deduction_works_max",
            "5",
            PERCENT,
            _("Small and micro price deduction, works: maximum"),
            "财库〔2020〕46号 Art 9",
            "2021-01-01",
        ),
        # RULES.md A-5/A-6 [L]: the national floor; the city's own figure is in the provincial
        # catalogue (集中采购目录及标准), so the bureau enters it here from its effective date.
        _p(
            "public_tender_threshold_goods_services",
            "2000000",
            YUAN,
            _(
                "Public tender threshold, goods and services: another method at or above it "
                "needs the bureau's prior approval (local figure: the provincial catalogue)"
            ),
            "GPL Art 27; 国办发〔2019〕55号; 财库〔2019〕69号",
            "2020-01-01",
        ),
        _p(
            "single_source_follow_on_max",
            "10",
            PERCENT,
            _("Single source follow-on purchase: at most this share of the original contract"),
            "GPL Art 31(3)",
            "2003-01-01",
        ),
        _p(
            "decryption_window_default",
            "30",
            MINUTES,
            _("Default decryption window at the online opening"),
            "电子招标投标办法 Arts 30–31 (practice 30–60 minutes)",
            "2013-05-01",
        ),
    ]
}


def legal_parameter(key: str, *, on: dt.date | None = None) -> Parameter:
    """The parameter in force on `on` (today by default): the bureau's row, else the default."""
    default = DEFAULTS[key]
    day = on or timezone.localdate()
    row = (
        LegalParameter.objects.filter(key=key, effective_from__lte=day)
        .exclude(effective_to__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return default
    return Parameter(
        key, row.value, row.unit or default.unit, row.label, row.source, row.effective_from
    )


def legal_value(key: str, *, on: dt.date | None = None) -> Decimal:
    return legal_parameter(key, on=on).value
