"""The legal periods and intervals of this app, each computed by `workdays` (RULES.md §2).

Two shapes, both counted from the day after the start with a last day that is not a working
day moved to the next one (《政府采购货物和服务招标投标管理办法》（财政部令第87号）第八十五条):

1. A minimum interval between two acts — "从A之日起至B之日止不得少于N日" (the bid period,
   GPL Art 35), "B前至少N日" (a change before the bid deadline, IR Art 31), "不得晚于B前N日"
   (the intention before the announcement, 财库〔2020〕10号). The later act may fall on the
   last day ("不少于" includes the number, O87 Art 86): `interval_from` gives 00:00 of that day,
   and B is allowed from it on (RULES.md R-T6).
2. A period that must run, or within which someone acts — the announcement period (O87
   Art 16), the period the tender documents are provided (IR Art 31, O87 Art 18): it ends at
   24:00 of its last day, `period_from`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from workdays.calendar import earliest_after_interval, period_end

from .models import MethodGround, ProcurementKind, ProcurementMethod
from .parameters import Parameter, legal_parameter

# Keyed by the stored method value (a plain str from the database or a form).
# The minimum intervals from the issue of the documents to the bid (response) deadline; where a
# method has two, the deadline keeps both (竞争性磋商: 10 days, and the documents on sale for at
# least 5 working days, 财库〔2014〕214号 Art 10; RULES.md R-T6).
BID_PERIOD_KEYS: dict[str, tuple[str, ...]] = {
    ProcurementMethod.PUBLIC_TENDER: ("tender_bid_period_min",),
    ProcurementMethod.COMPETITIVE_CONSULTATION: (
        "consultation_response_min",
        "consultation_docs_sale_min",
    ),
    ProcurementMethod.COMPETITIVE_NEGOTIATION: ("negotiation_response_min",),
    ProcurementMethod.REQUEST_FOR_QUOTATION: ("inquiry_response_min",),
}
# The announcement period (公告期限) of the notice that starts the procurement.
NOTICE_PERIOD_KEYS: dict[str, str] = {
    ProcurementMethod.PUBLIC_TENDER: "tender_notice_period",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "nontender_notice_period",
    ProcurementMethod.COMPETITIVE_NEGOTIATION: "nontender_notice_period",
    ProcurementMethod.REQUEST_FOR_QUOTATION: "nontender_notice_period",
}
# The shortest period the documents are provided (提供期限 / 发售期限) from their issue.
PROVISION_KEYS: dict[str, str] = {
    ProcurementMethod.PUBLIC_TENDER: "tender_docs_availability_min",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "consultation_docs_sale_min",
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


def describe_all(parameters: list[Parameter]) -> str:
    """Several minimums that all hold: "10 calendar days (…) and 5 working days (…)"."""
    text = describe(parameters[0])
    for parameter in parameters[1:]:
        text = _("%(first)s and %(second)s") % {"first": text, "second": describe(parameter)}
    return text


def interval_from(start: dt.datetime, parameter: Parameter) -> dt.datetime:
    """The first moment a later act may follow an act at `start` (a minimum interval)."""
    return earliest_after_interval(start, parameter.days, working=parameter.working)


def period_from(start: dt.datetime, parameter: Parameter) -> dt.datetime:
    """When a period that starts at `start` ends (24:00 of its last day)."""
    return period_end(start, parameter.days, working=parameter.working)


# --------------------------------------------------------------------------------------------
# Intention → announcement (财库〔2020〕10号)


def first_announcement_moment(intention_published_at: dt.datetime) -> dt.datetime:
    """The first moment an announcement may follow an intention published at that moment:
    "不得晚于采购活动开始前30日" is a minimum interval, so the announcement may go out on the
    30th day (an intention published on 3月2日 allows the announcement on 4月1日)."""
    return interval_from(intention_published_at, legal_parameter("intention_min_lead"))


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


def bid_period_parameters(method: str) -> list[Parameter]:
    """The minimum intervals the bid deadline keeps from the issue of the documents."""
    return [legal_parameter(key) for key in BID_PERIOD_KEYS.get(method, ())]


def earliest_bid_deadline(*, method: str, issued_at: dt.datetime) -> dt.datetime | None:
    """The earliest bid deadline for documents issued at `issued_at`: the later of the method's
    minimums, each a minimum interval; None: no legal minimum (single source)."""
    parameters = bid_period_parameters(method)
    if not parameters:
        return None
    return max(interval_from(issued_at, parameter) for parameter in parameters)


def check_bid_deadline(
    *, method: str, issued_at: dt.datetime, deadline: dt.datetime
) -> PeriodCheck | None:
    """None if the deadline keeps the legal minimum bid period; else the refusal message."""
    earliest = earliest_bid_deadline(method=method, issued_at=issued_at)
    if earliest is None or deadline >= earliest:
        return None
    message = _(
        "Bid period too short (%(method)s): at least %(period)s from the issue of the tender "
        "documents (%(issued)s); the earliest allowed bid deadline is %(earliest)s."
    ) % {
        "method": ProcurementMethod(method).label,
        "period": describe_all(bid_period_parameters(method)),
        "issued": format_moment(issued_at),
        "earliest": format_moment(earliest),
    }
    return PeriodCheck(earliest, message)


# --------------------------------------------------------------------------------------------
# The announcement period and the period the documents are provided (O87 Arts 16 and 18,
# IR Art 31, 财库〔2014〕214号 Art 10)


def notice_period_parameter(method: str) -> Parameter | None:
    key = NOTICE_PERIOD_KEYS.get(method)
    return legal_parameter(key) if key else None


def provision_parameter(method: str) -> Parameter | None:
    key = PROVISION_KEYS.get(method)
    return legal_parameter(key) if key else None


def notice_period_end(*, method: str, published_at: dt.datetime) -> dt.datetime | None:
    """When the announcement period of a notice published at `published_at` ends."""
    parameter = notice_period_parameter(method)
    return period_from(published_at, parameter) if parameter else None


def documents_provided_until(
    *, method: str, issued_at: dt.datetime, deadline: dt.datetime
) -> dt.datetime:
    """Until when the documents are provided: the method's shortest provision period, and never
    past the bid deadline, which ends any provision (a method with no minimum provides them
    until the deadline)."""
    parameter = provision_parameter(method)
    if parameter is None:
        return deadline
    return min(period_from(issued_at, parameter), deadline)


# --------------------------------------------------------------------------------------------
# Clarifications and corrections close to the deadline (IR Art 31, D214 Art 10)


def clarification_parameter(method: str) -> Parameter | None:
    key = CLARIFICATION_KEYS.get(method)
    return legal_parameter(key) if key else None


def deadline_must_move(
    *, method: str, deadline: dt.datetime, at: dt.datetime
) -> dt.datetime | None:
    """If a change at `at` is too close to `deadline`, the earliest deadline it must move to.

    "在投标截止时间至少15日前" is a minimum interval: a change published on 3月2日 is in time for
    a deadline on 3月17日 (IR Art 31; RULES.md R-T6).
    """
    parameter = clarification_parameter(method)
    if parameter is None:
        return None
    earliest = interval_from(at, parameter)
    return earliest if deadline < earliest else None


# --------------------------------------------------------------------------------------------
# Too few bids (废标 / 终止)

# The rule under which a lot with too few bids (or responses) fails, by method.
FAILURE_BASIS: dict[str, str] = {
    ProcurementMethod.PUBLIC_TENDER: (
        "《中华人民共和国政府采购法》第三十六条第一款第（一）项；"
        "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十一条第二款"
    ),
    ProcurementMethod.COMPETITIVE_NEGOTIATION: (
        "《政府采购非招标采购方式管理办法》（财政部令第74号）第三十七条第（三）项"
    ),
    ProcurementMethod.REQUEST_FOR_QUOTATION: (
        "《政府采购非招标采购方式管理办法》（财政部令第74号）第五十条第（三）项"
    ),
    ProcurementMethod.COMPETITIVE_CONSULTATION: (
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）"
    ),
}


def failure_basis(method: str) -> str:
    return FAILURE_BASIS.get(method, FAILURE_BASIS[ProcurementMethod.PUBLIC_TENDER])


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
