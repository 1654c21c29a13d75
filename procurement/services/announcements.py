"""Announcements (公告): the tender announcement, corrections and cancellations.

Every notice is rendered from the structured snapshot in Announcement.data, built here at the
moment of publication; its PDF is made by a Celery task after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation
from audit.services import record_event
from common.errors import InvalidTransition
from documents.pdf import render_pdf
from documents.services import store_bytes
from notifications.services import close_notifications, notify_bureau, notify_organisation
from timers.services import cancel_clock, start_clock

from ..legal import (
    check_bid_deadline,
    clarification_parameter,
    deadline_must_move,
    describe,
    documents_provided_until,
    early_announcement_message,
    first_announcement_moment,
    format_moment,
    notice_period_end,
    notice_period_parameter,
    provision_parameter,
)
from ..models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    DocumentDownload,
    Lot,
    LotState,
    ProcurementMethod,
    Project,
    TenderDocument,
)
from ..parameters import Parameter
from ..signals import procurement_cancelled
from ..tasks import render_announcement_pdf_task
from ._base import refuse_if
from .intentions import BAD_PHONE, is_phone_number
from .projects import (
    BID_DEADLINE_CLOCK,
    DOCUMENTS_PROVISION_CLOCK,
    FEW_DOCUMENT_TAKERS,
    _project_staff_org,
    add_tender_document,
    counts_document_takers,
    earliest_announcement,
    lot_problems,
    lot_values_of,
)

ANNOUNCEMENT_PDF_USE = "procurement.announcement_pdf"

NOTHING_TO_ANNOUNCE = gettext_lazy("No lot of this project is waiting to be announced.")
NOTHING_TO_CORRECT = gettext_lazy("A correction needs a lot that is open for bidding.")
NOTHING_TO_CANCEL = gettext_lazy("No lot of this project can be cancelled.")
NOTHING_CORRECTED = gettext_lazy(
    "The correction changes nothing: enter a new bid deadline, a new contact person or phone, "
    "add or withdraw a document, or describe the other changes."
)
DOCUMENTS_CHANGE_WITHOUT_FILE = gettext_lazy(
    "You ticked that the tender documents change, but no document is added or withdrawn: upload "
    "the new or replacement document, or tick the documents withdrawn."
)
CANCEL_REASON_REQUIRED = gettext_lazy("Give the reason for cancelling the procurement.")
ONLY_EXTEND = gettext_lazy("A correction may move the bid deadline later, not earlier.")
PROVISION_ONLY_EXTEND = gettext_lazy(
    "A correction may extend the period the tender documents are provided (now until "
    "%(until)s), not shorten it."
)
PROVISION_IN_PAST = gettext_lazy(
    "The new end of the period the tender documents are provided must lie in the future."
)
PROVISION_PAST_DEADLINE = gettext_lazy(
    "The tender documents cannot be provided past the bid deadline (%(deadline)s): move the "
    "bid deadline too, or end the provision period by then."
)


# --------------------------------------------------------------------------------------------
# Snapshots


def _iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in Beijing time, as the notice states it."""
    return timezone.localtime(moment).isoformat() if moment else None


def _money(value) -> str | None:
    return None if value is None else str(value)


def _organisation(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "name": org.name,
        "address": org.address,
        "contact_phone": org.contact_phone,
        "region_name": org.region_name,
    }


def _project_snapshot(project: Project) -> dict[str, Any]:
    plan = project.plan
    intention = plan.intention
    return {
        "code": project.code,
        "name": project.name,
        "kind": project.kind,
        "method": project.method,
        "budget": _money(project.budget),
        "sme_mode": project.sme_mode,
        "contact_name": project.contact_name,
        "contact_phone": project.contact_phone,
        "purchaser": _organisation(project.purchaser),
        "agency": _organisation(project.agency),
        "intention": (
            {"project_name": intention.project_name, "published_at": _iso(intention.published_at)}
            if intention
            else None
        ),
        "exemption_reason": plan.exemption_reason if plan.intention_exempt else "",
    }


