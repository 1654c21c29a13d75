"""Projects and lots: prepared from a filed plan, closed by the bid-deadline clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import can_proceed

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of, role_of
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied
from documents.services import store_file
from notifications.services import close_notifications, notify_organisation

from ..legal import (
    announcement_not_before,
    check_bid_deadline,
    early_announcement_message,
    format_moment,
    price_weight_range,
    sme_deduction_range,
)
from ..models import (
    CatalogueCategory,
    DocumentDownload,
    EvaluationCriterion,
    EvaluationMethod,
    ImplementationPlan,
    Lot,
    LotState,
    PlanStatus,
    ProcurementMethod,
    Project,
    TenderDocument,
)
from ..qualification_rules import forbidden_conditions
from ..signals import lot_closed
from ._base import refuse_if
from .plans import PLAN_FILED

BID_DEADLINE_CLOCK = "procurement.bid_deadline"
DOCUMENTS_PROVISION_CLOCK = "procurement.documents_provision"
TENDER_DOCUMENTS_USE = "procurement.tender_documents"
# 《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条: when fewer than three
# potential bidders obtained the documents by the end of the provision period, it may be
# extended and the extension announced.
MIN_DOCUMENT_TAKERS = 3
FEW_DOCUMENT_TAKERS = "procurement.few_document_takers"  # the staff: extend the period?

NOT_PROJECT_STAFF = gettext_lazy(
    "Only the purchaser or the agency it entrusted may prepare this procurement."
)
PLAN_NOT_FILED = gettext_lazy("A project can be prepared only from a filed implementation plan.")
PROJECT_EXISTS = gettext_lazy("A project has already been prepared from this plan.")
LOT_NOT_DRAFT = gettext_lazy(
    "The lot has been announced; change it through a correction announcement."
)
NOT_A_SUPPLIER = gettext_lazy("Only a supplier's staff may download the tender documents.")
DOCUMENTS_NOT_AVAILABLE = gettext_lazy("The tender documents are not available for download.")
PROVISION_ENDED = gettext_lazy(
    "The period for obtaining the tender documents ended at %(until)s; they are no longer "
    "provided unless a correction announcement extends the period."
)


@dataclass
class CriterionValues:
    name: str
    points: Decimal
    description: str = ""


@dataclass
class LotValues:
    qualification_requirements: str
    evaluation_method: str
    bid_deadline: dt.datetime | None
    decryption_window_minutes: int | None
    max_price: Decimal | None = None
    price_weight: Decimal | None = None
    sme_deduction: Decimal | None = None
    criteria: list[CriterionValues] = field(default_factory=list)
    # The catalogue category: the experts drawn specialise in it (experts.services.draw).
    category: CatalogueCategory | None = None


LOT_FIELDS = (
    "qualification_requirements",
    "evaluation_method",
    "bid_deadline",
    "decryption_window_minutes",
    "max_price",
    "price_weight",
    "sme_deduction",
    "category",
)


def _project_staff_org(user, project: Project) -> Organisation:
    organisation = organisation_of(user)
    if organisation is None or organisation.pk not in (project.purchaser_id, project.agency_id):
        raise PermissionDenied(NOT_PROJECT_STAFF)
    return organisation


# --------------------------------------------------------------------------------------------
# Projects


def create_project(*, plan: ImplementationPlan, acting_user) -> Project:
    """Make the project and its draft lots from a filed plan (purchaser or entrusted agency)."""
    organisation = organisation_of(acting_user)
    if organisation is None or organisation.pk not in (plan.purchaser_id, plan.agency_id):
        raise PermissionDenied(NOT_PROJECT_STAFF)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "intention")
            .get(pk=plan.pk)
        )
        if plan.status != PlanStatus.FILED:
            raise InvalidTransition(PLAN_NOT_FILED)
        if Project.objects.filter(plan=plan).exists():
            raise InvalidTransition(PROJECT_EXISTS)
        intention = plan.intention
        project = Project(
            plan=plan,
            code=f"{plan.purchaser.region_code}-{timezone.localdate(plan.filed_at):%Y}-{plan.pk:05d}",
            name=plan.project_name,
            purchaser=plan.purchaser,
            agency=plan.agency,
            kind=plan.kind,
            method=plan.method,
            budget=plan.budget,
            sme_mode=plan.sme_mode,
            contact_name=intention.contact_name if intention else "",
            contact_phone=intention.contact_phone if intention else "",
            created_by=acting_user,
        )
        project._history_user = acting_user
        project.save()
        # The step the filing notice asked for is done, whoever of purchaser and agency did it.
        close_notifications(kinds=[PLAN_FILED], subject=plan)
        for planned in plan.lots.all():
            lot = Lot(
                project=project,
                number=planned.number,
                name=planned.name,
                kind=planned.kind,
                budget=planned.budget,
                sme_reserved=planned.sme_reserved,
                evaluation_method=_default_evaluation_method(plan.method),
            )
            lot._history_user = acting_user
            lot.save()
        record_event(
            action="procurement.project.created",
            actor=acting_user,
            organisation=organisation,
            subject=project,
            data={"code": project.code, "plan": plan.pk, "lots": plan.lots.count()},
        )
    return project


def _default_evaluation_method(method: str) -> str:
    if method == ProcurementMethod.COMPETITIVE_CONSULTATION:
        return EvaluationMethod.COMPREHENSIVE
    return EvaluationMethod.LOWEST_PRICE


# --------------------------------------------------------------------------------------------
# Lots


def intention_published_at(project: Project) -> dt.datetime | None:
    """When the intention the announcement must wait for was published; None if none counts
    (no intention, or the plan records the exemption for an urgent, unforeseeable project)."""
    plan = project.plan
    intention = plan.intention
    if intention is None or plan.intention_exempt:
        return None
    return intention.published_at


def earliest_announcement(project: Project, *, now: dt.datetime) -> dt.datetime:
    """The earliest moment the project's announcement can be published (财库〔2020〕10号)."""
    return announcement_not_before(now=now, intention_published_at=intention_published_at(project))


