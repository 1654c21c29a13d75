"""Implementation plans (政府采购实施计划, IR Art 29): drafted, submitted, filed or returned."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied
from notifications.services import close_notifications, notify_bureau, notify_organisation
from timers.models import format_deadline

from ..legal import (
    follow_on_maximum,
    format_moment,
    needs_method_approval,
    needs_single_source_notice,
    public_tender_threshold,
    sme_threshold,
)
from ..models import (
    METHOD_GROUNDS,
    ImplementationPlan,
    IntentionStatus,
    MethodApproval,
    MethodApprovalStatus,
    MethodGround,
    PlanLot,
    PlanStatus,
    ProcurementIntention,
    ProcurementKind,
    ProcurementMethod,
    SingleSourceNotice,
    SmeMode,
)
from ..parameters import legal_parameter
from ._base import budget_ceiling_problems, refuse_if

# Notification kinds that ask a step, closed when it is done (notifications.close_notifications).
PLAN_SUBMITTED = "procurement.plan_submitted"  # the bureau: file or return the plan
PLAN_FILED = "procurement.plan_filed"  # purchaser and agency: prepare the project
RETURN_KINDS = ["procurement.plan_returned", "procurement.method_rejected"]  # correct, resubmit

NOT_A_PURCHASER = gettext_lazy("Only a purchaser's staff may do this.")
NOT_YOURS = gettext_lazy("This implementation plan belongs to another purchaser.")
NOT_EDITABLE = gettext_lazy(
    "The plan has been submitted for filing; it can be changed only if the bureau returns it."
)
NOT_SUBMITTABLE = gettext_lazy("Only a draft or a returned plan can be submitted for filing.")
ONLY_BUREAU = gettext_lazy("Only the finance bureau files or returns implementation plans.")
NOT_SUBMITTED = gettext_lazy("Only a plan submitted for filing can be filed or returned.")
REASONS_REQUIRED = gettext_lazy("Say why the plan is returned, so the purchaser can correct it.")
APPROVAL_PENDING = gettext_lazy(
    "The request to use %(method)s is waiting for the bureau's decision: approve or reject the "
    "change of method before filing the plan."
)
APPROVAL_MISSING = gettext_lazy(
    "%(method)s with a budget at or above the public tender threshold (%(threshold)s yuan) "
    "needs the bureau's prior approval of the change of method (GPL Art 27), and this plan has "
    "none in force. Return the plan, so that the purchaser requests it."
)

# O74 Art 38 names both texts; IR Art 38 is the State Council's own rule of the notice.
SINGLE_SOURCE_NOTICE_SOURCE = (
    "《中华人民共和国政府采购法实施条例》第三十八条；"
    "《政府采购非招标采购方式管理办法》（财政部令第74号）第三十八条"
)
SINGLE_SOURCE_REVIEW_SOURCE = "《政府采购非招标采购方式管理办法》（财政部令第74号）第四十条"
NOTICE_MISSING = gettext_lazy(
    "Single source because only one supplier can provide it, at or above the public tender "
    "threshold, is published for at least %(days)s working days before the finance bureau "
    "approves it (%(source)s). Publish the single source notice on this plan's page first "
    "(「发布单一来源公示」), then submit the plan: the notice goes to the bureau with the request."
)
NOTICE_OUTDATED = gettext_lazy(
    "The single source notice published on %(published)s was for a budget of %(noticed)s yuan; "
    "the plan now asks for %(budget)s yuan. Publish a new notice for the plan as it stands "
    "(%(source)s), or bring the budget back within the one noticed."
)
NOTICE_UPHELD = gettext_lazy(
    "The objections to this plan's single source notice were upheld in the supplementary "
    "review: single source may not be used, and the procurement must take another method "
    "(%(source)s). Change the method of the plan."
)


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
    method_ground: str = ""
    method_reason: str = ""
    original_contract_reference: str = ""
    original_contract_amount: Decimal | None = None
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
    "method_ground",
    "method_reason",
    "original_contract_reference",
    "original_contract_amount",
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

    # 2. Budgets within the bureau's ceiling (a typing error is not filed), and the lots add
    #    up to the plan's budget.
    problems += budget_ceiling_problems(values.budget)
    for number, lot in enumerate(values.lots, start=1):
        problems += [
            _("Lot %(number)s: ") % {"number": number} + problem
            for problem in budget_ceiling_problems(lot.budget)
        ]
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

    # 4. A method other than public tender rests on a statutory ground (GPL Arts 27–32).
    problems += method_problems(values, purchaser=purchaser, plan=plan)

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


def reserved_share_warnings(plan: ImplementationPlan) -> list[str]:
    """The lots marked for SMEs against the share the plan declares reserved.

    财库〔2020〕46号 Art 8 lets the reserved share be met in three ways: lots (or the whole
    project) reserved for SMEs, a consortium in which SMEs take a set part, or a required
    subcontract to SMEs. Reserved lots under the declared share are therefore not refused: the
    rest may come from consortium or subcontracting terms, which the plan explains in its
    reasons and the tender documents carry. The purchaser and the bureau are shown the gap, so
    a slip (50 % declared, 30.77 % in lots, nothing said) does not pass unseen.
    """
    if plan.sme_mode != SmeMode.SHARE or plan.sme_share is None or plan.budget <= 0:
        return []
    reserved = sum((lot.budget for lot in plan.lots.all() if lot.sme_reserved), Decimal("0"))
    lots_share = (reserved * 100 / plan.budget).quantize(Decimal("0.01"))
    if lots_share >= plan.sme_share:
        return []
    return [
        _(
            "The plan reserves %(share)s%% of its budget for SMEs, but the lots marked for SMEs "
            "come to %(lots_share)s%% (%(reserved)s yuan). The rest must be reserved through a "
            "consortium or a subcontract with SMEs, stated in the reasons and the tender "
            "documents (%(source)s); otherwise mark more lots or correct the share."
        )
        % {
            "share": f"{plan.sme_share.normalize():f}",
            "lots_share": f"{lots_share.normalize():f}",
            "reserved": f"{reserved:,.2f}",
            "source": "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第八条",
        }
    ]


def _method_label(method: str) -> str:
    return str(ProcurementMethod(method).label)


def method_problems(
    values: PlanValues,
    *,
    purchaser: Organisation | None = None,
    plan: ImplementationPlan | None = None,
) -> list[str]:
    """The ground, reasons and follow-on limit of a method other than public tender.

    1. Single source only on one of its three grounds (GPL Art 31), whatever the budget.
    2. At or above the public tender threshold, any other method needs the bureau's prior
       approval (GPL Art 27): the ground and the reasons are what the bureau decides on.
    3. A given ground must be one of the method's own.
    4. A follow-on purchase names the original contract, and all the follow-ons on it together
       stay within its share of it (`purchaser`'s other follow-ons count; `plan` is this one).
    """
    method = values.method
    if method == ProcurementMethod.PUBLIC_TENDER:
        return []
    problems: list[str] = []
    ground = values.method_ground
    single = method == ProcurementMethod.SINGLE_SOURCE
    approval = needs_method_approval(method=method, kind=values.kind, budget=values.budget)
    method_label = _method_label(method)
    if ground and ground not in METHOD_GROUNDS.get(method, []):
        problems.append(
            _("“%(ground)s” is not a ground for %(method)s; choose one of its own grounds.")
            % {"ground": MethodGround(ground).label, "method": method_label}
        )
    elif not ground and single:
        share = legal_parameter("single_source_follow_on_max")
        problems.append(
            _(
                "Single source is allowed only when just one supplier can provide it, in an "
                "unforeseeable emergency, or for a follow-on purchase from the original supplier "
                "of at most %(share)s%% of the original contract (GPL Art 31). Choose the ground."
            )
            % {"share": f"{share.value:g}"}
        )
    elif not ground and approval:
        threshold = public_tender_threshold(values.kind)
        assert threshold is not None
        problems.append(
            _(
                "At or above the public tender threshold of %(threshold)s yuan, %(method)s needs "
                "the finance bureau's prior approval (GPL Art 27; %(source)s). Choose the legal "
                "ground of the method and give the reasons; the request goes to the bureau with "
                "the plan."
            )
            % {
                "threshold": f"{threshold.value:,.0f}",
                "method": method_label,
                "source": threshold.source,
            }
        )
    if (single or approval) and not values.method_reason.strip():
        problems.append(
            _("Give the reasons for using %(method)s: the facts that meet its legal ground.")
            % {"method": method_label}
        )
    if ground == MethodGround.SINGLE_SOURCE_FOLLOW_ON:
        amount = values.original_contract_amount
        if amount is None or not values.original_contract_reference.strip():
            problems.append(
                _("For a follow-on purchase, give the original contract's number and amount.")
            )
        earlier = (
            earlier_follow_ons(
                purchaser=purchaser, reference=values.original_contract_reference, plan=plan
            )
            if purchaser is not None and values.original_contract_reference.strip()
            else []
        )
        if amount is not None and earlier:
            problems += _follow_on_total_problems(values, amount, earlier)
        elif amount is not None:
            maximum, share = follow_on_maximum(amount)
            if values.budget > maximum:
                problems.append(
                    _(
                        "A follow-on purchase from the original supplier may total at most "
                        "%(share)s%% of the original contract (%(source)s): the original contract "
                        "is %(amount)s yuan, so the budget may be at most %(maximum)s yuan; this "
                        "plan's budget is %(budget)s yuan."
                    )
                    % {
                        "share": f"{share.value:g}",
                        "source": share.source,
                        "amount": f"{amount:,.2f}",
                        "maximum": f"{maximum:,.2f}",
                        "budget": f"{values.budget:,.2f}",
                    }
                )
    return problems


def contract_key(reference: str) -> str:
    """An original contract's number as compared: full-width and half-width characters alike
    (NFKC), case and spaces ignored, so 「ＺＺ－２０２４－０１７」 and 「zz-2024-017 」 are one."""
    return "".join(unicodedata.normalize("NFKC", reference).casefold().split())


def earlier_follow_ons(
    *, purchaser: Organisation, reference: str, plan: ImplementationPlan | None = None
) -> list[ImplementationPlan]:
    """The purchaser's other follow-on plans on the same original contract that count towards
    its cap (GPL Art 31(3): 添购资金总额, the total of all follow-ons, not each).

    Submitted and filed plans count: they went to the bureau. Drafts and returned plans do not:
    they are the purchaser's working copies, which cannot be deleted and would otherwise hold
    room forever; each is checked against the counted ones when it is submitted (and again
    when filed), and submit_plan serialises a purchaser's submissions, so what is sent never
    totals more than the cap. Compared in Python: a purchaser has few follow-ons, and the
    numbers are matched after normalising (contract_key), which SQL does not do portably.
    """
    key = contract_key(reference)
    others = ImplementationPlan.objects.filter(
        purchaser=purchaser,
        method_ground=MethodGround.SINGLE_SOURCE_FOLLOW_ON,
        status__in=[PlanStatus.SUBMITTED, PlanStatus.FILED],
    ).order_by("submitted_at", "id")
    if plan is not None and plan.pk is not None:
        others = others.exclude(pk=plan.pk)
    return [other for other in others if contract_key(other.original_contract_reference) == key]


def _follow_on_total_problems(
    values: PlanValues, amount: Decimal, earlier: list[ImplementationPlan]
) -> list[str]:
    maximum, share = follow_on_maximum(amount)
    used = sum((other.budget for other in earlier), Decimal("0"))
    if used + values.budget <= maximum:
        return []
    listed = _("; ").join(
        _("“%(name)s” (%(status)s, %(budget)s yuan)")
        % {
            "name": other.project_name,
            "status": other.get_status_display(),
            "budget": f"{other.budget:,.2f}",
        }
        for other in earlier
    )
    return [
        _(
            "Follow-on purchases from the original supplier may total at most %(share)s%% of the "
            "original contract (%(source)s): contract %(reference)s is %(amount)s yuan, so all "
            "its follow-ons together may be at most %(maximum)s yuan. Earlier follow-ons on it: "
            "%(earlier)s, together %(used)s yuan. %(room)s yuan is left, and this plan's budget "
            "is %(budget)s yuan."
        )
        % {
            "share": f"{share.value:g}",
            "source": share.source,
            "reference": values.original_contract_reference.strip(),
            "amount": f"{amount:,.2f}",
            "maximum": f"{maximum:,.2f}",
            "earlier": listed,
            "used": f"{used:,.2f}",
            "room": f"{max(maximum - used, Decimal('0')):,.2f}",
            "budget": f"{values.budget:,.2f}",
        }
    ]


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
    if plan.method == ProcurementMethod.PUBLIC_TENDER:
        plan.method_ground = ""
        plan.method_reason = ""
    if plan.method_ground != MethodGround.SINGLE_SOURCE_FOLLOW_ON:
        plan.original_contract_reference = ""
        plan.original_contract_amount = None


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
        plan._change_reason = gettext_noop("edited")
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


# --------------------------------------------------------------------------------------------
# Prior approval of the method (GPL Art 27)


def plan_needs_method_approval(plan: ImplementationPlan) -> bool:
    return needs_method_approval(method=plan.method, kind=plan.kind, budget=plan.budget)


def latest_method_approval(plan: ImplementationPlan) -> MethodApproval | None:
    return plan.method_approvals.order_by("-requested_at", "-id").first()


def approval_in_force(plan: ImplementationPlan) -> MethodApproval | None:
    """The bureau's last word on the method, if it approved what the plan now says."""
    latest = latest_method_approval(plan)
    return latest if latest is not None and latest.covers(plan) else None


def plan_needs_single_source_notice(plan: ImplementationPlan) -> bool:
    return needs_single_source_notice(
        method=plan.method, ground=plan.method_ground, kind=plan.kind, budget=plan.budget
    )


def latest_single_source_notice(plan: ImplementationPlan) -> SingleSourceNotice | None:
    return plan.single_source_notices.order_by("-period_start", "-id").first()


def notice_problems(plan: ImplementationPlan) -> list[str]:
    """Why the plan may not go to the bureau yet as far as the single source notice goes.

    Single source because only one supplier can provide it, at or above the public tender
    threshold: a notice of at least 5 working days is published before the request for
    approval is decided, and goes with it (IR Art 38; O74 Art 38). Once the objections to a
    notice of the plan were upheld, single source on that ground is over (O74 Art 40).
    """
    if not plan_needs_single_source_notice(plan):
        return []
    notices = list(plan.single_source_notices.order_by("-period_start", "-id"))
    if any(notice.is_upheld for notice in notices):
        return [NOTICE_UPHELD % {"source": SINGLE_SOURCE_REVIEW_SOURCE}]
    if not notices:
        days = legal_parameter("single_source_notice_min")
        return [NOTICE_MISSING % {"days": days.days, "source": days.source}]
    latest = notices[0]
    if not latest.covers(plan):
        return [
            NOTICE_OUTDATED
            % {
                "published": format_moment(latest.period_start),
                "noticed": f"{latest.budget:,.2f}",
                "budget": f"{plan.budget:,.2f}",
                "source": SINGLE_SOURCE_NOTICE_SOURCE,
            }
        ]
    return []


def filing_problems(plan: ImplementationPlan) -> list[str]:
    """Why the bureau may not file the plan yet as far as its method goes (GPL Art 27)."""
    latest = latest_method_approval(plan)
    method = _method_label(plan.method)
    if latest is not None and latest.status == MethodApprovalStatus.PENDING:
        return [APPROVAL_PENDING % {"method": method}]
    if not plan_needs_method_approval(plan) or (latest is not None and latest.covers(plan)):
        return []
    threshold = public_tender_threshold(plan.kind)
    assert threshold is not None
    return [APPROVAL_MISSING % {"method": method, "threshold": f"{threshold.value:,.0f}"}]


def _request_method_approval(plan: ImplementationPlan, *, acting_user, at) -> MethodApproval:
    """A new request with what the plan asks for now (call in the submission's transaction)."""
    threshold = public_tender_threshold(plan.kind)
    assert threshold is not None
    approval = MethodApproval(
        plan=plan,
        method=plan.method,
        kind=plan.kind,
        budget=plan.budget,
        threshold=threshold.value,
        ground=plan.method_ground,
        reason=plan.method_reason,
        original_contract_reference=plan.original_contract_reference,
        original_contract_amount=plan.original_contract_amount,
        single_source_notice=(
            latest_single_source_notice(plan) if plan_needs_single_source_notice(plan) else None
        ),
        requested_at=at,
        requested_by=acting_user,
    )
    approval._history_user = acting_user
    approval._change_reason = gettext_noop("requested")
    approval.save()
    approval.documents.set(plan.documents.filter(is_current=True))
    record_event(
        action="procurement.method_approval.requested",
        actor=acting_user,
        organisation=plan.purchaser,
        subject=approval,
        data=approval_summary(approval),
    )
    return approval


def approval_summary(approval: MethodApproval) -> dict:
    return {
        "plan": approval.plan_id,
        "method": approval.method,
        "budget": str(approval.budget),
        "threshold": str(approval.threshold),
        "ground": approval.ground,
        "original_contract_amount": (
            str(approval.original_contract_amount)
            if approval.original_contract_amount is not None
            else None
        ),
        "documents": sorted(approval.documents.values_list("file__sha256", flat=True)),
        "status": approval.status,
    }


def submit_plan(*, plan: ImplementationPlan, acting_user) -> ImplementationPlan:
    """Send a draft (or a corrected returned plan) to the bureau for filing.

    A plan whose method needs the bureau's prior approval (GPL Art 27) goes with a request
    for it, unless the bureau's approval of this very method, ground and budget still stands.
    """
    purchaser = _require_purchaser_of(acting_user, plan)
    with transaction.atomic():
        # One purchaser's submissions one at a time: the follow-on cap counts its other
        # submitted plans, so two drafts must not both take the last room (earlier_follow_ons).
        Organisation.objects.select_for_update().filter(pk=purchaser.pk).first()
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "intention")
            .get(pk=plan.pk)
        )
        if not plan.is_editable:
            raise InvalidTransition(NOT_SUBMITTABLE)
        refuse_if(plan_problems(values_of(plan), purchaser=purchaser, plan=plan))
        refuse_if(notice_problems(plan))
        resubmission = plan.status == PlanStatus.RETURNED
        now = timezone.now()
        plan.submit(at=now)
        plan._history_user = acting_user
        plan._change_reason = (
            gettext_noop("resubmitted") if resubmission else gettext_noop("submitted")
        )
        plan.save()
        # The purchaser's step is done: the notices that returned the plan are closed.
        close_notifications(kinds=RETURN_KINDS, subject=plan, organisation=purchaser, at=now)
        record_event(
            action="procurement.plan.resubmitted" if resubmission else "procurement.plan.submitted",
            actor=acting_user,
            organisation=purchaser,
            subject=plan,
            data=_summary(plan),
        )
        approval = None
        if plan_needs_method_approval(plan) and approval_in_force(plan) is None:
            approval = _request_method_approval(plan, acting_user=acting_user, at=now)
        notify_bureau(
            kind=PLAN_SUBMITTED,
            context={
                **_context(plan),
                "method_approval": approval is not None,
                "ground": approval.get_ground_display() if approval else "",
                "notice_end": (
                    format_deadline(approval.single_source_notice.period_end)
                    if approval is not None and approval.single_source_notice is not None
                    else ""
                ),
            },
            subject=plan,
        )
    return plan