def _lot_snapshot(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "number": lot.number,
        "name": lot.name,
        "kind": lot.kind,
        "budget": _money(lot.budget),
        "max_price": _money(lot.max_price),
        "sme_reserved": lot.sme_reserved,
        "qualification_requirements": lot.qualification_requirements,
        "evaluation_method": lot.evaluation_method,
        "price_weight": _money(lot.price_weight),
        "sme_deduction": _money(lot.sme_deduction),
        "criteria": [
            {"name": c.name, "points": _money(c.points), "description": c.description}
            for c in lot.criteria.all()
        ],
        "bid_deadline": _iso(lot.bid_deadline),
        "documents_until": _iso(lot.documents_until),
        "opening_at": _iso(lot.opening_at),
        "decryption_window_minutes": lot.decryption_window_minutes,
    }


def _document_snapshot(document: TenderDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "lot": document.lot.number if document.lot else None,
        "size": document.file.size,
        "sha256": document.file.sha256,
        "kind": document.file.kind,
    }


def current_documents(project: Project) -> list[TenderDocument]:
    return list(
        TenderDocument.objects.filter(project=project, is_current=True)
        .select_related("file", "lot")
        .order_by("lot__number", "created", "id")
    )


def _search_text(project: Project, title: str, lots: Iterable[Lot], extra: str = "") -> str:
    parts = [
        title,
        project.code,
        project.name,
        project.purchaser.name,
        project.agency.name if project.agency else "",
        *(lot.name for lot in lots),
        extra,
    ]
    return " ".join(p for p in parts if p)


def _title(kind: str, project: Project) -> str:
    """Titles are stored in the site's language: the notice is an official Chinese document."""
    with translation.override(settings.LANGUAGE_CODE):
        if kind == AnnouncementKind.TENDER:
            return _("%(name)s %(method)s announcement") % {
                "name": project.name,
                "method": project.get_method_display(),
            }
        return _("%(name)s %(kind)s") % {
            "name": project.name,
            "kind": AnnouncementKind(kind).label,
        }


def publish_announcement(
    *,
    kind: str,
    project: Project,
    data: dict[str, Any],
    acting_user,
    organisation: Organisation,
    lots: list[Lot],
    lot: Lot | None = None,
    at: dt.datetime,
    extra_search: str = "",
) -> Announcement:
    """Create a published notice (inside the caller's transaction) and queue its PDF."""
    title = _title(kind, project)
    announcement = Announcement(
        kind=kind,
        project=project,
        lot=lot,
        title=title,
        purchaser=project.purchaser,
        agency=project.agency,
        region_code=project.purchaser.region_code,
        method=project.method,
        budget=project.budget if lot is None else lot.budget,
        data={**data, "published_at": _iso(at), "title": title},
        search_text=_search_text(project, title, lots, extra_search),
        status=AnnouncementStatus.PUBLISHED,
        published_at=at,
        created_by=acting_user,
    )
    announcement._history_user = acting_user
    announcement.save()
    announcement.lots.set(lots)
    record_event(
        action="procurement.announcement.published",
        actor=acting_user,
        organisation=organisation,
        subject=announcement,
        data={"kind": kind, "project": project.code, "title": title},
    )
    render_announcement_pdf_task.delay_on_commit(announcement.pk)
    return announcement


def lot_page_url(announcement: Announcement) -> str:
    """Where a supplier told about a notice reads it with the lot's documents and answers."""
    project = announcement.project
    lot = announcement.lot or (project.lots.order_by("number").first() if project else None)
    if lot is None:  # notices are published only for a project's lots, made with the project
        raise ValueError(f"Announcement {announcement.pk}: its project has no lot.")
    return reverse("procurement:tender_lot", args=[lot.pk])


def _first_tender_announcement(project: Project) -> Announcement | None:
    return (
        Announcement.objects.filter(project=project, kind=AnnouncementKind.TENDER)
        .order_by("published_at", "id")
        .first()
    )


