"""Reads used in more than one place, and the access helpers every object URL goes through.

An access helper returns the object if the user may see it (and change it, with for_write=True).
It raises Http404 when the user may not see it at all, so an id never reveals that an object
exists, and PermissionDenied (403) when the user sees it but may not change it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of, role_of

from .models import (
    Announcement,
    AnnouncementStatus,
    Clarification,
    ClarificationStatus,
    DocumentDownload,
    ImplementationPlan,
    Lot,
    LotState,
    MethodApproval,
    MethodApprovalStatus,
    PlanDocument,
    PlanStatus,
    ProcurementIntention,
    Project,
    SingleSourceNotice,
    SingleSourceObjection,
    TenderDocument,
)


def _check(user, obj, *, view: str, change: str, for_write: bool):
    if not user.has_perm(view, obj):
        raise Http404
    if for_write and not user.has_perm(change, obj):
        raise PermissionDenied
    return obj


def get_intention_for_user(*, user, pk: int, for_write: bool = False) -> ProcurementIntention:
    intention = ProcurementIntention.objects.select_related("purchaser").filter(pk=pk).first()
    if intention is None:
        raise Http404
    return _check(
        user,
        intention,
        view="procurement.view_intention",
        change="procurement.change_intention",
        for_write=for_write,
    )


def get_plan_for_user(*, user, pk: int, for_write: bool = False) -> ImplementationPlan:
    plan = (
        ImplementationPlan.objects.select_related("purchaser", "intention", "agency")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    return _check(
        user,
        plan,
        view="procurement.view_plan",
        change="procurement.change_plan",
        for_write=for_write,
    )


def get_plan_document_for_user(*, user, pk: int, for_write: bool = False) -> PlanDocument:
    """A supporting document of a plan: its purchaser and the bureau; removed ones stay readable
    (a request made with them keeps them on record), changeable only while current."""
    document = PlanDocument.objects.select_related("plan", "file").filter(pk=pk).first()
    if document is None:
        raise Http404
    return _check(
        user,
        document,
        view="procurement.view_plan_document",
        change="procurement.change_plan_document",
        for_write=for_write,
    )


def get_method_approval_for_user(*, user, pk: int, for_write: bool = False) -> MethodApproval:
    """A request for approval of the method: its purchaser reads it, the bureau decides it."""
    approval = (
        MethodApproval.objects.select_related(
            "plan",
            "plan__purchaser",
            "single_source_notice",
            "single_source_notice__announcement",
        )
        .filter(pk=pk)
        .first()
    )
    if approval is None:
        raise Http404
    return _check(
        user,
        approval,
        view="procurement.view_method_approval",
        change="procurement.decide_method_approval",
        for_write=for_write,
    )


def get_single_source_notice_for_user(
    *, user, pk: int, for_write: bool = False
) -> SingleSourceNotice:
    """A single source notice with its objections' record: the purchaser (who reviews it), its
    agency and the bureau. The public reads the notice itself on the portal."""
    notice = (
        SingleSourceNotice.objects.select_related(
            "plan", "plan__purchaser", "plan__agency", "announcement"
        )
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    return _check(
        user,
        notice,
        view="procurement.view_single_source_notice",
        change="procurement.review_single_source_notice",
        for_write=for_write,
    )


def get_objection_for_user(*, user, pk: int) -> SingleSourceObjection:
    """An objection (with its attachment): the purchaser, its agency and the bureau only."""
    objection = (
        SingleSourceObjection.objects.select_related("notice", "notice__plan", "attachment")
        .filter(pk=pk)
        .first()
    )
    if objection is None or not user.has_perm(
        "procurement.view_single_source_objection", objection
    ):
        raise Http404
    return objection


def get_objection_by_receipt(*, token: str) -> SingleSourceObjection:
    """The objection whose receipt link this is: whoever holds the link reads its receipt."""
    objection = (
        SingleSourceObjection.objects.select_related("notice", "notice__announcement", "attachment")
        .filter(token=token)
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def get_public_notice(*, pk: int) -> SingleSourceNotice:
    """A published single source notice (by its own id), for anyone to object to."""
    notice = (
        SingleSourceNotice.objects.select_related("announcement")
        .filter(pk=pk, announcement__status=AnnouncementStatus.PUBLISHED)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def notice_of_announcement(announcement_id: int) -> SingleSourceNotice | None:
    """The notice behind a published single source announcement (the portal's page asks)."""
    return (
        SingleSourceNotice.objects.filter(announcement_id=announcement_id)
        .only("id", "announcement_id", "period_start", "period_end", "review_due")
        .first()
    )


def single_source_notices_of_plan(plan: ImplementationPlan) -> list[SingleSourceNotice]:
    """The plan's notices, newest first, each with its objections (a fixed number of queries)."""
    return list(
        SingleSourceNotice.objects.filter(plan=plan)
        .select_related("announcement", "reviewed_by", "published_by")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=SingleSourceObjection.objects.select_related(
                    "attachment", "submitted_by"
                ).order_by("number"),
            )
        )
        .order_by("-period_start", "-id")
    )


