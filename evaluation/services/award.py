"""The result (定标) in one working day: the purchaser confirms, the notices go out.

1. The purchaser confirms the first-ranked candidate, or records for each candidate above the
   one it takes the lawful reason it is not chosen (O87 Art 68: "按照评标报告中推荐的中标候选人
   顺序确定中标人"), and takes the next.
2. Five working days after the report without a decision or a reason, rank 1 is deemed chosen
   (O87 Art 68): the due action of the "evaluation.result_decision" clock.
3. On the decision: the lot is evaluated and awarded, the result announcement (O87 Art 69,
   RULES.md E-2) is published with its one working day, the award notice (中标通知书) goes to the
   winner as a PDF, and every other bidder is told its own score and rank, or why it was out
   (E-3). Nobody sees another bidder's scores.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.selectors import is_member
from audit.services import record_event
from bidding.models import Bid
from common.errors import DomainError, InvalidTransition, PermissionDenied
from experts.models import MemberKind
from notifications.services import close_notifications, notify_organisation
from procurement.parameters import legal_parameter
from procurement.services.announcements import publish_result_announcement
from suppliers.sme import declaration_text, is_sme, items_from_data
from timers.services import meet_clock
from workdays.calendar import period_end

from ..models import Award, Evaluation, EvaluationState
from .report import (
    DECISION_CLOCK,
    REPORT_SUBMITTED,
    RESULT_CLOCK,
    _locked,
    is_self_selected,
    money,
    seated_members,
    staff_organisations,
    transition,
)

if TYPE_CHECKING:
    from accounts.models import User
    from procurement.models import Lot

AWARD_NOTICE = "evaluation.award_notice"
RESULT_PUBLISHED = "evaluation.result_published"
RESULT_DECIDED = "evaluation.result_decided"
AWARD_NOTICE_USE = "evaluation.award_notice"

NOT_PURCHASER = gettext_lazy("Only the purchaser confirms the result (O87 Art 68).")
NOT_REPORTED = gettext_lazy("The result is confirmed once the report is submitted, and only once.")
PASS_OVER_IN_ORDER = gettext_lazy(
    "The winner is chosen in the order of the ranking: give the reason for every candidate "
    "ranked above the one you take, and for none below it."
)
PASS_OVER_NEEDS_REASON = gettext_lazy(
    "Give the lawful reason for not choosing %(name)s (O87 Art 68)."
)
NO_CANDIDATE_LEFT = gettext_lazy("No candidate is left to choose.")


def candidates(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The ranked bids of the report, best first."""
    rows = {row["bid"]: row for row in evaluation.report.get("bids", [])}
    return [rows[key] for key in evaluation.report.get("ranking", [])]


def is_purchaser_staff(user: User, lot: Lot) -> bool:
    return is_member(user, lot.project.purchaser_id)


def confirm_result(
    *, evaluation: Evaluation, acting_user: User, passed_over: dict[str, str] | None = None
) -> Award:
    """The purchaser takes the first candidate not passed over; each one passed over has its
    lawful reason (O87 Art 68), and they are the candidates ranked above the one taken."""
    passed_over = {k: v.strip() for k, v in (passed_over or {}).items()}
    now = timezone.now()
    with transaction.atomic():
        evaluation, lot = _locked(evaluation)
        if not is_purchaser_staff(acting_user, lot):
            raise PermissionDenied(NOT_PURCHASER, code="not_purchaser")
        if evaluation.state != EvaluationState.REPORTED:
            raise InvalidTransition(NOT_REPORTED, code="state")
        ranked = candidates(evaluation)
        keys = [row["bid"] for row in ranked]
        if list(passed_over) != keys[: len(passed_over)]:
            raise DomainError(PASS_OVER_IN_ORDER, code="order")
        for row in ranked[: len(passed_over)]:
            if not passed_over[row["bid"]]:
                raise DomainError(PASS_OVER_NEEDS_REASON % {"name": row["supplier"]}, code="reason")
        if len(passed_over) >= len(ranked):
            raise DomainError(NO_CANDIDATE_LEFT, code="none_left")
        passed = [
            {"bid": row["bid"], "supplier": row["supplier"], "rank": row["rank"], "reason": r}
            for row, r in zip(ranked, passed_over.values(), strict=False)
        ]
        return _decide(
            evaluation,
            lot,
            ranked[len(passed)],
            passed=passed,
            deemed=False,
            by=acting_user,
            at=now,
        )