def _notify_downloaders(
    project: Project,
    *,
    kind: str,
    context: dict,
    subject,
    also: Organisation | None = None,
    event: str = "",
) -> set[int]:
    """IR Art 31: a change reaches, in writing, everyone who obtained the documents.

    Returns the ids of the organisations told, so nobody is told of the same event twice.
    """
    supplier_ids = set(
        DocumentDownload.objects.filter(project=project)
        .values_list("supplier_id", flat=True)
        .distinct()
    )
    if also is not None:
        supplier_ids.add(also.pk)
    for supplier in Organisation.objects.filter(pk__in=supplier_ids).order_by("pk"):
        notify_organisation(
            organisation=supplier, kind=kind, context=context, subject=subject, event=event
        )
    return supplier_ids


# --------------------------------------------------------------------------------------------
# Tender announcement


def announcement_problems(project: Project, lots: list[Lot], *, at: dt.datetime) -> list[str]:
    """Every rule that refuses announcing these lots now."""
    problems: list[str] = []
    plan = project.plan
    intention = plan.intention
    # 财库〔2020〕10号: the intention is public at least 30 days before the procurement starts.
    if intention is not None and not plan.intention_exempt:
        if intention.published_at is None:
            problems.append(_("The procurement intention has not been published."))
        elif at < first_announcement_moment(intention.published_at):
            problems.append(early_announcement_message(intention.published_at))
    documents = current_documents(project)
    # The bid period runs from the announcement: while the intention's 30 days run, from their
    # end, so a deadline that will be too short then is named now (walk item 11).
    issued_at = earliest_announcement(project, now=at)
    for lot in lots:
        prefix = _("Lot %(number)s: ") % {"number": lot.number}
        values = lot_values_of(lot)
        for problem in lot_problems(lot, values, method=project.method, issued_at=issued_at):
            problems.append(prefix + problem)
        if not any(d.lot_id in (None, lot.pk) for d in documents):
            problems.append(prefix + _("Upload the tender documents."))
    return problems


def _period_snapshot(parameter: Parameter | None, ends: dt.datetime | None) -> dict | None:
    """A period as the notice states it: its length and source, and its last day (the period
    ends at 24:00 of it, `ends` being 00:00 of the day after)."""
    if parameter is None or ends is None:
        return None
    return {
        "days": parameter.days,
        "working": parameter.working,
        "source": parameter.source,
        "ends": _iso(ends),
        "last_day": (timezone.localtime(ends) - dt.timedelta(days=1)).date().isoformat(),
    }


def tender_announcement_data(project: Project, lots: list[Lot], *, at: dt.datetime) -> dict:
    """The snapshot a tender announcement is rendered from (also for the preview, when the lots
    are not announced yet and their provision periods are computed as announcing now would).

    It states the announcement period (O87 Art 16) and, per lot, until when the documents are
    provided (IR Art 31, O87 Art 18; 财库〔2014〕214号 Art 10).
    """
    method = project.method
    snapshots = []
    for lot in lots:
        snapshot = _lot_snapshot(lot)
        if lot.documents_until is None and lot.bid_deadline is not None:
            snapshot["documents_until"] = _iso(
                documents_provided_until(method=method, issued_at=at, deadline=lot.bid_deadline)
            )
        snapshots.append(snapshot)
    provision = provision_parameter(method)
    # Lots announced together share their provision period unless their deadlines end it.
    groups: dict[str, list[int]] = {}
    for snapshot in snapshots:
        if snapshot["documents_until"]:
            groups.setdefault(snapshot["documents_until"], []).append(snapshot["number"])
    return {
        "project": _project_snapshot(project),
        "lots": snapshots,
        "provision": [
            {"until": until, "lots": numbers if len(groups) > 1 else []}
            for until, numbers in groups.items()
        ],
        "documents": [_document_snapshot(d) for d in current_documents(project)],
        "documents_from": _iso(at),
        "notice_period": _period_snapshot(
            notice_period_parameter(method), notice_period_end(method=method, published_at=at)
        ),
        "provision_minimum": (
            {
                "days": provision.days,
                "working": provision.working,
                "source": provision.source,
                "extensible": counts_document_takers(method),
            }
            if provision
            else None
        ),
    }


