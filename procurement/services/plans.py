"""Implementation plans (政府采购实施计划, IR Art 29): drafted, submitted, filed or returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied
from notifications.services import notify_bureau, notify_organisation

from ..legal import sme_threshold
from ..models import (
    ImplementationPlan,
    IntentionStatus,
    PlanLot,
    PlanStatus,
    ProcurementIntention,
    ProcurementKind,
    SmeMode,
)
from ..parameters import legal_parameter
from ._base import refuse_if

NOT_A_PURCHASER = gettext_lazy("Only a purchaser's staff may do this.")
NOT_YOURS = gettext_lazy("This implementation plan belongs to another purchaser.")
NOT_EDITABLE = gettext_lazy(
    "The plan has been submitted for filing; it can be changed only if the bureau returns it."
)
NOT_SUBMITTABLE = gettext_lazy("Only a draft or a returned plan can be submitted for filing.")
ONLY_BUREAU = gettext_lazy("Only the finance bureau files or returns implementation plans.")
NOT_SUBMITTED = gettext_lazy("Only a plan submitted for filing can be filed or returned.")
REASONS_REQUIRED = gettext_lazy("Say why the plan is returned, so the purchaser can correct it.")


@dataclass
class PlanLotValues:
    name: str
    kind: str
    budget: Decimal
    sme_reserved: bool = False


@dataclass
class PlanValues:
    project_name: str
    kind: str
    method: str
    budget: Decimal
    sme_mode: str
    intention: ProcurementIntention | None = None
    intention_exempt: bool = False
    exemption_reason: str = ""
    sme_share: Decimal | None = None
    sme_reasons: str = ""
    agency: Organisation | None = None
    lots: list[PlanLotValues] = field(default_factory=list)


PLAN_FIELDS = (
    "project_name",
    "kind",
    "method",
    "budget",
    "sme_mode",
    "intention",
    "intention_exempt",
    "exemption_reason",
    "sme_share",
    "sme_reasons",
    "agency",
)


def plan_problems(
    values: PlanValues, *, purchaser: Organisation, plan: ImplementationPlan | None = None
) -> list[str]:
    """Every legal rule the plan breaks, each as a message for the purchaser."""
    problems: list[str] = []
    intention = values.intention
    # 1. Disclosure before filing (财库〔2020〕10号): a published intention, or a recorded
    #    exemption for an urgent project caused by unforeseeable reasons.
    if intention is not None and intention.purchaser_id != purchaser.pk:
        problems.append(_("The linked intention belongs to another purchaser."))
    elif intention is not None and intention.status != IntentionStatus.PUBLISHED:
        problems.append(
            _(
                "The linked procurement intention “%(name)s” has not been published. Publish it "
                "first: a plan is filed only for a published intention (财库〔2020〕10号)."
            )
            % {"name": intention.project_name}
        )
    elif intention is None and not values.intention_exempt:
        problems.append(
            _(
                "An implementation plan can be filed only for a published procurement intention "
                "(财库〔2020〕10号), or with a recorded exemption for an urgent project caused by "
                "unforeseeable reasons. Link the published intention, or record the exemption "
                "and its reason."
            )
        )
    elif intention is None and not values.exemption_reason.strip():
        problems.append(
            _("Give the reason why the project is urgent and could not be foreseen (exemption).")
        )
    if intention is not None:
        other = ImplementationPlan.objects.filter(intention=intention)
        if plan is not None:
            other = other.exclude(pk=plan.pk)
        if other.exists():
            problems.append(_("This intention already has an implementation plan."))

    # 2. Lots add up to the budget.
    if not values.lots:
        problems.append(_("A plan needs at least one lot."))
    else:
        total = sum((lot.budget for lot in values.lots), Decimal("0"))
        if total != values.budget:
            problems.append(
                _(
                    "The lots' budgets add up to %(total)s yuan, but the plan's budget is "
                    "%(budget)s yuan; they must be equal."
                )
                % {"total": f"{total:,.2f}", "budget": f"{values.budget:,.2f}"}
            )

    # 3. The SME decision (财库〔2020〕46号 Arts 6–8).
    problems += _sme_problems(values)

    if values.agency is not None and values.agency.kind != OrganisationKind.AGENCY:
        problems.append(_("The entrusted organisation is not a procurement agency."))
    return problems


def _sme_problems(values: PlanValues) -> list[str]:
    problems = []
    threshold = sme_threshold(values.kind)
    share_min = legal_parameter("sme_reserve_share_above")
    at_or_under = values.budget <= threshold.value
    needs_reasons = values.sme_mode != SmeMode.WHOLE
    if values.sme_mode == SmeMode.SHARE:
        share = values.sme_share
        if share is None or share <= 0 or share >= 100:
            problems.append(_("Give the share reserved for SMEs, between 0 and 100 percent."))
        elif not at_or_under and share < share_min.value:
            problems.append(
                _(
                    "Above %(threshold)s yuan at least %(min)s%% of the budget is reserved for "
                    "SMEs (%(source)s); the plan reserves %(share)s%%."
                )
                % {
                    "threshold": f"{threshold.value:,.0f}",
                    "min": f"{share_min.value:g}",
                    "source": share_min.source,
                    "share": f"{share:g}",
                }
            )
        if not any(lot.sme_reserved for lot in values.lots) and not values.sme_reasons.strip():
            problems.append(
                _("Mark the lots reserved for SMEs, or describe how the share is reserved.")
            )
    if needs_reasons and not values.sme_reasons.strip():
        if at_or_under:
            problems.append(
                _(
                    "A %(kind)s project with a budget at or under %(threshold)s yuan is reserved "
                    "wholly for small and medium enterprises (%(source)s). To do otherwise, give "
                    "the reasons."
                )
                % {
                    "kind": _kind_label(values.kind),
                    "threshold": f"{threshold.value:,.0f}",
                    "source": threshold.source,
                }
            )
        else:
            problems.append(_("Give the reasons for the SME decision."))
    return problems


def _kind_label(kind: str) -> str:
    return str(ProcurementKind(kind).label)


def _require_purchaser_of(user, plan: ImplementationPlan | None = None) -> Organisation:
    organisation = organisation_of(user)
    if role_of(user) != OrganisationKind.PURCHASER or organisation is None:
        raise PermissionDenied(NOT_A_PURCHASER)
    if plan is not None and plan.purchaser_id != organisation.pk:
        raise PermissionDenied(NOT_YOURS)
    return organisation


def _lot_reserved(values: PlanValues, lot: PlanLotValues) -> bool:
    if values.sme_mode == SmeMode.WHOLE:
        return True
    return values.sme_mode == SmeMode.SHARE and lot.sme_reserved


def _save_lots(plan: ImplementationPlan, values: PlanValues) -> None:
    plan.lots.all().delete()
    for number, lot in enumerate(values.lots, start=1):
        PlanLot.objects.create(
            plan=plan,
            number=number,
            name=lot.name,
            kind=lot.kind,
            budget=lot.budget,
            sme_reserved=_lot_reserved(values, lot),
        )


def _apply(plan: ImplementationPlan, values: PlanValues) -> None:
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(values, name))
    if plan.intention is not None:
        plan.intention_exempt = False
        plan.exemption_reason = ""
    if plan.sme_mode != SmeMode.SHARE:
        plan.sme_share = None


def create_plan(*, values: PlanValues, acting_user) -> ImplementationPlan:
    """A draft plan. Problems are refused already here, so a draft is always fileable."""
    purchaser = _require_purchaser_of(acting_user)
    refuse_if(plan_problems(values, purchaser=purchaser))
    with transaction.atomic():
        plan = ImplementationPlan(purchaser=purchaser, created_by=acting_user)
        _apply(plan, values)
        plan._history_user = acting_user
        plan.save()
        _save_lots(plan, values)
        record_event(
            action="procurement.plan.created",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data=_summary(plan),
        )
    return plan


def update_plan(*, plan: ImplementationPlan, values: PlanValues, acting_user) -> ImplementationPlan:
    """Change a draft or a returned plan."""
    purchaser = _require_purchaser_of(acting_user, plan)
    refuse_if(plan_problems(values, purchaser=purchaser, plan=plan))
    with transaction.atomic():
        plan = ImplementationPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if not plan.is_editable:
            raise InvalidTransition(NOT_EDITABLE)
        _apply(plan, values)
        plan._history_user = acting_user
        plan._change_reason = "edited"
        plan.save()
        _save_lots(plan, values)
        record_event(
            action="procurement.plan.updated",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data=_summary(plan),
        )
    return plan


def values_of(plan: ImplementationPlan) -> PlanValues:
    """The plan as values, to re-check it against the rules in force now."""
    return PlanValues(
        **{name: getattr(plan, name) for name in PLAN_FIELDS},
        lots=[
            PlanLotValues(
                name=lot.name, kind=lot.kind, budget=lot.budget, sme_reserved=lot.sme_reserved
            )
            for lot in plan.lots.all()
        ],
    )


def submit_plan(*, plan: ImplementationPlan, acting_user) -> ImplementationPlan:
    """Send a draft (or a corrected returned plan) to the bureau for filing."""
    purchaser = _require_purchaser_of(acting_user, plan)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "intention")
            .get(pk=plan.pk)
        )
        if not plan.is_editable:
            raise InvalidTransition(NOT_SUBMITTABLE)
        refuse_if(plan_problems(values_of(plan), purchaser=purchaser, plan=plan))
        resubmission = plan.status == PlanStatus.RETURNED
        plan.submit(at=timezone.now())
        plan._history_user = acting_user
        plan._change_reason = "resubmitted" if resubmission else "submitted"
        plan.save()
        record_event(
            action="procurement.plan.resubmitted" if resubmission else "procurement.plan.submitted",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data=_summary(plan),
        )
        notify_bureau(
            kind="procurement.plan_submitted",
            context=_context(plan),
            subject=plan,
        )
    return plan


def _require_bureau(user) -> None:
    if role_of(user) != OrganisationKind.BUREAU:
        raise PermissionDenied(ONLY_BUREAU)


def file_plan(*, plan: ImplementationPlan, acting_user) -> ImplementationPlan:
    """The bureau files (备案) a submitted plan; the purchaser is told."""
    _require_bureau(acting_user)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "intention")
            .get(pk=plan.pk)
        )
        if plan.status != PlanStatus.SUBMITTED:
            raise InvalidTransition(NOT_SUBMITTED)
        # Filing is refused when the plan breaks a rule in force today (e.g. the intention).
        refuse_if(plan_problems(values_of(plan), purchaser=plan.purchaser, plan=plan))
        plan.file(at=timezone.now(), by=acting_user)
        plan._history_user = acting_user
        plan._change_reason = "filed"
        plan.save()
        record_event(
            action="procurement.plan.filed",
            actor=acting_user,
            organisation=organisation_of(acting_user),
            subject=plan,
            data=_summary(plan),
        )
        notify_organisation(
            organisation=plan.purchaser,
            kind="procurement.plan_filed",
            context=_context(plan),
            subject=plan,
        )
        if plan.agency is not None:
            notify_organisation(
                organisation=plan.agency,
                kind="procurement.plan_filed",
                context=_context(plan),
                subject=plan,
            )
    return plan


def return_plan(*, plan: ImplementationPlan, reasons: str, acting_user) -> ImplementationPlan:
    """The bureau returns a submitted plan with its reasons; the purchaser corrects and refiles."""
    _require_bureau(acting_user)
    if not reasons.strip():
        raise InvalidTransition(REASONS_REQUIRED)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser")
            .get(pk=plan.pk)
        )
        if plan.status != PlanStatus.SUBMITTED:
            raise InvalidTransition(NOT_SUBMITTED)
        plan.return_for_correction(at=timezone.now(), reasons=reasons.strip())
        plan._history_user = acting_user
        plan._change_reason = "returned"
        plan.save()
        record_event(
            action="procurement.plan.returned",
            actor=acting_user,
            organisation=organisation_of(acting_user),
            subject=plan,
            data={**_summary(plan), "reasons": plan.return_reasons},
        )
        notify_organisation(
            organisation=plan.purchaser,
            kind="procurement.plan_returned",
            context={**_context(plan), "reasons": plan.return_reasons},
            subject=plan,
        )
    return plan


def _summary(plan: ImplementationPlan) -> dict:
    return {
        "project_name": plan.project_name,
        "method": plan.method,
        "budget": str(plan.budget),
        "status": plan.status,
        "intention": plan.intention_id,
        "intention_exempt": plan.intention_exempt,
    }


def _context(plan: ImplementationPlan) -> dict:
    return {
        "plan_name": plan.project_name,
        "purchaser": plan.purchaser.name,
        "method": plan.get_method_display(),
        "budget": f"{plan.budget:,.2f}",
        "url": reverse("procurement:plan_detail", args=[plan.pk]),
    }