def lot_problems(
    lot: Lot,
    values: LotValues,
    *,
    method: str,
    issued_at: dt.datetime,
    announcement_wait: str = "",
    unchecked: Collection[str] = (),
) -> list[str]:
    """Every rule the lot's tender settings break, each as a message.

    `issued_at` is when the tender documents go out: the announcement's moment. When the
    intention's 30 days keep the announcement back until then, `announcement_wait` says so and
    follows a refused deadline, since the bid period runs from that later day.

    `unchecked` names the values a form refused on their own (a field error says why; "criteria"
    for the scoring factors): the rules on them are left out, and every other rule is still
    named, so that one submission hears of all its problems at once.
    """
    problems: list[str] = []

    def checked(name: str) -> bool:
        return name not in unchecked

    if checked("qualification_requirements"):
        problems += qualification_problems(values.qualification_requirements)
    if values.max_price is not None and values.max_price > lot.budget:
        problems.append(
            _("The maximum price may not exceed the lot's budget (%(budget)s yuan).")
            % {"budget": f"{lot.budget:,.2f}"}
        )

    # Evaluation method by procurement method: O87 Arts 53–55, D214 Art 23, O74 Arts 35 and 48.
    comprehensive = values.evaluation_method == EvaluationMethod.COMPREHENSIVE
    if checked("evaluation_method"):
        if comprehensive and method in (
            ProcurementMethod.COMPETITIVE_NEGOTIATION,
            ProcurementMethod.REQUEST_FOR_QUOTATION,
            ProcurementMethod.SINGLE_SOURCE,
        ):
            problems.append(
                _("%(method)s awards to the lowest price; comprehensive scoring is not used.")
                % {"method": ProcurementMethod(method).label}
            )
        if not comprehensive and method == ProcurementMethod.COMPETITIVE_CONSULTATION:
            problems.append(
                _(
                    "A competitive consultation is evaluated by comprehensive scoring (财库〔2014〕214号 Art 23)."
                )
            )

        if comprehensive:
            problems += _scoring_problems(lot, values, method=method, unchecked=unchecked)
        elif values.criteria or values.price_weight is not None:
            problems.append(
                _("Scoring factors and a price weight belong to comprehensive scoring only.")
            )

    if checked("sme_deduction"):
        problems += _sme_deduction_problems(lot, values)
    if checked("bid_deadline"):
        problems += _deadline_problems(
            values, method=method, issued_at=issued_at, announcement_wait=announcement_wait
        )
    window = values.decryption_window_minutes
    if checked("decryption_window_minutes") and (window is None or not 10 <= window <= 240):
        problems.append(_("The decryption window is between 10 and 240 minutes."))
    return problems