def _lock_project_and_lots(project: Project, *states: str) -> tuple[Project, list[Lot]]:
    """Re-read the project and its lots (in `states`, or all) under row locks, lots in order."""
    project = (
        Project.objects.select_related("purchaser", "agency", "plan", "plan__intention")
        .select_for_update(of=("self",))
        .get(pk=project.pk)
    )
    lots = Lot.objects.select_for_update(of=("self",)).filter(project=project)
    if states:
        lots = lots.filter(state__in=states)
    return project, list(lots.order_by("number"))


def publish_tender_announcement(*, project: Project, acting_user) -> Announcement:
    """Announce every draft lot of the project: documents issued now, bidding open."""
    organisation = _project_staff_org(acting_user, project)
    with transaction.atomic():
        project, lots = _lock_project_and_lots(project, LotState.DRAFT)
        if not lots:
            raise InvalidTransition(NOTHING_TO_ANNOUNCE)
        now = timezone.now()
        refuse_if(announcement_problems(project, lots, at=now))
        for lot in lots:
            lot.announce(at=now)
            lot.documents_until = documents_provided_until(
                method=project.method, issued_at=now, deadline=lot.announced_deadline()
            )
            lot._history_user = acting_user
            lot._change_reason = gettext_noop("announced")
            lot.save()
        data = tender_announcement_data(project, lots, at=now)
        announcement = publish_announcement(
            kind=AnnouncementKind.TENDER,
            project=project,
            data=data,
            acting_user=acting_user,
            organisation=organisation,
            lots=lots,
            at=now,
        )
        for lot in lots:
            record_event(
                action="procurement.lot.announced",
                actor=acting_user,
                organisation=organisation,
                subject=lot,
                data={
                    "announcement": announcement.pk,
                    "bid_deadline": _iso(lot.bid_deadline),
                },
            )
            start_clock(
                subject=lot,
                kind=BID_DEADLINE_CLOCK,
                due=lot.announced_deadline(),
                responsible=project.agency or project.purchaser,
                started=now,
            )
            _start_provision_clock(lot, project, started=now)
    return announcement


def _start_provision_clock(lot: Lot, project: Project, *, started: dt.datetime) -> None:
    """A tender lot's provision period ends before its deadline: at its end the staff learn
    whether fewer than three suppliers obtained the documents (O87 Art 18)."""
    if not counts_document_takers(project.method):
        return
    until = lot.documents_until
    if until is None or lot.bid_deadline is None or until >= lot.bid_deadline:
        return
    start_clock(
        subject=lot,
        kind=DOCUMENTS_PROVISION_CLOCK,
        due=until,
        responsible=project.agency or project.purchaser,
        started=started,
    )


# --------------------------------------------------------------------------------------------
# Correction


@dataclass
class CorrectionValues:
    """What a correction changes, as data: each change is applied to the project, its lots and
    documents, so every later notice (rendered from them) says the same as the correction.

    `corrections` is the free-text remark for other changes; an empty contact field keeps it.
    """

    corrections: str = ""
    changes_documents: bool = False
    new_deadline: dt.datetime | None = None
    # A longer period for obtaining the documents (O87 Art 18: when fewer than three took them).
    documents_until: dt.datetime | None = None
    uploads: list[tuple[str, UploadedFile]] = field(default_factory=list)
    withdrawn: list[TenderDocument] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""

    def contact_after(self, project: Project) -> dict[str, str]:
        return {
            "name": self.contact_name.strip() or project.contact_name,
            "phone": self.contact_phone.strip() or project.contact_phone,
        }


def _contact_of(project: Project) -> dict[str, str]:
    return {"name": project.contact_name, "phone": project.contact_phone}


