"""Single source because only one supplier can provide it (GPL Art 31(1)), at or above the public
tender threshold: the public notice, the objections and the supplementary review.

1. The purchaser publishes the notice from its plan (publish_single_source_notice), with the
   content O74 Art 38 lists, for at least 5 working days (IR Art 38): a period in which the
   public acts, so it ends at 24:00 of the 5th working day after the publication day.
2. Anyone files an objection in that period (file_objection, O74 Art 39): signed in or not; the
   purchaser, its agency and the bureau (copied, as the article asks) are told at once, and the
   purchaser's review clock starts.
3. After the period the purchaser records its supplementary review within 5 working days
   (record_notice_review, O74 Art 40): upheld, single source is over and a submitted plan goes
   back for another method; not upheld, the opinion goes to the bureau with the request. The
   objectors are told the conclusion.
4. The bureau approves the request only after the period, and after a review that did not uphold
   the objections when there were any (approval_blockers: the approval service refuses, the
   plan page disables the button, both with these messages).

Submitting a plan that needs a notice without one is refused in services/plans.py
(notice_problems), with the plan's other submission rules.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation, OrganisationKind, User
from accounts.selectors import organisation_of
from audit.services import record_event
from common.errors import DeadlinePassed, InvalidTransition
from documents.services import store_file
from notifications.services import close_notifications, notify, notify_bureau, notify_organisation
from timers.models import format_deadline
from timers.services import meet_clock, start_clock

from ..legal import single_source_notice_end, single_source_review_due
from ..models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    ImplementationPlan,
    MethodApproval,
    MethodGround,
    PlanStatus,
    ReviewConclusion,
    SingleSourceNotice,
    SingleSourceObjection,
)
from ..parameters import legal_parameter
from ..tasks import render_announcement_pdf_task
from ._base import refuse_if
from .intentions import BAD_PHONE, is_phone_number
from .plans import (
    NOTICE_UPHELD,
    SINGLE_SOURCE_NOTICE_SOURCE,
    SINGLE_SOURCE_REVIEW_SOURCE,
    _close_undecided_request,
    _require_purchaser_of,
    latest_single_source_notice,
    plan_decided,
    plan_needs_single_source_notice,
)

OBJECTION_ATTACHMENT_USE = "procurement.single_source_objection"
REVIEW_CLOCK = "procurement.single_source_review"
OBJECTION_SOURCE = "《政府采购非招标采购方式管理办法》（财政部令第74号）第三十九条"

NOTICE_NOT_NEEDED = gettext_lazy(
    "This plan needs no single source notice: it is published for single source because only "
    "one supplier can provide it, at or above the public tender threshold (%(source)s)."
)
NOTICE_ALREADY_PUBLISHED = gettext_lazy(
    "A single source notice of this plan is already published (objections until %(end)s)."
)
NOTICE_PLAN_SUBMITTED = gettext_lazy(
    "The plan has been submitted: a single source notice is published while the plan is a "
    "draft or returned, before it goes to the bureau."
)
OBJECTIONS_CLOSED = gettext_lazy(
    "The notice period ended at %(end)s: objections to this single source notice are taken only "
    "within it (%(source)s)."
)
REVIEW_TOO_EARLY = gettext_lazy(
    "The notice period runs until %(end)s and objections may still come: record the "
    "supplementary review after it ends, by %(due)s (%(source)s)."
)
NOTHING_TO_REVIEW = gettext_lazy(
    "No objection was filed against this notice: there is nothing to review."
)
ALREADY_REVIEWED = gettext_lazy("The review of the objections has already been recorded.")
REVIEW_OPINION_REQUIRED = gettext_lazy(
    "Give the review opinion: the reasons for the conclusion, which go to the bureau and to the "
    "objectors."
)
NOTICE_RUNNING = gettext_lazy(
    "The single source notice runs until %(end)s: the bureau may approve single source only "
    "after the notice period, in which anyone may object (%(source)s)."
)
REVIEW_MISSING = gettext_lazy(
    "Objections were filed against the single source notice (%(count)s): the purchaser records "
    "its supplementary review, due by %(due)s, before the bureau may approve (%(source)s)."
)
APPROVAL_WITHOUT_NOTICE = gettext_lazy(
    "No single source notice goes with this request: single source because only one supplier "
    "can provide it, at or above the public tender threshold, is approved only after a notice of "
    "at least %(days)s working days (%(source)s). Return the plan, so that the purchaser "
    "publishes the notice."
)
UPHELD_RETURN_REASONS = gettext_noop(
    "The objections to the single source notice were upheld in the supplementary review: single "
    "source may not be used, and the procurement must take another method (%(source)s). Change "
    "the method and submit the plan again."
)


@dataclass
class ContactValues:
    address: str
    person: str
    phone: str


@dataclass
class ProfessionalValues:
    """A professional who argued the supplier's uniqueness (O74 Art 38(5))."""

    name: str
    employer: str
    title: str
    opinion: str