def deem_rank_one_chosen(clock) -> None:
    """Due action of "evaluation.result_decision": five working days passed (O87 Art 68)."""
    evaluation = Evaluation.objects.filter(pk=clock.subject_id).first()
    if evaluation is None:
        return
    evaluation, lot = _locked(evaluation)
    if evaluation.state != EvaluationState.REPORTED:
        return  # decided in time, or failed: nothing to deem
    ranked = candidates(evaluation)
    if not ranked:
        return
    _decide(
        evaluation,
        lot,
        ranked[0],
        passed=[],
        deemed=True,
        by=None,
        at=max(timezone.now(), clock.due),
    )


def _decide(
    evaluation: Evaluation,
    lot: Lot,
    row: dict[str, Any],
    *,
    passed: list[dict[str, Any]],
    deemed: bool,
    by: User | None,
    at: dt.datetime,
) -> Award:
    """The decision and everything it sets off (caller holds the locks)."""
    bid = Bid.objects.select_related("supplier").get(lot=lot, uuid=row["bid"])
    refusal = InvalidTransition(NOT_REPORTED, code="state")
    reason = gettext_noop("rank 1 deemed chosen") if deemed else gettext_noop("result confirmed")
    transition(evaluation, evaluation.decide, acting_user=by, reason=reason, refusal=refusal)
    transition(lot, lot.finish_evaluation, acting_user=by, reason=reason, refusal=refusal)
    transition(lot, lot.mark_awarded, acting_user=by, reason=reason, refusal=refusal)
    assert bid.price is not None  # a ranked bid was decrypted with its price
    award = Award(
        lot=lot,
        evaluation=evaluation,
        bid=bid,
        rank=row["rank"],
        price=bid.price,
        decided_at=at,
        decided_by=by,
        deemed=deemed,
        passed_over=passed,
        notice_issued_at=at,
    )
    award._history_user = by
    award._change_reason = reason
    award.save()
    announcement = publish_result_announcement(
        lot=lot, result=result_data(evaluation, lot, award, at=at), acting_user=by, at=at
    )
    award.announcement = announcement
    award.save()
    meet_clock(subject=evaluation, kind=RESULT_CLOCK, at=at)
    meet_clock(subject=evaluation, kind=DECISION_CLOCK, at=at)
    close_notifications(kinds=[REPORT_SUBMITTED], subject=evaluation, at=at)
    record_event(
        action="evaluation.award.deemed" if deemed else "evaluation.award.confirmed",
        actor=by,
        organisation=lot.project.purchaser,
        subject=award,
        data={
            "lot": lot.pk,
            "bid": str(bid.uuid),
            "supplier": bid.supplier.name,
            "rank": award.rank,
            "price": award.price,
            "passed_over": passed,
            "announcement": announcement.pk,
        },
    )
    _tell_everyone(evaluation, lot, award)
    from ..tasks import render_award_notice_pdf_task

    render_award_notice_pdf_task.delay_on_commit(award.pk)
    return award