def late_change_message(
    *,
    method: str,
    deadline: dt.datetime,
    earliest: dt.datetime,
    at: dt.datetime,
    new_deadline: dt.datetime | None = None,
) -> str:
    """IR Art 31 (RULES.md B-8): a change published at `at` leaves fewer than 15 days before
    the bid deadline; the deadline must move to `earliest` (15 days after `at`) or later.

    With a new deadline entered, the message speaks of that one, since it is the one refused.
    """
    parameter = clarification_parameter(method)
    assert parameter is not None  # deadline_must_move returned a moment, so the period exists
    values = {
        "period": describe(parameter),
        "deadline": format_moment(deadline),
        "new_deadline": format_moment(new_deadline) if new_deadline else "",
        "at": format_moment(at),
        "earliest": format_moment(earliest),
    }
    if new_deadline is not None:
        return (
            _(
                "The new bid deadline %(new_deadline)s leaves less than %(period)s after this "
                "change is published (%(at)s): a clarification or change of the tender documents "
                "must reach the suppliers at least that long before the bid deadline. Set the new "
                "bid deadline to %(earliest)s or later."
            )
            % values
        )
    return (
        _(
            "This change is published (%(at)s) less than %(period)s before the bid deadline "
            "%(deadline)s: a clarification or change of the tender documents must reach the "
            "suppliers at least that long before the bid deadline. Move the bid deadline to "
            "%(earliest)s or later."
        )
        % values
    )


def correction_problems(
    project: Project, lots: list[Lot], values: CorrectionValues, *, at: dt.datetime
) -> list[str]:
    problems: list[str] = []
    changes_deadline = values.new_deadline is not None and any(
        values.new_deadline != lot.bid_deadline for lot in lots
    )
    changes_contact = values.contact_after(project) != _contact_of(project)
    changes_provision = values.documents_until is not None and any(
        values.documents_until != lot.documents_until for lot in lots
    )
    if not (
        values.corrections.strip()
        or changes_deadline
        or changes_provision
        or changes_contact
        or values.uploads
        or values.withdrawn
        or values.changes_documents
    ):
        problems.append(str(NOTHING_CORRECTED))
    if values.changes_documents and not (values.uploads or values.withdrawn):
        problems.append(str(DOCUMENTS_CHANGE_WITHOUT_FILE))
    if values.contact_phone.strip() and not is_phone_number(values.contact_phone):
        problems.append(str(BAD_PHONE))
    touches_documents = values.changes_documents or values.uploads or values.withdrawn
    for lot in lots:
        prefix = _("Lot %(number)s: ") % {"number": lot.number}
        current = lot.announced_deadline()
        deadline = values.new_deadline or current
        if values.new_deadline is not None:
            if values.new_deadline < current:
                problems.append(prefix + str(ONLY_EXTEND))
            check = check_bid_deadline(
                method=project.method, issued_at=lot.announced_issue_time(), deadline=deadline
            )
            if check is not None:
                problems.append(prefix + check.message)
        if values.documents_until is not None:
            problems += [
                prefix + p for p in _provision_problems(lot, values.documents_until, deadline, at)
            ]
        if touches_documents:
            # IR Art 31 (D214 Art 10): too close to the deadline, the deadline must move.
            earliest = deadline_must_move(method=project.method, deadline=deadline, at=at)
            if earliest is not None:
                problems.append(
                    prefix
                    + late_change_message(
                        method=project.method,
                        deadline=current,
                        earliest=earliest,
                        at=at,
                        new_deadline=values.new_deadline,
                    )
                )
    return problems


def _provision_problems(
    lot: Lot, until: dt.datetime, deadline: dt.datetime, at: dt.datetime
) -> list[str]:
    """A new end of the documents' provision period: later than now and than the current end,
    and not past the bid deadline (the deadline ends any provision)."""
    problems = []
    if until <= at:
        problems.append(str(PROVISION_IN_PAST))
    elif lot.documents_until is not None and until < lot.documents_until:
        problems.append(PROVISION_ONLY_EXTEND % {"until": format_moment(lot.documents_until)})
    if until > deadline:
        problems.append(PROVISION_PAST_DEADLINE % {"deadline": format_moment(deadline)})
    return problems


def earliest_deadline_after_change(project: Project, *, at: dt.datetime) -> dt.datetime | None:
    """For the form: the earliest deadline a document change made now requires, if any lot needs one."""
    moves: list[dt.datetime] = []
    for lot in project.lots.filter(state=LotState.ANNOUNCED):
        move = deadline_must_move(method=project.method, deadline=lot.announced_deadline(), at=at)
        if move is not None:
            moves.append(move)
    return max(moves) if moves else None