def _sme_deduction_problems(lot: Lot, values: LotValues) -> list[str]:
    """Small and micro enterprise price deduction (财库〔2022〕19号; 财库〔2020〕46号 Art 9)."""
    if lot.sme_reserved:
        if values.sme_deduction is None:
            return []
        return [_("A lot reserved for SMEs has no small and micro enterprise price deduction.")]
    low, high, source = sme_deduction_range(lot.kind)
    if values.sme_deduction is not None and low <= values.sme_deduction <= high:
        return []
    return [
        _(
            "Set the small and micro enterprise price deduction between %(low)s%% and "
            "%(high)s%% (%(source)s)."
        )
        % {"low": f"{low:g}", "high": f"{high:g}", "source": source}
    ]


def _deadline_problems(
    values: LotValues, *, method: str, issued_at: dt.datetime, announcement_wait: str
) -> list[str]:
    if values.bid_deadline is None:
        return [_("Set the bid deadline.")]
    check = check_bid_deadline(method=method, issued_at=issued_at, deadline=values.bid_deadline)
    if check is None:
        return []
    return [check.message, announcement_wait] if announcement_wait else [check.message]


def qualification_problems(text: str) -> list[str]:
    """Each condition of the qualification requirements that the rules forbid, quoted.

    Refused rather than warned: a size, ownership or locality condition is discrimination the
    law names (procurement/qualification_rules.py cites each rule), never a judgement call.
    """
    return [
        _("The qualification requirement “%(phrase)s” is not allowed: %(reason)s (%(sources)s).")
        % {
            "phrase": found.phrase,
            "reason": found.condition.reason,
            "sources": found.condition.sources,
        }
        for found in forbidden_conditions(text)
    ]


def _scoring_problems(
    lot: Lot, values: LotValues, *, method: str, unchecked: Collection[str] = ()
) -> list[str]:
    problems = []
    weight = values.price_weight
    legal = price_weight_range(method=method, kind=lot.kind)
    weight_checked = "price_weight" not in unchecked
    criteria_checked = "criteria" not in unchecked
    if not weight_checked:
        pass
    elif weight is None or weight <= 0 or weight > 100:
        problems.append(_("Set the price weight (points out of 100) for comprehensive scoring."))
    elif legal is not None and not (legal[0] <= weight <= legal[1]):
        low, high, source = legal
        if high >= 100:
            problems.append(
                _("The price weight for %(kind)s is at least %(low)s%% (%(source)s).")
                % {"kind": lot.get_kind_display(), "low": f"{low:g}", "source": source}
            )
        else:
            problems.append(
                _("The price weight for %(kind)s is between %(low)s%% and %(high)s%% (%(source)s).")
                % {
                    "kind": lot.get_kind_display(),
                    "low": f"{low:g}",
                    "high": f"{high:g}",
                    "source": source,
                }
            )
    if criteria_checked and not values.criteria:
        problems.append(_("Add the scoring factors besides the price."))
    total = sum((c.points for c in values.criteria), Decimal("0")) + (weight or Decimal("0"))
    if weight_checked and criteria_checked and values.criteria and total != Decimal("100"):
        problems.append(
            _(
                "The price weight and the factors' points add up to %(total)s; they must add up to 100."
            )
            % {"total": f"{total:g}"}
        )
    return problems


def lot_settings_problems(
    lot: Lot, values: LotValues, *, now: dt.datetime, unchecked: Collection[str] = ()
) -> list[str]:
    """The rules a draft lot's settings break if saved at `now` (update_lot's check).

    The documents are issued at the announcement: at the earliest now, or once the intention
    has been public for 30 days (财库〔2020〕10号), whichever is later.
    """
    project = lot.project
    issued_at = earliest_announcement(project, now=now)
    published = intention_published_at(project)
    wait = early_announcement_message(published) if published and issued_at > now else ""
    return lot_problems(
        lot,
        values,
        method=project.method,
        issued_at=issued_at,
        announcement_wait=wait,
        unchecked=unchecked,
    )