@dataclass
class NoticeValues:
    """What the notice says (O74 Art 38 (1)–(7)); the period is computed, not entered."""

    project_content: str
    goods_description: str
    reasons: str
    supplier_name: str
    supplier_address: str
    purchaser_contact: ContactValues
    bureau: Organisation | None
    bureau_contact: ContactValues
    agency_contact: ContactValues | None = None
    professionals: list[ProfessionalValues] = field(default_factory=list)


@dataclass
class ObjectionValues:
    name: str
    text: str
    organisation: str = ""
    phone: str = ""
    email: str = ""


# --------------------------------------------------------------------------------------------
# Rules


def _blank(*texts: str) -> bool:
    return any(not text.strip() for text in texts)


def _contact_problems(label: str, contact: ContactValues | None) -> list[str]:
    if contact is None or _blank(contact.address, contact.person, contact.phone):
        return [
            _("Give the %(party)s's contact address, contact person and contact phone.")
            % {"party": label}
        ]
    if not is_phone_number(contact.phone):
        return [_("%(party)s: %(problem)s") % {"party": label, "problem": BAD_PHONE}]
    return []


def notice_values_problems(values: NoticeValues, *, plan: ImplementationPlan) -> list[str]:
    """Every item of O74 Art 38 the notice lacks, each as a message for the purchaser."""
    problems: list[str] = []
    if _blank(values.project_content):
        problems.append(_("Describe the project's content (item 1)."))
    if _blank(values.goods_description):
        problems.append(_("Describe the goods or services to be bought (item 2)."))
    if _blank(values.reasons):
        problems.append(_("Give the reasons for single source and their explanation (item 3)."))
    if _blank(values.supplier_name, values.supplier_address):
        problems.append(_("Give the proposed sole supplier's name and address (item 4)."))
    if not values.professionals:
        problems.append(
            _(
                "Add at least one professional's opinion on why the supplier is the only one "
                "(patents, proprietary technology…), with the professional's name, employer and "
                "title (item 5)."
            )
        )
    for number, person in enumerate(values.professionals, start=1):
        if _blank(person.name, person.employer, person.title, person.opinion):
            problems.append(
                _("Professional %(n)s: give the name, employer, title and specific opinion.")
                % {"n": number}
            )
    problems += _contact_problems(_("purchaser"), values.purchaser_contact)
    if plan.agency is not None:
        problems += _contact_problems(_("procurement agency"), values.agency_contact)
    if values.bureau is None or values.bureau.kind != OrganisationKind.BUREAU:
        problems.append(_("Choose the finance bureau that approves the method (item 7)."))
    problems += _contact_problems(_("finance bureau"), values.bureau_contact)
    return problems


def publish_problems(plan: ImplementationPlan) -> list[str]:
    """Why a notice cannot be published for the plan now (besides its content)."""
    if not plan_needs_single_source_notice(plan):
        return [NOTICE_NOT_NEEDED % {"source": SINGLE_SOURCE_NOTICE_SOURCE}]
    notices = list(plan.single_source_notices.order_by("-period_start", "-id"))
    if any(notice.is_upheld for notice in notices):
        return [NOTICE_UPHELD % {"source": SINGLE_SOURCE_REVIEW_SOURCE}]
    if notices and notices[0].covers(plan):
        return [NOTICE_ALREADY_PUBLISHED % {"end": format_deadline(notices[0].period_end)}]
    if not plan.is_editable:
        return [str(NOTICE_PLAN_SUBMITTED)]
    return []


def notice_blockers(
    notice: SingleSourceNotice, *, at: dt.datetime, objection_count: int | None = None
) -> list[str]:
    """Why the bureau may not approve single source on this notice at `at` (O74 Arts 38–40).

    `objection_count` saves the query when the caller has the objections already.
    """
    if at < notice.period_end:
        return [
            NOTICE_RUNNING
            % {"end": format_deadline(notice.period_end), "source": SINGLE_SOURCE_NOTICE_SOURCE}
        ]
    if notice.is_upheld:
        return [NOTICE_UPHELD % {"source": SINGLE_SOURCE_REVIEW_SOURCE}]
    count = notice.objections.count() if objection_count is None else objection_count
    if count and not notice.is_reviewed:
        return [
            REVIEW_MISSING
            % {
                "count": count,
                "due": format_deadline(notice.review_due),
                "source": SINGLE_SOURCE_REVIEW_SOURCE,
            }
        ]
    return []