def publish_correction(*, project: Project, values: CorrectionValues, acting_user) -> Announcement:
    """Publish a correction (更正公告) of the announced lots; it may move the bid deadline."""
    organisation = _project_staff_org(acting_user, project)
    with transaction.atomic():
        project, lots = _lock_project_and_lots(project, LotState.ANNOUNCED)
        if not lots:
            raise InvalidTransition(NOTHING_TO_CORRECT)
        now = timezone.now()
        refuse_if(correction_problems(project, lots, values, at=now))

        added = [
            add_tender_document(
                project=project,
                upload=upload,
                title=title,
                acting_user=acting_user,
                by_correction=True,
            )
            for title, upload in values.uploads
        ]
        for document in values.withdrawn:
            document.is_current = False
            document._history_user = acting_user
            document._change_reason = gettext_noop("withdrawn by correction")
            document.save()
        contact_before = _contact_of(project)
        contact_after = values.contact_after(project)
        contact_change = None
        if contact_after != contact_before:
            contact_change = {"before": contact_before, "after": contact_after}
            project.contact_name = contact_after["name"]
            project.contact_phone = contact_after["phone"]
            project._history_user = acting_user
            project._change_reason = gettext_noop("contact changed by correction")
            project.save(update_fields=["contact_name", "contact_phone", "modified"])
            record_event(
                action="procurement.project.contact_changed",
                actor=acting_user,
                organisation=organisation,
                subject=project,
                data=contact_change,
            )
        changes = []
        if values.new_deadline is not None:
            for lot in lots:
                if lot.bid_deadline == values.new_deadline:
                    continue
                changes.append(
                    {
                        "lot": lot.number,
                        "before": _iso(lot.bid_deadline),
                        "after": _iso(values.new_deadline),
                    }
                )
                _move_deadline(lot, values.new_deadline, acting_user, organisation, at=now)
        provision_changes = []
        if values.documents_until is not None:
            for lot in lots:
                if lot.documents_until == values.documents_until:
                    continue
                provision_changes.append(
                    {
                        "lot": lot.number,
                        "before": _iso(lot.documents_until),
                        "after": _iso(values.documents_until),
                    }
                )
                _extend_provision(lot, values.documents_until, acting_user, organisation, at=now)
        first = _first_tender_announcement(project)
        data = {
            "project": _project_snapshot(project),
            "original": {
                "title": first.title if first else "",
                "published_at": _iso(first.published_at) if first else None,
            },
            # The remark for other changes (before structured corrections, all of it).
            "corrections": values.corrections.strip(),
            "changes_documents": bool(added or values.withdrawn),
            "deadline_changes": changes,
            "provision_changes": provision_changes,
            "contact_change": contact_change,
            "documents_added": [_document_snapshot(d) for d in added],
            "documents_withdrawn": [_document_snapshot(d) for d in values.withdrawn],
            "lots": [_lot_snapshot(lot) for lot in lots],
        }
        announcement = publish_announcement(
            kind=AnnouncementKind.CORRECTION,
            project=project,
            data=data,
            acting_user=acting_user,
            organisation=organisation,
            lots=lots,
            at=now,
            extra_search=values.corrections,
        )
        _notify_downloaders(
            project,
            kind="procurement.documents_changed",
            context={
                "project": project.name,
                "code": project.code,
                "title": announcement.title,
                "url": lot_page_url(announcement),
            },
            subject=announcement,
        )
    return announcement


def _move_deadline(
    lot: Lot, deadline: dt.datetime, acting_user, organisation, *, at: dt.datetime
) -> None:
    before = lot.bid_deadline
    lot.bid_deadline = deadline
    if lot.documents_until is not None and lot.documents_until == before:
        # Documents provided until the deadline (a method with no shorter minimum) stay so.
        lot.documents_until = deadline
    lot._history_user = acting_user
    lot._change_reason = gettext_noop("bid deadline moved")
    lot.save()
    # The clock follows the deadline: the old one is cancelled, a new one starts.
    cancel_clock(subject=lot, kind=BID_DEADLINE_CLOCK)
    start_clock(
        subject=lot,
        kind=BID_DEADLINE_CLOCK,
        due=deadline,
        responsible=lot.project.agency or lot.project.purchaser,
        started=at,
    )
    record_event(
        action="procurement.lot.deadline_moved",
        actor=acting_user,
        organisation=organisation,
        subject=lot,
        data={"before": _iso(before), "after": _iso(deadline)},
    )