def update_lot(*, lot: Lot, values: LotValues, acting_user) -> Lot:
    """Set a draft lot's tender settings; refused with every broken rule at once."""
    project = lot.project
    organisation = _project_staff_org(acting_user, project)
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
        if lot.state != LotState.DRAFT:
            raise InvalidTransition(LOT_NOT_DRAFT)
        refuse_if(lot_settings_problems(lot, values, now=timezone.now()))
        for name in LOT_FIELDS:
            setattr(lot, name, getattr(values, name))
        lot._history_user = acting_user
        lot._change_reason = gettext_noop("tender settings")
        lot.save()
        lot.criteria.all().delete()
        EvaluationCriterion.objects.bulk_create(
            EvaluationCriterion(
                lot=lot, position=i, name=c.name, points=c.points, description=c.description
            )
            for i, c in enumerate(values.criteria, start=1)
        )
        record_event(
            action="procurement.lot.updated",
            actor=acting_user,
            organisation=organisation,
            subject=lot,
            data={
                "evaluation_method": lot.evaluation_method,
                "price_weight": _str(lot.price_weight),
                "sme_deduction": _str(lot.sme_deduction),
                "bid_deadline": lot.bid_deadline.isoformat() if lot.bid_deadline else None,
                "category": lot.category.code if lot.category else None,
            },
        )
    return lot


def lot_values_of(lot: Lot) -> LotValues:
    return LotValues(
        **{name: getattr(lot, name) for name in LOT_FIELDS},
        criteria=[
            CriterionValues(name=c.name, points=c.points, description=c.description)
            for c in lot.criteria.all()
        ],
    )


def _str(value) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------------------------
# Tender documents


def add_tender_document(
    *,
    project: Project,
    upload: UploadedFile,
    title: str,
    acting_user,
    lot: Lot | None = None,
    by_correction: bool = False,
) -> TenderDocument:
    """Store a file of the tender documents; after the announcement only through a correction.

    Raises django's ValidationError (from documents.store_file) for a wrong or oversized file.
    """
    organisation = _project_staff_org(acting_user, project)
    if not by_correction and project.lots.exclude(state=LotState.DRAFT).exists():
        raise InvalidTransition(LOT_NOT_DRAFT)
    with transaction.atomic():
        stored = store_file(upload=upload, use=TENDER_DOCUMENTS_USE, acting_user=acting_user)
        document = TenderDocument(
            project=project,
            lot=lot,
            title=title or stored.original_name,
            file=stored,
            added_by=acting_user,
        )
        document._history_user = acting_user
        document.save()
        record_event(
            action="procurement.documents.added",
            actor=acting_user,
            organisation=organisation,
            subject=project,
            data={
                "document": document.pk,
                "title": document.title,
                "sha256": stored.sha256,
                "lot": lot.pk if lot else None,
            },
        )
    return document


def remove_tender_document(*, document: TenderDocument, acting_user) -> None:
    """Withdraw a document before the announcement (the row stays, no longer offered)."""
    project = document.project
    organisation = _project_staff_org(acting_user, project)
    if project.lots.exclude(state=LotState.DRAFT).exists():
        raise InvalidTransition(LOT_NOT_DRAFT)
    with transaction.atomic():
        document = TenderDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
        document.is_current = False
        document._history_user = acting_user
        document._change_reason = gettext_noop("withdrawn")
        document.save()
        record_event(
            action="procurement.documents.withdrawn",
            actor=acting_user,
            organisation=organisation,
            subject=project,
            data={"document": document.pk, "title": document.title},
        )


