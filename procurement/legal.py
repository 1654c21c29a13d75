"""The legal periods of this app, each computed with the period rule of `workdays`.

A minimum period of n days that starts at a moment S ends at `period_end(S, n)`: the start day
is not counted, a last day that is a holiday rolls to the next working day, and the last day
ends at 24:00 (RULES.md R-T1, R-T2, R-T4). The later act (the announcement after an intention,
the bid deadline after the documents are issued) may happen from that moment on. This is the
strict reading: it never lets a period run a few hours short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from workdays.calendar import period_end

from .models import MethodGround, ProcurementKind, ProcurementMethod
from .parameters import Parameter, legal_parameter

# Keyed by the stored method value (a plain str from the database or a form).
BID_PERIOD_KEYS: dict[str, str] = {
    ProcurementMethod.PUBLIC_TENDER: "tender_bid_period_min",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "consultation_response_min",
    ProcurementMethod.COMPETITIVE_NEGOTIATION: "negotiation_response_min",
    ProcurementMethod.REQUEST_FOR_QUOTATION: "inquiry_response_min",
}
CLARIFICATION_KEYS: dict[str, str] = {
    ProcurementMethod.PUBLIC_TENDER: "tender_clarification_cutoff",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "consultation_clarification_cutoff",
    ProcurementMethod.COMPETITIVE_NEGOTIATION: "nontender_clarification_cutoff",
    ProcurementMethod.REQUEST_FOR_QUOTATION: "nontender_clarification_cutoff",
}


def format_moment(moment: dt.datetime) -> str:
    """A moment as people read it here: Beijing time, 2026-05-22 00:00."""
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def format_day(day: dt.date) -> str:
    return formats.date_format(day, "Y-m-d")


def describe(parameter: Parameter) -> str:
    """The period with its source: 20 calendar days (《中华人民共和国政府采购法》第三十五条)."""
    if parameter.working:
        amount = _("%(n)s working days") % {"n": parameter.days}
    else:
        amount = _("%(n)s calendar days") % {"n": parameter.days}
    return _("%(amount)s (%(source)s)") % {"amount": amount, "source": parameter.source}


def period_from(start: dt.datetime, parameter: Parameter) -> dt.datetime:
    return period_end(start, parameter.days, working=parameter.working)


# --------------------------------------------------------------------------------------------
# Intention → announcement (财库〔2020〕10号)


def first_announcement_moment(intention_published_at: dt.datetime) -> dt.datetime:
    """The first moment an announcement may follow an intention published at that moment."""
    return period_from(intention_published_at, legal_parameter("intention_min_lead"))


def announcement_not_before(
    *, now: dt.datetime, intention_published_at: dt.datetime | None
) -> dt.datetime:
    """The earliest moment an announcement (and so the issue of the tender documents) can go out:
    now, or later while the intention's 30 days run. None: no intention counts (exempt)."""
    if intention_published_at is None:
        return now
    return max(now, first_announcement_moment(intention_published_at))


def early_announcement_message(intention_published_at: dt.datetime) -> str:
    parameter = legal_parameter("intention_min_lead")
    allowed = first_announcement_moment(intention_published_at)
    return _(
        "The procurement intention was published on %(published)s; an announcement may follow "
        "only after %(period)s, that is from %(allowed)s on."
    ) % {
        "published": format_moment(intention_published_at),
        "period": describe(parameter),
        "allowed": format_moment(allowed),
    }


# --------------------------------------------------------------------------------------------
# Bid period (GPL Art 35, D214 Art 10, O74 Arts 29 and 45)


@dataclass(frozen=True)
class PeriodCheck:
    earliest: dt.datetime | None
    message: str


def earliest_bid_deadline(*, method: str, issued_at: dt.datetime) -> dt.datetime | None:
    """The earliest bid deadline for documents issued at `issued_at`; None: no legal minimum."""
    key = BID_PERIOD_KEYS.get(method)
    if key is None:
        return None
    return period_from(issued_at, legal_parameter(key))


def bid_period_parameter(method: str) -> Parameter | None:
    key = BID_PERIOD_KEYS.get(method)
    return legal_parameter(key) if key else None


def check_bid_deadline(
    *, method: str, issued_at: dt.datetime, deadline: dt.datetime
) -> PeriodCheck | None:
    """None if the deadline leaves the legal minimum bid period; else the refusal message."""
    key = BID_PERIOD_KEYS.get(method)
    if key is None:
        return None
    parameter = legal_parameter(key)
    earliest = period_from(issued_at, parameter)
    if deadline >= earliest:
        return None
    message = _(
        "Bid period too short (%(method)s): at least %(period)s from the issue of the tender "
        "documents (%(issued)s); the earliest allowed bid deadline is %(earliest)s."
    ) % {
        "method": ProcurementMethod(method).label,
        "period": describe(parameter),
        "issued": format_moment(issued_at),
        "earliest": format_moment(earliest),
    }
    return PeriodCheck(earliest, message)


