"""The 832 reserve ratios (RULES.md §18.1), added to the parameter store for the bureau's admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from procurement.parameters import DEFAULTS, PERCENT, _p

NOTICE_832 = "财政部关于做好政府采购脱贫地区农副产品工作的年度通知（财库〔2021〕20号等）"

POLICY_PARAMETERS = [
    # RULES.md §18.1 [V]: at least 10 % of the annual canteen food-purchase total (15 % encouraged).
    _p(
        "farm_832_reserve",
        "10",
        PERCENT,
        _("832 reserve: share of the canteen's annual food budget"),
        NOTICE_832,
        "2021-01-01",
    ),
    # RULES.md §18.1 [L] (亳州 2025): a unit without a canteen reserves 20 % of its union funds.
    _p(
        "farm_832_union_reserve",
        "20",
        PERCENT,
        _("832 reserve without a canteen: share of the union funds"),
        "本市财政局设定（参照亳州市2025年做法：无食堂单位按工会经费20%预留）",
        "2021-01-01",
    ),
]


def register_parameters() -> None:
    for parameter in POLICY_PARAMETERS:
        DEFAULTS.setdefault(parameter.key, parameter)