def _extend_provision(
    lot: Lot, until: dt.datetime, acting_user, organisation, *, at: dt.datetime
) -> None:
    """A correction extends the period the documents are provided; the check of the number of
    takers follows the new end (O87 Art 18)."""
    before = lot.documents_until
    lot.documents_until = until
    lot._history_user = acting_user
    lot._change_reason = gettext_noop("documents provision extended")
    lot.save()
    cancel_clock(subject=lot, kind=DOCUMENTS_PROVISION_CLOCK)
    _start_provision_clock(lot, lot.project, started=at)
    close_notifications(kinds=[FEW_DOCUMENT_TAKERS], subject=lot, at=at)
    record_event(
        action="procurement.lot.provision_extended",
        actor=acting_user,
        organisation=organisation,
        subject=lot,
        data={"before": _iso(before), "after": _iso(until)},
    )


def move_deadline_for_answer(
    lots: list[Lot], deadline: dt.datetime, acting_user, organisation, *, at: dt.datetime
) -> list[dict]:
    """Used by the clarification answer: move each lot's deadline; the changes for the notice."""
    changes = []
    for lot in lots:
        if lot.bid_deadline == deadline:
            continue
        changes.append(
            {"lot": lot.number, "before": _iso(lot.bid_deadline), "after": _iso(deadline)}
        )
        _move_deadline(lot, deadline, acting_user, organisation, at=at)
    return changes


# --------------------------------------------------------------------------------------------
# Cancellation


def cancel_procurement(*, project: Project, reason: str, acting_user) -> Announcement | None:
    """Cancel every lot still under way; announced lots get a cancellation notice (终止公告)."""
    organisation = _project_staff_org(acting_user, project)
    if not reason.strip():
        raise InvalidTransition(CANCEL_REASON_REQUIRED)
    with transaction.atomic():
        project, lots = _lock_project_and_lots(project)
        lots = [lot for lot in lots if lot.is_cancellable]
        if not lots:
            raise InvalidTransition(NOTHING_TO_CANCEL)
        now = timezone.now()
        was_public = [lot for lot in lots if lot.state != LotState.DRAFT]
        for lot in lots:
            previous = lot.state
            lot.cancel(at=now)
            lot._history_user = acting_user
            lot._change_reason = gettext_noop("cancelled")
            lot.save()
            cancel_clock(subject=lot, kind=BID_DEADLINE_CLOCK)
            cancel_clock(subject=lot, kind=DOCUMENTS_PROVISION_CLOCK)
            record_event(
                action="procurement.lot.cancelled",
                actor=acting_user,
                organisation=organisation,
                subject=lot,
                data={"reason": reason.strip(), "previous_state": previous},
            )
        if not was_public:
            return None
        first = _first_tender_announcement(project)
        data = {
            "project": _project_snapshot(project),
            "original": {
                "title": first.title if first else "",
                "published_at": _iso(first.published_at) if first else None,
            },
            "reason": reason.strip(),
            "lots": [_lot_snapshot(lot) for lot in was_public],
        }
        announcement = publish_announcement(
            kind=AnnouncementKind.CANCELLATION,
            project=project,
            data=data,
            acting_user=acting_user,
            organisation=organisation,
            lots=was_public,
            at=now,
            extra_search=reason,
        )
        context = {
            "project": project.name,
            "code": project.code,
            "title": announcement.title,
            "reason": reason.strip(),
            "url": lot_page_url(announcement),
        }
        # O87 Art 29: the potential bidders who obtained the documents are told in writing, and
        # the cancellation and its reason are reported to the finance bureau.
        event = f"procurement.procurement_cancelled:{announcement.pk}"
        told = _notify_downloaders(
            project,
            kind="procurement.procurement_cancelled",
            context={**context, "audience": "obtained"},
            subject=announcement,
            event=event,
        )
        notify_bureau(
            kind="procurement.procurement_cancelled",
            context={**context, "audience": "bureau", "purchaser": project.purchaser.name},
            subject=announcement,
            event=event,
        )
        # The bidders (bidding, a higher app) are told too, each once.
        procurement_cancelled.send(
            sender=Project,
            project=project,
            lots=was_public,
            announcement=announcement,
            context=context,
            told=frozenset(told),
        )
    return announcement


