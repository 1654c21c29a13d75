"""Reads about experts and committees, the public helpers of the evaluation, and access helpers.

The evaluation (REVIEW, AWARD) asks only these:
`seated_members(lot)`, `member_of(user, lot)`, `committee_complete(lot)`, `leader_of(lot)`,
`committee_names_visible(user, lot)`.

Committee names stay secret until the result announcement (O87 Art 47: "评标委员会成员名单在
评标结果公告前应当保密"): before it only the purchaser, the agency and the bureau see them; an
expert sees its own seat, never the others'.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.selectors import role_of
from procurement.models import Announcement, AnnouncementKind, AnnouncementStatus, Lot

from .models import Committee, Expert, Member, MemberKind, MemberState

__all__ = [
    "assignments_of",
    "committee_complete",
    "committee_names_visible",
    "expert_of",
    "get_invitation_for_user",
    "get_lot_for_committee",
    "is_full",
    "leader_of",
    "member_of",
    "result_published",
    "seated_members",
]


def _committee(lot: Lot | int) -> Committee | None:
    lot_id = lot if isinstance(lot, int) else lot.pk
    return Committee.objects.filter(lot_id=lot_id).first()


def seated_members(lot: Lot | int) -> list[Member]:
    """The accepted seats of the lot's committee (experts and the purchaser's representative),
    the leader first, then in the order they were drawn."""
    lot_id = lot if isinstance(lot, int) else lot.pk
    return list(
        Member.objects.filter(committee__lot_id=lot_id, state=MemberState.ACCEPTED)
        .select_related("user", "committee")
        .order_by("-is_leader", "kind", "pk")
    )


def member_of(user, lot: Lot | int) -> Member | None:
    """The user's accepted seat on the lot's committee, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    lot_id = lot if isinstance(lot, int) else lot.pk
    return (
        Member.objects.filter(committee__lot_id=lot_id, user_id=user.pk, state=MemberState.ACCEPTED)
        .select_related("committee")
        .first()
    )


def is_full(committee: Committee) -> bool:
    """Every seat accepted: the experts drawn and, when named, the purchaser's representative."""
    counts = {
        kind: committee.members.filter(kind=kind, state=MemberState.ACCEPTED).count()
        for kind in MemberKind.values
    }
    representatives = committee.size - committee.expert_seats
    return (
        counts[MemberKind.EXPERT] == committee.expert_seats
        and counts[MemberKind.PURCHASER_REP] == representatives
    )


def leader_of(lot: Lot | int) -> Member | None:
    """The committee's leader (an accepted expert), or None before the committee is complete."""
    lot_id = lot if isinstance(lot, int) else lot.pk
    return (
        Member.objects.filter(
            committee__lot_id=lot_id,
            state=MemberState.ACCEPTED,
            is_leader=True,
            kind=MemberKind.EXPERT,
        )
        .select_related("user")
        .first()
    )


def committee_complete(lot: Lot | int) -> bool:
    """The committee has every seat accepted and its leader: the evaluation may begin."""
    committee = _committee(lot)
    return committee is not None and is_full(committee) and leader_of(lot) is not None


def result_published(lot: Lot | int) -> bool:
    lot_id = lot if isinstance(lot, int) else lot.pk
    return Announcement.objects.filter(
        Q(lot_id=lot_id) | Q(lots=lot_id),
        kind=AnnouncementKind.RESULT,
        status=AnnouncementStatus.PUBLISHED,
    ).exists()


def committee_names_visible(user, lot: Lot) -> bool:
    """Whether `user` may read the names on the lot's committee: the lot's purchaser and agency
    and the bureau; everyone once the result is announced (O87 Art 47)."""
    staff = (
        getattr(user, "is_authenticated", False)
        and role_of(user) != "expert"
        and user.has_perm("experts.view_committee", lot)
    )
    return staff or result_published(lot)


# Access helpers ----------------------------------------------------------------------------------


def get_lot_for_committee(*, user, pk: int, for_write: bool = False) -> Lot:
    """The lot whose committee page `user` opens: its purchaser and agency (who draw) and the
    bureau (who reads); 404 for everyone else, 403 for the bureau writing."""
    from django.core.exceptions import PermissionDenied

    lot = (
        Lot.objects.select_related("project", "project__purchaser", "project__agency", "category")
        .filter(pk=pk)
        .first()
    )
    if lot is None or not user.has_perm("experts.view_committee", lot):
        raise Http404
    if for_write and not user.has_perm("experts.draw_committee", lot):
        raise PermissionDenied
    return lot


def get_invitation_for_user(*, user, pk: int) -> Member:
    """A seat of the signed-in expert (404 for anyone else's)."""
    member = (
        Member.objects.select_related(
            "committee", "committee__lot", "committee__lot__project", "committee__lot__category"
        )
        .filter(pk=pk, user_id=user.pk, kind=MemberKind.EXPERT)
        .first()
    )
    if member is None:
        raise Http404
    return member


def expert_of(user) -> Expert | None:
    if not getattr(user, "is_authenticated", False) or not user.is_expert:
        return None
    return Expert.objects.filter(user=user).first()


def assignments_of(user) -> QuerySet[Member]:
    """The expert's own seats, newest evaluation first: no other member is read."""
    return (
        Member.objects.filter(user_id=user.pk, kind=MemberKind.EXPERT)
        .select_related("committee", "committee__lot", "committee__lot__project")
        .order_by("-committee__evaluation_at", "-pk")
    )


def committee_links(lots, user) -> dict[int, list]:
    """procurement.lot_links provider: the committee page of each announced lot, for its
    purchaser and agency and the bureau. No query: the rules read the lot's project."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from procurement.lot_links import LotLink

    from .services.committee import DRAWABLE_STATES

    links: dict[int, list] = {}
    for lot in lots:
        if lot.state == "draft" or not user.has_perm("experts.view_committee", lot):
            continue
        label = _("Evaluation committee")
        if lot.state in DRAWABLE_STATES and user.has_perm("experts.draw_committee", lot):
            label = _("Evaluation committee (draw)")
        links[lot.pk] = [LotLink(label, reverse("experts:committee", args=[lot.pk]), "committee")]
    return links
