"""Reads of the public site: only what is published, in a fixed number of queries.

Every object the public reaches by id goes through get_public_announcement or
get_public_intention: a draft is a 404 for everyone on the public site, signed in or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Organisation, OrganisationKind
from procurement.models import Announcement, AnnouncementKind, ProcurementIntention, Project

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What a list row shows; `data` and `search_text` stay in the database (they are large).
ANNOUNCEMENT_LIST_FIELDS = (
    "id",
    "kind",
    "title",
    "method",
    "region_code",
    "budget",
    "published_at",
    "purchaser__id",
    "purchaser__name",
)
INTENTION_LIST_FIELDS = (
    "id",
    "project_name",
    "budget",
    "expected_month",
    "sme_reserved",
    "region_code",
    "published_at",
    "purchaser__id",
    "purchaser__name",
)
HOME_PER_KIND = 6
# The kinds shown on the home page, in order. Clarifications are read with their tender (the
# lot page, the "other notices" of the notice) and in their own list.
HOME_KINDS = (
    AnnouncementKind.TENDER,
    AnnouncementKind.CORRECTION,
    AnnouncementKind.RESULT,
    AnnouncementKind.CONTRACT,
    AnnouncementKind.FAILURE,
    AnnouncementKind.CANCELLATION,
)


def public_announcements() -> QuerySet[Announcement]:
    """Published announcements with what a list row needs (one query, no per-row lookups)."""
    return (
        Announcement.objects.published()
        .select_related("purchaser")
        .only(*ANNOUNCEMENT_LIST_FIELDS)
        .order_by("-published_at", "-id")
    )


def public_intentions() -> QuerySet[ProcurementIntention]:
    return (
        ProcurementIntention.objects.published()
        .select_related("purchaser")
        .only(*INTENTION_LIST_FIELDS)
        .order_by("-published_at", "-id")
    )


def get_public_announcement(*, pk: int) -> Announcement:
    """A published announcement with its purchaser, agency, project (or plan) and lot, or 404."""
    try:
        return (
            Announcement.objects.published()
            .select_related("purchaser", "agency", "project", "plan", "lot")
            .defer("search_text")
            .get(pk=pk)
        )
    except Announcement.DoesNotExist as exc:
        raise Http404("No such announcement") from exc


def get_public_announcement_pdf(*, pk: int):
    """The StoredFile of a published announcement's PDF, or 404 (also while it is rendered)."""
    announcement = (
        Announcement.objects.published().select_related("pdf").only("id", "pdf").filter(pk=pk)
    ).first()
    if announcement is None or announcement.pdf is None:
        raise Http404("No PDF for this announcement")
    return announcement.pdf


def get_public_intention(*, pk: int) -> ProcurementIntention:
    """A published intention with its purchaser, or 404."""
    try:
        return ProcurementIntention.objects.published().select_related("purchaser").get(pk=pk)
    except ProcurementIntention.DoesNotExist as exc:
        raise Http404("No such intention") from exc


def related_announcements(announcement: Announcement, *, limit: int = 10) -> list[Announcement]:
    """The other published notices of the same project (corrections, results…), newest first.

    A notice published at plan stage (the single source notice) has no project: it is related
    to the notices of the project later made from its plan, and they to it.
    """
    project = announcement.project
    if project is not None:
        same = Q(project_id=project.pk) | Q(plan_id=project.plan_id)
    else:
        # Each side an indexed column (no OR across a join): the project made from the plan.
        made = Project.objects.filter(plan_id=announcement.plan_id).values("pk")
        same = Q(plan_id=announcement.plan_id) | Q(project_id__in=made)
    return list(public_announcements().filter(same).exclude(pk=announcement.pk)[:limit])


@dataclass(frozen=True)
class NoticeGroup:
    kind: str
    label: StrOrPromise
    items: list


def latest_notices(*, per_kind: int = HOME_PER_KIND) -> list[NoticeGroup]:
    """The newest notices of each kind: one index-backed query per kind.

    A single query with ROW_NUMBER() OVER (PARTITION BY kind …) would number every published
    row before keeping six per kind; six LIMIT queries each read six index entries of
    (kind, -published_at, -id), which stays flat at any table size.
    """
    base = public_announcements()
    return [
        NoticeGroup(kind, AnnouncementKind(kind).label, list(base.filter(kind=kind)[:per_kind]))
        for kind in HOME_KINDS
    ]


def latest_intentions(*, limit: int = HOME_PER_KIND) -> list[ProcurementIntention]:
    return list(public_intentions()[:limit])


@dataclass(frozen=True)
class PurchaserChoice:
    pk: int
    name: str
    region_code: str
    region_name: str


def purchaser_choices() -> list[PurchaserChoice]:
    """Purchaser organisations for the list filters, with their regions (one query)."""
    rows = (
        Organisation.objects.filter(kind=OrganisationKind.PURCHASER)
        .order_by("name", "id")
        .values_list("id", "name", "region_code", "region_name")
    )
    return [PurchaserChoice(*row) for row in rows]


def region_names(purchasers: list[PurchaserChoice]) -> dict[str, str]:
    return {p.region_code: p.region_name for p in purchasers if p.region_code}