def plan_decided(plan: ImplementationPlan) -> None:
    """The bureau's step on a submitted plan is done (filed, returned, or its method refused):
    the request to file it is closed for every supervisor (call in the deciding transaction)."""
    close_notifications(kinds=[PLAN_SUBMITTED], subject=plan)


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
        # Filing is refused when the plan breaks a rule in force today (e.g. the intention), and
        # until the bureau has approved a method that needs its approval (GPL Art 27).
        refuse_if(plan_problems(values_of(plan), purchaser=plan.purchaser, plan=plan))
        refuse_if(filing_problems(plan))
        plan.file(at=timezone.now(), by=acting_user)
        plan._history_user = acting_user
        plan._change_reason = gettext_noop("filed")
        plan.save()
        plan_decided(plan)
        record_event(
            action="procurement.plan.filed",
            actor=acting_user,
            organisation=organisation_of(acting_user),
            subject=plan,
            data=_summary(plan),
        )
        # The purchaser and the agency it entrusted prepare the project; one person in both
        # is told once.
        for organisation in filter(None, (plan.purchaser, plan.agency)):
            notify_organisation(
                organisation=organisation,
                kind=PLAN_FILED,
                context=_context(plan),
                subject=plan,
                event=f"{PLAN_FILED}:{plan.pk}",
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
        plan._change_reason = gettext_noop("returned")
        plan.save()
        plan_decided(plan)
        _close_undecided_request(plan, acting_user=acting_user)
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


def _close_undecided_request(plan: ImplementationPlan, *, acting_user) -> None:
    """A request the bureau did not decide goes back with the plan; resubmission makes anew."""
    pending = MethodApproval.objects.select_for_update().pending().filter(plan=plan).first()
    if pending is None:
        return
    pending.return_undecided()
    pending._history_user = acting_user
    pending._change_reason = gettext_noop("returned with the plan")
    pending.save()
    record_event(
        action="procurement.method_approval.returned",
        actor=acting_user,
        organisation=organisation_of(acting_user),
        subject=pending,
        data=approval_summary(pending),
    )


def _summary(plan: ImplementationPlan) -> dict:
    return {
        "project_name": plan.project_name,
        "method": plan.method,
        "budget": str(plan.budget),
        "status": plan.status,
        "intention": plan.intention_id,
        "intention_exempt": plan.intention_exempt,
        "method_ground": plan.method_ground,
    }


def _context(plan: ImplementationPlan) -> dict:
    return {
        "plan_name": plan.project_name,
        "purchaser": plan.purchaser.name,
        "method": plan.get_method_display(),
        "method_code": plan.method,  # the filed notice words the next step per method
        "budget": f"{plan.budget:,.2f}",
        "url": reverse("procurement:plan_detail", args=[plan.pk]),
    }