def approval_notice(approval: MethodApproval) -> SingleSourceNotice | None:
    """The notice a request goes with: the one it was made with, else the plan's latest (a
    request made before notices were recorded with it)."""
    if approval.single_source_notice is not None:
        return approval.single_source_notice
    return latest_single_source_notice(approval.plan)


def approval_blockers(
    approval: MethodApproval, *, at: dt.datetime, objection_count: int | None = None
) -> list[str]:
    """Why the bureau may not approve this request at `at`: the one rule the approval service
    and the plan page both ask. Only single source on GPL Art 31(1) waits for a notice."""
    if approval.ground != MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER:
        return []
    notice = approval_notice(approval)
    if notice is None:
        days = legal_parameter("single_source_notice_min")
        return [APPROVAL_WITHOUT_NOTICE % {"days": days.days, "source": days.source}]
    return notice_blockers(notice, at=at, objection_count=objection_count)


def objection_values_problems(values: ObjectionValues) -> list[str]:
    problems: list[str] = []
    if _blank(values.name):
        problems.append(_("Give your name."))
    if _blank(values.text):
        problems.append(_("Write the objection."))
    phone, email = values.phone.strip(), values.email.strip()
    if not phone and not email:
        problems.append(
            _("Give a contact phone or an e-mail address, so that you can be told the conclusion.")
        )
    if phone and not is_phone_number(phone):
        problems.append(str(BAD_PHONE))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("Enter a valid e-mail address."))
    return problems


# --------------------------------------------------------------------------------------------
# The notice


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _contact(org: Organisation, contact: ContactValues) -> dict[str, str]:
    return {
        "name": org.name,
        "address": contact.address.strip(),
        "person": contact.person.strip(),
        "phone": contact.phone.strip(),
    }


def notice_data(
    plan: ImplementationPlan, values: NoticeValues, *, start: dt.datetime, end: dt.datetime
) -> dict[str, Any]:
    """The snapshot the notice, its page and its PDF are rendered from."""
    assert values.bureau is not None  # notice_values_problems refuses a notice without one
    period = legal_parameter("single_source_notice_min")
    agency = plan.agency
    return {
        "plan": {
            "id": plan.pk,
            "project_name": plan.project_name,
            "kind": plan.kind,
            "method": plan.method,
            "budget": str(plan.budget),
        },
        "project_content": values.project_content.strip(),
        "goods_description": values.goods_description.strip(),
        "reasons": values.reasons.strip(),
        "supplier": {
            "name": values.supplier_name.strip(),
            "address": values.supplier_address.strip(),
        },
        "professionals": [
            {
                "name": p.name.strip(),
                "employer": p.employer.strip(),
                "title": p.title.strip(),
                "opinion": p.opinion.strip(),
            }
            for p in values.professionals
        ],
        "period": {
            "start": _iso(start),
            "end": _iso(end),
            "working_days": period.days,
            "source": period.source,
        },
        "contacts": {
            "purchaser": _contact(plan.purchaser, values.purchaser_contact),
            "agency": (
                _contact(agency, values.agency_contact)
                if agency is not None and values.agency_contact is not None
                else None
            ),
            "bureau": _contact(values.bureau, values.bureau_contact),
        },
    }