# --------------------------------------------------------------------------------------------
# Clarifications and corrections close to the deadline (IR Art 31, D214 Art 10)


def clarification_parameter(method: str) -> Parameter | None:
    key = CLARIFICATION_KEYS.get(method)
    return legal_parameter(key) if key else None


def deadline_must_move(
    *, method: str, deadline: dt.datetime, at: dt.datetime
) -> dt.datetime | None:
    """If a change at `at` is too close to `deadline`, the earliest deadline it must move to."""
    parameter = clarification_parameter(method)
    if parameter is None:
        return None
    earliest = period_from(at, parameter)
    return earliest if deadline < earliest else None


# --------------------------------------------------------------------------------------------
# Price weight, SME deduction and reservation (O87 Art 55, D214 Art 24, D19, D46 Arts 7–9)


def price_weight_range(*, method: str, kind: str) -> tuple[Decimal, Decimal, str] | None:
    """(minimum, maximum, source) of the price weight, or None when no legal range applies."""
    kind_key = "goods" if kind == ProcurementKind.GOODS else "services"
    if kind == ProcurementKind.WORKS:
        return None
    if method == ProcurementMethod.PUBLIC_TENDER:
        low = legal_parameter(f"price_weight_{kind_key}_min")
        return low.value, Decimal("100"), low.source
    if method == ProcurementMethod.COMPETITIVE_CONSULTATION:
        low = legal_parameter(f"consultation_price_weight_{kind_key}_min")
        high = legal_parameter(f"consultation_price_weight_{kind_key}_max")
        return low.value, high.value, low.source
    return None


def sme_deduction_range(kind: str) -> tuple[Decimal, Decimal, str]:
    prefix = "works" if kind == ProcurementKind.WORKS else "goods_services"
    low = legal_parameter(f"smallmicro_deduction_{prefix}_min")
    high = legal_parameter(f"smallmicro_deduction_{prefix}_max")
    return low.value, high.value, low.source


def sme_threshold(kind: str) -> Parameter:
    if kind == ProcurementKind.WORKS:
        return legal_parameter("sme_reserve_full_below_works")
    return legal_parameter("sme_reserve_full_below_goods_services")


# --------------------------------------------------------------------------------------------
# Methods other than public tender (GPL Arts 26–31)


def public_tender_threshold(kind: str) -> Parameter | None:
    """The public-tender threshold for `kind`; None for works, which follow the Bidding Law's
    own thresholds (RULES.md A-7), not this one."""
    if kind == ProcurementKind.WORKS:
        return None
    return legal_parameter("public_tender_threshold_goods_services")


def needs_method_approval(*, method: str, kind: str, budget: Decimal) -> bool:
    """At or above the threshold ("以上" includes it, R-T1) another method needs the bureau's
    prior approval (GPL Art 27)."""
    threshold = public_tender_threshold(kind)
    return (
        method != ProcurementMethod.PUBLIC_TENDER
        and threshold is not None
        and budget >= threshold.value
    )


def follow_on_maximum(original_amount: Decimal) -> tuple[Decimal, Parameter]:
    """The largest follow-on single-source budget for an original contract (GPL Art 31(3)).

    Rounded down to the fen, so the amount shown is itself allowed ("不超过" includes it).
    """
    share = legal_parameter("single_source_follow_on_max")
    maximum = (original_amount * share.value / 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return maximum, share


# --------------------------------------------------------------------------------------------
# Single source because only one supplier can provide it (IR Art 38; O74 Arts 38–40)


def needs_single_source_notice(*, method: str, ground: str, kind: str, budget: Decimal) -> bool:
    """Single source on GPL Art 31(1) at or above the public tender threshold is published for
    public comment before the bureau approves it (IR Art 38; O74 Art 38)."""
    return (
        method == ProcurementMethod.SINGLE_SOURCE
        and ground == MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER
        and needs_method_approval(method=method, kind=kind, budget=budget)
    )


def single_source_notice_end(published_at: dt.datetime) -> dt.datetime:
    """When the notice period ends: the public acts within it, so the publication day is not
    counted and it ends at 24:00 of the n-th working day after (R-T1, R-T3, R-T4)."""
    return period_from(published_at, legal_parameter("single_source_notice_min"))


def single_source_review_due(notice_end: dt.datetime) -> dt.datetime:
    """When the review of objections is due: within n working days after the notice period
    expires (公示期满后5个工作日内, O74 Art 40). The period starts on the notice's last day (the
    day it expires, at its 24:00), which is not counted."""
    last_moment_of_notice = notice_end - dt.timedelta(microseconds=1)
    return period_from(last_moment_of_notice, legal_parameter("single_source_review_max"))