def record_download(*, document: TenderDocument, acting_user) -> DocumentDownload:
    """A signed-in supplier takes the documents of an announced lot: a potential bidder."""
    organisation = organisation_of(acting_user)
    if role_of(acting_user) != OrganisationKind.SUPPLIER or organisation is None:
        raise PermissionDenied(NOT_A_SUPPLIER)
    if not document.is_current:
        raise InvalidTransition(DOCUMENTS_NOT_AVAILABLE)
    lots = [document.lot] if document.lot else list(document.project.lots.all())
    now = timezone.now()
    open_lots = [lot for lot in lots if lot.state == LotState.ANNOUNCED]
    if not open_lots:
        raise InvalidTransition(DOCUMENTS_NOT_AVAILABLE)
    if not any(lot.documents_provided(now) for lot in open_lots):
        until = max((lot.documents_until for lot in open_lots if lot.documents_until), default=None)
        if until is None:
            raise InvalidTransition(DOCUMENTS_NOT_AVAILABLE)
        raise InvalidTransition(PROVISION_ENDED % {"until": format_moment(until)})
    return DocumentDownload.objects.create(
        project=document.project,
        lot=document.lot,
        document=document,
        supplier=organisation,
        user=acting_user,
        downloaded_at=now,
    )


def counts_document_takers(method: str) -> bool:
    """Whether the provision period's end is checked for too few takers (tenders, O87 Art 18)."""
    return method == ProcurementMethod.PUBLIC_TENDER


def document_takers(lot: Lot) -> int:
    """How many suppliers obtained the documents of the lot (its own or the project's)."""
    return (
        DocumentDownload.objects.filter(project_id=lot.project_id)
        .filter(Q(lot__isnull=True) | Q(lot=lot))
        .values("supplier")
        .distinct()
        .count()
    )


def check_document_takers(clock) -> None:
    """Due action of the "procurement.documents_provision" clock (subject: the lot).

    At the end of the provision period of a tender lot still open for bids, fewer than three
    suppliers having obtained the documents, its purchaser and agency are told that they may
    extend the period by a correction announcement (O87 Art 18). Idempotent: the sweeper runs
    it once, and a period extended since (a new clock) is left to its own clock.
    """
    now = timezone.now()
    lot = (
        Lot.objects.select_related("project", "project__purchaser", "project__agency")
        .filter(pk=clock.subject_id)
        .first()
    )
    if lot is None or lot.state != LotState.ANNOUNCED or lot.documents_until is None:
        return
    if lot.documents_until > now:
        return
    takers = document_takers(lot)
    if takers >= MIN_DOCUMENT_TAKERS:
        return
    project = lot.project
    record_event(
        action="procurement.lot.few_document_takers",
        actor=None,
        organisation=project.agency or project.purchaser,
        subject=lot,
        data={"takers": takers, "documents_until": lot.documents_until.isoformat()},
    )
    for organisation in dict.fromkeys(o for o in (project.purchaser, project.agency) if o):
        notify_organisation(
            organisation=organisation,
            kind=FEW_DOCUMENT_TAKERS,
            context={
                "lot": str(lot),
                "takers": takers,
                "until": format_moment(lot.documents_until),
                "deadline": format_moment(lot.announced_deadline()),
                "url": reverse("procurement:project_correct", args=[project.pk]),
            },
            subject=lot,
        )


# --------------------------------------------------------------------------------------------
# The bid deadline


def close_lot(*, lot_id: int, at: dt.datetime | None = None) -> bool:
    """Close bidding on a lot at its deadline; idempotent (the clock's due action calls it).

    Returns True if this call closed the lot, False if there was nothing to do (already closed,
    cancelled, suspended, or the deadline was moved later after the clock fell due).
    """
    now = at or timezone.now()
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk=lot_id)
            .first()
        )
        if lot is None or not can_proceed(lot.close):
            return False
        if lot.bid_deadline is None or lot.bid_deadline > now:
            return False
        lot.close(at=now)
        lot._change_reason = gettext_noop("bid deadline")
        lot.save()
        close_notifications(kinds=[FEW_DOCUMENT_TAKERS], subject=lot, at=now)
        record_event(
            action="procurement.lot.closed",
            actor=None,
            organisation=lot.project.agency or lot.project.purchaser,
            subject=lot,
            data={"bid_deadline": lot.bid_deadline.isoformat(), "closed_at": now.isoformat()},
        )
        lot_closed.send(sender=Lot, lot=lot, at=now)
    return True


def close_lot_at_deadline(clock) -> None:
    """The due action of the "procurement.bid_deadline" clock."""
    close_lot(lot_id=clock.subject_id)