def notices_to_review(user) -> QuerySet[SingleSourceNotice]:
    """The purchaser's notices whose objections wait for its review (O74 Art 40), or, for an
    agency, the notices of plans entrusted to it that are not reviewed yet."""
    organisation = organisation_of(user)
    if organisation is None:
        return SingleSourceNotice.objects.none()
    has_objections = Exists(SingleSourceObjection.objects.filter(notice=OuterRef("pk")))
    return (
        SingleSourceNotice.objects.filter(
            Q(plan__purchaser=organisation) | Q(plan__agency=organisation),
            review_conclusion="",
        )
        .annotate(has_objections=has_objections)
        .filter(has_objections=True)
        .select_related("plan")
        .order_by("review_due", "id")
    )


def get_project_for_user(*, user, pk: int, for_write: bool = False) -> Project:
    project = (
        Project.objects.select_related("purchaser", "agency", "plan", "plan__intention")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return _check(
        user,
        project,
        view="procurement.view_project",
        change="procurement.change_project",
        for_write=for_write,
    )


def get_lot_for_user(*, user, pk: int, for_write: bool = False) -> Lot:
    lot = (
        Lot.objects.select_related(
            "project", "project__purchaser", "project__agency", "project__plan"
        )
        .filter(pk=pk)
        .first()
    )
    if lot is None:
        raise Http404
    return _check(
        user, lot, view="procurement.view_lot", change="procurement.change_lot", for_write=for_write
    )


def get_public_lot(*, pk: int) -> Lot:
    """A lot anyone may read about: one that has been announced (not a draft)."""
    lot = (
        Lot.objects.select_related("project", "project__purchaser", "project__agency")
        .exclude(state=LotState.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if lot is None:
        raise Http404
    return lot


def get_document_for_user(*, user, pk: int, for_write: bool = False) -> TenderDocument:
    """A tender document: project staff and the bureau always; suppliers while bidding is open."""
    document = (
        TenderDocument.objects.select_related("project", "lot", "file")
        .filter(pk=pk, is_current=True)
        .first()
    )
    if document is None:
        raise Http404
    project = document.project
    if is_document_reader(user, document):
        if for_write and not user.has_perm("procurement.change_project", project):
            raise PermissionDenied
        return document
    lots = [document.lot] if document.lot else list(project.lots.all())
    if not any(lot.state == LotState.ANNOUNCED for lot in lots):
        raise Http404
    if for_write or role_of(user) != OrganisationKind.SUPPLIER:
        raise PermissionDenied
    return document


def is_document_reader(user, document: TenderDocument) -> bool:
    """The project's purchaser, its agency and the bureau read its tender documents at any time;
    they are not potential bidders, so their downloads are not recorded."""
    return user.has_perm("procurement.view_project", document.project)


def get_clarification_for_staff(*, user, pk: int) -> Clarification:
    """A question, for the purchaser or agency that answers it (the bureau may read it)."""
    clarification = (
        Clarification.objects.select_related(
            "lot", "lot__project", "lot__project__purchaser", "supplier", "asked_by"
        )
        .filter(pk=pk)
        .first()
    )
    if clarification is None or not user.has_perm("procurement.view_lot", clarification.lot):
        raise Http404
    return clarification


# --------------------------------------------------------------------------------------------
# Lists


def intentions_of(user) -> QuerySet[ProcurementIntention]:
    organisation = organisation_of(user)
    if organisation is None:
        return ProcurementIntention.objects.none()
    return ProcurementIntention.objects.filter(purchaser=organisation).order_by(
        "status", "-published_at", "-created"
    )


_pending_approval = Exists(
    MethodApproval.objects.filter(plan=OuterRef("pk"), status=MethodApprovalStatus.PENDING)
)


def plans_of(user) -> QuerySet[ImplementationPlan]:
    organisation = organisation_of(user)
    if organisation is None:
        return ImplementationPlan.objects.none()
    return (
        ImplementationPlan.objects.filter(purchaser=organisation)
        .select_related("intention", "agency")
        .annotate(method_pending=_pending_approval)
        .order_by("-modified", "-id")
    )


def plans_waiting_for_filing() -> QuerySet[ImplementationPlan]:
    """Submitted plans, oldest first; `method_pending`: a change of method awaits a decision."""
    return (
        ImplementationPlan.objects.filter(status=PlanStatus.SUBMITTED)
        .select_related("purchaser", "intention")
        .annotate(method_pending=_pending_approval)
        .order_by("submitted_at", "id")
    )


def method_approvals_of_plan(plan: ImplementationPlan) -> QuerySet[MethodApproval]:
    """Every request for approval of the plan's method, newest first, with its documents."""
    return (
        MethodApproval.objects.filter(plan=plan)
        .select_related(
            "requested_by",
            "decided_by",
            "single_source_notice",
            "single_source_notice__announcement",
        )
        .prefetch_related("documents")
        .order_by("-requested_at", "-id")
    )


def plan_documents(plan: ImplementationPlan) -> QuerySet[PlanDocument]:
    return PlanDocument.objects.filter(plan=plan, is_current=True).select_related("file")


_open_question = Q(lots__clarifications__status=ClarificationStatus.OPEN)


def projects_of(user) -> QuerySet[Project]:
    """The projects the user works on: its purchaser's, or those entrusted to its agency."""
    organisation = organisation_of(user)
    role = role_of(user)
    if organisation is None:
        return Project.objects.none()
    if role == OrganisationKind.BUREAU:
        queryset = Project.objects.all()
    elif role == OrganisationKind.PURCHASER:
        queryset = Project.objects.filter(purchaser=organisation)
    elif role == OrganisationKind.AGENCY:
        queryset = Project.objects.filter(agency=organisation)
    else:
        return Project.objects.none()
    return (
        queryset.select_related("purchaser", "agency")
        .prefetch_related("lots")
        .annotate(open_questions=Count("lots__clarifications", filter=_open_question))
        .order_by("-created", "-id")
    )


def lots_of(user, *, state: str | None = None) -> QuerySet[Lot]:
    """The lots the user supervises or works on (the bureau: all; staff: their projects'),
    announced first by deadline; `state` narrows to one state."""
    organisation = organisation_of(user)
    role = role_of(user)
    if organisation is None:
        return Lot.objects.none()
    if role == OrganisationKind.BUREAU:
        queryset = Lot.objects.all()
    elif role in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        queryset = Lot.objects.filter(
            Q(project__purchaser=organisation) | Q(project__agency=organisation)
        )
    else:
        return Lot.objects.none()
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related("project", "project__purchaser", "project__agency").order_by(
        F("bid_deadline").desc(nulls_last=True), "-id"
    )


def lot_state_counts(user) -> dict[str, int]:
    """How many of the user's lots are in each state (one query), for the list's tabs."""
    rows = lots_of(user).order_by().values_list("state").annotate(n=Count("id"))
    return dict(rows)


def filed_plans_without_project(user) -> QuerySet[ImplementationPlan]:
    """Filed plans of the user's purchaser, or entrusted to its agency, not yet a project."""
    organisation = organisation_of(user)
    if organisation is None:
        return ImplementationPlan.objects.none()
    return (
        ImplementationPlan.objects.filter(status=PlanStatus.FILED, project__isnull=True)
        .filter(Q(purchaser=organisation) | Q(agency=organisation))
        .select_related("purchaser", "agency")
        .order_by("-filed_at")
    )


def open_tenders() -> QuerySet[Lot]:
    """Lots that take bids now, soonest deadline first (a supplier's home)."""
    return (
        Lot.objects.filter(state=LotState.ANNOUNCED)
        .select_related("project", "project__purchaser")
        .order_by("bid_deadline", "id")
    )


def notices_of_lot(lot: Lot) -> QuerySet[Announcement]:
    """Every notice published about the lot (its own and its project's that concern it)."""
    return lot.notices.published().order_by("published_at", "id")


def questions_of_supplier(user) -> QuerySet[Clarification]:
    organisation = organisation_of(user)
    if organisation is None:
        return Clarification.objects.none()
    return (
        Clarification.objects.filter(supplier=organisation)
        .select_related("lot", "lot__project", "announcement")
        .order_by("-created", "-id")
    )


def downloads_of_project(project: Project) -> QuerySet[DocumentDownload]:
    return (
        DocumentDownload.objects.filter(project=project)
        .select_related("supplier", "user", "lot")
        .order_by("-downloaded_at", "-id")
    )


def published_clarifications_of_lot(lot: Lot) -> QuerySet[Clarification]:
    return (
        Clarification.objects.filter(lot=lot, status=ClarificationStatus.ANSWERED)
        .select_related("announcement")
        .order_by("answered_at", "id")
    )


def announcements_of_project(project: Project) -> QuerySet[Announcement]:
    return Announcement.objects.filter(project=project).order_by("published_at", "id")


# --------------------------------------------------------------------------------------------
# Advice shown with a plan (not refusals)


def plan_warnings(plan: ImplementationPlan) -> list[str]:
    """Things the purchaser and the bureau should notice in a plan that the law does not forbid."""
    warnings = []
    intention = plan.intention
    if intention is not None and plan.budget > intention.budget:
        # 财库〔2020〕10号: the intention is for reference only; the plan's budget prevails.
        warnings.append(
            _(
                "The plan's budget (%(plan)s yuan) is higher than the budget disclosed in the "
                "intention (%(intention)s yuan). The intention is for reference only "
                "(财库〔2020〕10号), but the difference should be explained."
            )
            % {"plan": _money(plan.budget), "intention": _money(intention.budget)}
        )
    return warnings


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