def _title(plan: ImplementationPlan) -> str:
    """Stored in the site's language: the notice is an official Chinese document."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(name)s: single source procurement notice") % {"name": plan.project_name}


def publish_single_source_notice(
    *, plan: ImplementationPlan, values: NoticeValues, acting_user
) -> SingleSourceNotice:
    """Publish the notice on the portal now; objections are taken until its period ends."""
    purchaser = _require_purchaser_of(acting_user, plan)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "agency")
            .get(pk=plan.pk)
        )
        refuse_if(publish_problems(plan) or notice_values_problems(values, plan=plan))
        now = timezone.now()
        end = single_source_notice_end(now)
        title = _title(plan)
        data = notice_data(plan, values, start=now, end=end)
        announcement = Announcement(
            kind=AnnouncementKind.SINGLE_SOURCE_NOTICE,
            plan=plan,
            title=title,
            purchaser=plan.purchaser,
            agency=plan.agency,
            region_code=plan.purchaser.region_code,
            method=plan.method,
            budget=plan.budget,
            data={**data, "published_at": _iso(now), "title": title},
            search_text=" ".join(
                part
                for part in (
                    title,
                    plan.project_name,
                    plan.purchaser.name,
                    plan.agency.name if plan.agency else "",
                    values.supplier_name.strip(),
                )
                if part
            ),
            status=AnnouncementStatus.PUBLISHED,
            published_at=now,
            created_by=acting_user,
        )
        announcement._history_user = acting_user
        announcement.save()
        notice = SingleSourceNotice(
            plan=plan,
            announcement=announcement,
            budget=plan.budget,
            supplier_name=values.supplier_name.strip(),
            period_start=now,
            period_end=end,
            review_due=single_source_review_due(end),
            published_by=acting_user,
        )
        notice._history_user = acting_user
        notice._change_reason = gettext_noop("published")
        notice.save()
        record_event(
            action="procurement.single_source_notice.published",
            actor=acting_user,
            organisation=purchaser,
            subject=notice,
            data={
                "plan": plan.pk,
                "announcement": announcement.pk,
                "budget": str(notice.budget),
                "supplier": notice.supplier_name,
                "period_start": notice.period_start,
                "period_end": notice.period_end,
            },
        )
        render_announcement_pdf_task.delay_on_commit(announcement.pk)
    return notice


# --------------------------------------------------------------------------------------------
# Objections


def _plan_url(plan: ImplementationPlan) -> str:
    return reverse("procurement:plan_detail", args=[plan.pk])


def receipt_url(objection: SingleSourceObjection) -> str:
    return reverse("procurement:objection_receipt", args=[objection.token])


def file_objection(
    *,
    notice: SingleSourceNotice,
    values: ObjectionValues,
    attachment: UploadedFile | None = None,
    acting_user: User | AnonymousUser | None,
) -> SingleSourceObjection:
    """File an objection to the notice in its period: anyone may, signed in or not.

    Raises DeadlinePassed after the period, RulesBroken for missing details, and django's
    ValidationError (from documents.store_file) for a refused attachment.
    """
    refuse_if(objection_values_problems(values))
    user = acting_user if isinstance(acting_user, User) and acting_user.is_authenticated else None
    with transaction.atomic():
        notice = (
            SingleSourceNotice.objects.select_for_update(of=("self",))
            .select_related("plan", "plan__purchaser", "plan__agency", "announcement")
            .get(pk=notice.pk)
        )
        now = timezone.now()  # the server's clock, read under the lock, decides (DESIGN "Time")
        if not notice.is_open(now):
            raise DeadlinePassed(
                OBJECTIONS_CLOSED
                % {"end": format_deadline(notice.period_end), "source": OBJECTION_SOURCE}
            )
        stored = (
            store_file(upload=attachment, use=OBJECTION_ATTACHMENT_USE, acting_user=user)
            if attachment is not None
            else None
        )
        last = notice.objections.aggregate(last=Max("number"))["last"] or 0
        number = last + 1
        objection = SingleSourceObjection(
            notice=notice,
            number=number,
            reference=f"YY{notice.pk:05d}-{number:03d}",
            token=secrets.token_urlsafe(32),
            name=values.name.strip(),
            organisation=values.organisation.strip(),
            phone=values.phone.strip(),
            email=values.email.strip(),
            text=values.text.strip(),
            attachment=stored,
            submitted_by=user,
            submitted_at=now,
        )
        objection._history_user = user
        objection._change_reason = gettext_noop("filed")
        objection.save()
        plan = notice.plan
        record_event(
            action="procurement.single_source_objection.filed",
            actor=user,
            organisation=organisation_of(user) if user else None,
            subject=objection,
            data={
                "notice": notice.pk,
                "plan": plan.pk,
                "reference": objection.reference,
                "name": objection.name,
                "organisation": objection.organisation,
                "attachment": stored.sha256 if stored else None,
            },
        )
        # O74 Art 40: the review is due within 5 working days after the period expires.
        start_clock(
            subject=notice, kind=REVIEW_CLOCK, due=notice.review_due, responsible=plan.purchaser
        )
        context = {
            "plan_name": plan.project_name,
            "reference": objection.reference,
            "objector": objection.name,
            "objector_organisation": objection.organisation,
            "period_end": format_deadline(notice.period_end),
            "review_due": format_deadline(notice.review_due),
            "url": _plan_url(plan),
        }
        for organisation in (plan.purchaser, plan.agency):
            if organisation is not None:
                notify_organisation(
                    organisation=organisation,
                    kind="procurement.single_source_objection",
                    context=context,
                    subject=notice,
                )
        # 同时抄送相关财政部门 (O74 Art 39): the bureau gets its copy at once.
        notify_bureau(kind="procurement.single_source_objection", context=context, subject=notice)
    return objection


# --------------------------------------------------------------------------------------------
# The supplementary review


def record_notice_review(
    *, notice: SingleSourceNotice, upheld: bool, opinion: str, acting_user
) -> SingleSourceNotice:
    """The purchaser records the conclusion of its supplementary review of the objections."""
    purchaser = _require_purchaser_of(acting_user, notice.plan)
    if not opinion.strip():
        raise InvalidTransition(REVIEW_OPINION_REQUIRED)
    with transaction.atomic():
        plan = (
            ImplementationPlan.objects.select_for_update(of=("self",))
            .select_related("purchaser", "agency")
            .get(pk=notice.plan_id)
        )
        notice = SingleSourceNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.is_reviewed:
            raise InvalidTransition(ALREADY_REVIEWED)
        objections = list(notice.objections.select_related("submitted_by"))
        if not objections:
            raise InvalidTransition(NOTHING_TO_REVIEW)
        now = timezone.now()
        if notice.is_open(now):
            raise InvalidTransition(
                REVIEW_TOO_EARLY
                % {
                    "end": format_deadline(notice.period_end),
                    "due": format_deadline(notice.review_due),
                    "source": SINGLE_SOURCE_REVIEW_SOURCE,
                }
            )
        notice.review_conclusion = (
            ReviewConclusion.UPHELD if upheld else ReviewConclusion.NOT_UPHELD
        )
        notice.review_opinion = opinion.strip()
        notice.reviewed_at = now
        notice.reviewed_by = acting_user
        notice._history_user = acting_user
        notice._change_reason = gettext_noop("reviewed")
        notice.save()
        meet_clock(subject=notice, kind=REVIEW_CLOCK, at=now)
        # The objections are reviewed: the messages that asked for it are closed.
        close_notifications(kinds=["procurement.single_source_objection"], subject=notice, at=now)
        record_event(
            action="procurement.single_source_notice.reviewed",
            actor=acting_user,
            organisation=purchaser,
            subject=notice,
            data={
                "plan": plan.pk,
                "conclusion": notice.review_conclusion,
                "opinion": notice.review_opinion,
                "objections": [o.reference for o in objections],
                "late": now > notice.review_due,
            },
        )
        if notice.is_upheld and plan.status == PlanStatus.SUBMITTED:
            _return_for_another_method(plan, acting_user=acting_user, at=now)
        _tell_the_conclusion(notice, plan, objections)
    return notice


def _return_for_another_method(plan: ImplementationPlan, *, acting_user, at) -> None:
    """Upheld: single source cannot go on (O74 Art 40), so the submitted plan comes back."""
    with translation.override(settings.LANGUAGE_CODE):
        reasons = _(UPHELD_RETURN_REASONS) % {"source": SINGLE_SOURCE_REVIEW_SOURCE}
    plan.return_for_correction(at=at, reasons=reasons)
    plan._history_user = acting_user
    plan._change_reason = gettext_noop("objections upheld")
    plan.save()
    plan_decided(plan)
    _close_undecided_request(plan, acting_user=acting_user)
    record_event(
        action="procurement.plan.returned",
        actor=acting_user,
        organisation=plan.purchaser,
        subject=plan,
        data={"reasons": plan.return_reasons, "status": plan.status},
    )


def _tell_the_conclusion(
    notice: SingleSourceNotice, plan: ImplementationPlan, objections: list[SingleSourceObjection]
) -> None:
    """O74 Art 40: the objectors are told the conclusion, the bureau gets the opinion.

    Signed-in objectors by notification; an objector who was not signed in reads it on the
    receipt page it holds the link to.
    """
    context = {
        "plan_name": plan.project_name,
        "purchaser": plan.purchaser.name,
        "conclusion": notice.get_review_conclusion_display(),
        "upheld": notice.is_upheld,
        "opinion": notice.review_opinion,
    }
    told: set[int] = set()
    for objection in objections:
        user = objection.submitted_by
        if user is None or user.pk in told:
            continue
        told.add(user.pk)
        notify(
            recipients=[user],
            kind="procurement.single_source_reviewed",
            context={**context, "reference": objection.reference, "url": receipt_url(objection)},
            subject=notice,
        )
    staff_context = {**context, "reference": "", "url": _plan_url(plan)}
    if plan.agency is not None:
        notify_organisation(
            organisation=plan.agency,
            kind="procurement.single_source_reviewed",
            context=staff_context,
            subject=notice,
        )
    notify_bureau(kind="procurement.single_source_reviewed", context=staff_context, subject=notice)
