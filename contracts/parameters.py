"""The contract stage's legal numbers and bureau settings (RULES.md §8, §18), added to the one
parameter store (procurement.parameters) so the bureau overrides them in the admin like the rest.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from procurement.parameters import CALENDAR, DEFAULTS, PERCENT, WORKING, _p

GPL = "《中华人民共和国政府采购法》"
IR = "《中华人民共和国政府采购法实施条例》"
# RULES.md §8.1 (F-9): no national minimum; 财库〔2022〕19号 asks purchasers to raise advance
# payments for SMEs, so the share is the bureau's setting (临沂: at least 30 %).
ADVANCE_SOURCE = "本市财政局设定（《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）：提高预付款比例）"

CONTRACT_PARAMETERS = [
    # GPL Art 46: "在中标、成交通知书发出之日起三十日内……签订政府采购合同".
    _p(
        "contract_sign_max",
        "30",
        CALENDAR,
        _("Contract signed within this many days of the award notice"),
        f"{GPL}第四十六条",
        "2003-01-01",
    ),
    # IR Art 50: "自政府采购合同签订之日起2个工作日内……公告".
    _p(
        "contract_publish",
        "2",
        WORKING,
        _("Contract announced within this many working days of signing"),
        f"{IR}第五十条",
        "2015-03-01",
    ),
    # GPL Art 47: "自签订之日起七个工作日内……报……备案".
    _p(
        "contract_filing",
        "7",
        WORKING,
        _("Contract copy filed with the bureau within this many working days of signing"),
        f"{GPL}第四十七条",
        "2003-01-01",
    ),
    # GPL Art 49: "所有补充合同的采购金额不得超过原合同采购金额的百分之十".
    _p(
        "add_on_purchase_max",
        "10",
        PERCENT,
        _("Supplementary contracts together: at most this share of the original amount"),
        f"{GPL}第四十九条",
        "2003-01-01",
    ),
    # The bureau's default, a floor and a ceiling for the share each project sets (§8.1).
    _p(
        "advance_payment_default",
        "30",
        PERCENT,
        _("Advance payment: the bureau's default share of the contract amount"),
        ADVANCE_SOURCE,
        "2020-01-01",
    ),
    _p(
        "advance_payment_min",
        "0",
        PERCENT,
        _("Advance payment: the lowest share a project may set"),
        ADVANCE_SOURCE,
        "2020-01-01",
    ),
    _p(
        "advance_payment_max",
        "100",
        PERCENT,
        _("Advance payment: the highest share a project may set"),
        ADVANCE_SOURCE,
        "2020-01-01",
    ),
]


def register_parameters() -> None:
    """Add the contract parameters to the store (idempotent; a key owned elsewhere wins)."""
    for parameter in CONTRACT_PARAMETERS:
        DEFAULTS.setdefault(parameter.key, parameter)
