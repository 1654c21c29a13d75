"""The signing clock (issue 12 §4; RULES.md §17 "采购合同一日签") and the legal limit beside it.

1. `contracts.signing`: started when the award notice is issued, due at 24:00 of the first
   working day after (timers.one_working_day_due), the purchaser responsible; reminders and
   escalation to the bureau when breached; met when both parties have signed.
2. `contracts.signing_limit`: GPL Art 46, "自中标、成交通知书发出之日起三十日内" (parameter
   contract_sign_max, 30 calendar days, the last day moved past a holiday, RULES.md §2); met
   with the first.
"""

from __future__ import annotations

import datetime as dt

from procurement.legal import period_from
from procurement.parameters import legal_parameter
from timers.registry import one_working_day_due
from timers.services import meet_clock, start_clock

SIGNING = "contracts.signing"
SIGNING_LIMIT = "contracts.signing_limit"


def signing_due(notice_issued_at: dt.datetime) -> dt.datetime:
    return one_working_day_due(notice_issued_at)


def signing_limit(notice_issued_at: dt.datetime) -> dt.datetime:
    return period_from(notice_issued_at, legal_parameter("contract_sign_max"))


def start_signing_clocks(award) -> None:
    """Both clocks of an award whose notice is issued (idempotent: a second call is a no-op)."""
    from ..models import Contract

    issued = award.notice_issued_at
    if issued is None or Contract.objects.filter(award=award, signed_at__isnull=False).exists():
        return
    purchaser = award.lot.project.purchaser
    start_clock(
        subject=award, kind=SIGNING, due=signing_due(issued), responsible=purchaser, started=issued
    )
    start_clock(
        subject=award,
        kind=SIGNING_LIMIT,
        due=signing_limit(issued),
        responsible=purchaser,
        started=issued,
    )


def meet_signing_clocks(contract, *, at: dt.datetime) -> None:
    meet_clock(subject=contract.award, kind=SIGNING, at=at)
    meet_clock(subject=contract.award, kind=SIGNING_LIMIT, at=at)


def award_saved(sender, instance, **kwargs) -> None:
    """post_save of evaluation.Award (a lower layer): its notice issued starts the clocks."""
    if instance.notice_issued_at is not None and not kwargs.get("raw"):
        start_signing_clocks(instance)
