"""The financing stage's local numbers (RULES.md §8.2 "Service levels", marked [L]), added to the
one parameter store (procurement.parameters) so the bureau overrides them in the admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from procurement.parameters import DEFAULTS, WORKING, _p

# RULES.md §8.2 [L]: 湖北 "first online application approved and disbursed within 5 working days
# in principle"; 重庆 2016: 5 working days to approve + 5 to disburse. Local practice, not law.
LOCAL_SOURCE = (
    "本市财政局设定（参照重庆市、湖北省政府采购合同融资：5个工作日内审批、5个工作日内放款）"
)

FINANCING_PARAMETERS = [
    _p(
        "financing_review_days",
        "5",
        WORKING,
        _("Financing: the bank decides an application within this many working days"),
        LOCAL_SOURCE,
        "2020-01-01",
    ),
    _p(
        "financing_disburse_days",
        "5",
        WORKING,
        _("Financing: the bank disburses within this many working days of approval"),
        LOCAL_SOURCE,
        "2020-01-01",
    ),
]


def register_parameters() -> None:
    for parameter in FINANCING_PARAMETERS:
        DEFAULTS.setdefault(parameter.key, parameter)