def _tell_everyone(evaluation: Evaluation, lot: Lot, award: Award) -> None:
    """The winner its notice; each other bidder its own result (E-3); the staff the decision."""
    winner = award.bid.supplier
    notify_organisation(
        organisation=winner,
        kind=AWARD_NOTICE,
        event=f"{AWARD_NOTICE}:{award.pk}",
        context={
            "lot": str(lot),
            "price": money(award.price),
            "url": reverse("evaluation:award_notice", args=[award.pk]),
        },
        subject=award,
    )
    for row in evaluation.report.get("bids", []):
        if row["supplier_id"] == winner.pk:
            continue
        organisation = Bid.objects.select_related("supplier").get(uuid=row["bid"]).supplier
        notify_organisation(
            organisation=organisation,
            kind=RESULT_PUBLISHED,
            event=f"{RESULT_PUBLISHED}:{award.pk}",
            context={
                "lot": str(lot),
                "rank": row["rank"],
                "total": row["total"],
                "reasons": row["reasons"],
                "url": reverse("evaluation:my_result", args=[row["bid"]]),
            },
            subject=award,
        )
    for organisation in staff_organisations(lot):
        notify_organisation(
            organisation=organisation,
            kind=RESULT_DECIDED,
            event=f"{RESULT_DECIDED}:{award.pk}",
            context={
                "lot": str(lot),
                "winner": winner.name,
                "price": money(award.price),
                "deemed": award.deemed,
                "url": reverse("evaluation:report", args=[evaluation.pk]),
            },
            subject=award,
        )


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def result_data(evaluation: Evaluation, lot: Lot, award: Award, *, at: dt.datetime) -> dict:
    """The content of the result announcement that evaluation knows (RULES.md E-2)."""
    bid = award.bid
    supplier = bid.supplier
    items = items_from_data(bid.sme_items or [])
    period = legal_parameter("result_notice_period")
    project = lot.project
    sme: dict[str, Any] | None = None
    if is_sme(items):
        # D46 Art 13: the winner's SME declaration is published with the result.
        with translation.override(settings.LANGUAGE_CODE):
            text = declaration_text(
                supplier_name=supplier.name,
                purchaser_name=project.purchaser.name,
                project_name=project.name,
                items=items,
                date_text=timezone.localdate(bid.received_at or at).isoformat(),
                kind=lot.kind,
            )
        sme = {"lines": [i.as_dict() for i in items], "text": text}
    return {
        "winner": {
            "name": supplier.name,
            "uscc": supplier.uscc,
            "address": supplier.address,
            "contact_phone": supplier.contact_phone,
            "amount": money(award.price),
        },
        # The main items: what the winner declared it supplies, under the lot's name.
        "items": [
            {
                "name": lot.name,
                "detail": "、".join(sorted({i.item for i in items})),
                "kind": lot.kind,
            }
        ],
        "evaluation_method": lot.evaluation_method,
        "decided_at": _iso(at),
        "deemed": award.deemed,
        "period": {
            "days": period.days,
            "ends": _iso(period_end(at, period.days, working=True)),
            "source": period.source,
        },
        # D198 Art 20: the committee's names, self-selected experts flagged; public from now on.
        "committee": [
            {
                "name": m.user.full_name or m.user.get_username(),
                "kind": m.kind,
                "purchaser_rep": m.kind == MemberKind.PURCHASER_REP,
                "leader": m.is_leader,
                "self_selected": is_self_selected(m),
            }
            for m in seated_members(lot)
        ],
        "sme_declaration": sme,
    }


# --------------------------------------------------------------------------------------------
# The award notice PDF (rendered after commit)


def render_award_notice_pdf(*, award_id: int) -> Award | None:
    """Render the award notice (中标通知书) once and keep it on the award; idempotent."""
    from documents.pdf import render_pdf
    from documents.services import store_bytes

    award = Award.objects.select_related(
        "lot", "lot__project", "lot__project__purchaser", "lot__project__agency", "bid__supplier"
    ).get(pk=award_id)
    if award.notice_pdf_id:
        return award
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            template_name="evaluation/pdf/award_notice.html",
            context=award_notice_context(award),
        )
    stored = store_bytes(content=content, name=f"award-notice-{award.pk}.pdf", use=AWARD_NOTICE_USE)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award_id)
        if locked.notice_pdf_id:
            return locked
        locked.notice_pdf = stored
        locked._change_reason = gettext_noop("award notice rendered")
        locked.save()
    return locked


def award_notice_context(award: Award) -> dict[str, Any]:
    lot = award.lot
    project = lot.project
    return {
        "award": award,
        "lot": lot,
        "project": project,
        "supplier": award.bid.supplier,
        "purchaser": project.purchaser,
        "agency": project.agency,
        "price": money(award.price),
        "issued_at": timezone.localtime(award.notice_issued_at or award.decided_at),
    }