# --------------------------------------------------------------------------------------------
# Failure (废标)


def publish_failure_notice(*, lot: Lot, reason: str, basis: str, at: dt.datetime) -> Announcement:
    """Publish the failure notice (废标公告) of a lot that failed, with its reason.

    Called by the app that failed the lot (the opening, later the evaluation) inside the
    transaction that failed it; it tells the bidders itself (GPL Art 36: "废标后，采购人应当将
    废标理由通知所有投标人"), with this notice's link. `basis` cites the rule that failed it.
    """
    project = Project.objects.select_related("purchaser", "agency", "plan", "plan__intention").get(
        pk=lot.project_id
    )
    first = _first_tender_announcement(project)
    data = {
        "project": _project_snapshot(project),
        "original": {
            "title": first.title if first else "",
            "published_at": _iso(first.published_at) if first else None,
        },
        "lots": [_lot_snapshot(lot)],
        "reason": reason,
        "basis": basis,
        "failed_at": _iso(at),
        # A failed tender is tendered again, or another method approved (GPL Art 37).
        "retender": project.method == ProcurementMethod.PUBLIC_TENDER,
    }
    return publish_announcement(
        kind=AnnouncementKind.FAILURE,
        project=project,
        data=data,
        acting_user=None,
        organisation=project.agency or project.purchaser,
        lots=[lot],
        lot=lot,
        at=at,
        extra_search=reason,
    )


# --------------------------------------------------------------------------------------------
# --- issue 11 (award): the result announcement (中标/成交结果公告) ---------------------------


def publish_result_announcement(
    *, lot: Lot, result: dict[str, Any], acting_user, at: dt.datetime
) -> Announcement:
    """Publish the result announcement of an awarded lot (O87 Art 69; RULES.md E-2).

    Called by evaluation inside the transaction that decides the result; `result` holds what
    evaluation knows (winner, amount, items, committee, the winner's SME declaration, the
    announcement period) and this adds the project and the lot as every notice states them.
    """
    project = Project.objects.select_related("purchaser", "agency", "plan", "plan__intention").get(
        pk=lot.project_id
    )
    first = _first_tender_announcement(project)
    data = {
        "project": _project_snapshot(project),
        "original": {
            "title": first.title if first else "",
            "published_at": _iso(first.published_at) if first else None,
        },
        "lots": [_lot_snapshot(lot)],
        **result,
    }
    winner = result.get("winner") or {}
    return publish_announcement(
        kind=AnnouncementKind.RESULT,
        project=project,
        data=data,
        acting_user=acting_user,
        organisation=project.agency or project.purchaser,
        lots=[lot],
        lot=lot,
        at=at,
        extra_search=str(winner.get("name", "")),
    )


# --- end issue 11 (award) ----------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# PDF


def render_announcement_pdf(*, announcement_id: int) -> Announcement | None:
    """Render the notice's PDF from its data and store it; a second call does nothing."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update(of=("self",))
            .filter(pk=announcement_id, status=AnnouncementStatus.PUBLISHED)
            .first()
        )
        if announcement is None or announcement.pdf_id is not None:
            return announcement
        with translation.override(settings.LANGUAGE_CODE):
            content = render_pdf(
                template_name="procurement/announcements/pdf.html",
                context={"announcement": announcement, "data": announcement.data},
            )
        # A notice published at plan stage has no project code yet: its plan names the file.
        project = announcement.project
        code = project.code if project is not None else f"plan-{announcement.plan_id}"
        announcement.pdf = store_bytes(
            content=content,
            name=f"{code}-{announcement.kind}-{announcement.pk}.pdf",
            use=ANNOUNCEMENT_PDF_USE,
        )
        announcement._change_reason = gettext_noop("pdf rendered")
        announcement.save()
    return announcement
