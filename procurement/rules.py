"""Object permissions for procurement: who may see and change intentions, plans and projects.

A purchaser sees and changes its own; an agency the projects entrusted to it; the bureau sees
everything and files plans; suppliers reach published lots only. Views and admin ask through
`user.has_perm("procurement.<perm>", obj)` (the rules backend is installed), and the access
helpers of selectors.py turn a "no" into 404 (cannot see) or 403 (sees but may not change).
"""

from __future__ import annotations

import rules

from accounts.rules import (
    grant_bureau_permissions,
    is_bureau_supervisor,
    is_purchaser,
)
from accounts.selectors import organisation_of

from .models import IntentionStatus, MethodApprovalStatus, PlanStatus


def _org_id(user) -> int | None:
    organisation = organisation_of(user)
    return organisation.pk if organisation else None


@rules.predicate
def is_own_purchaser(user, obj) -> bool:
    """The user acts for the purchaser of the intention, plan, project or lot."""
    if obj is None:
        return False
    own = _org_id(user)
    return own is not None and own == _purchaser_id(obj)


@rules.predicate
def is_entrusted_agency(user, obj) -> bool:
    """The user acts for the agency the purchaser entrusted with this project or lot."""
    if obj is None:
        return False
    own = _org_id(user)
    return own is not None and own == _agency_id(obj)


@rules.predicate
def is_draft_intention(user, intention) -> bool:
    return intention is not None and intention.status == IntentionStatus.DRAFT


@rules.predicate
def is_editable_plan(user, plan) -> bool:
    return plan is not None and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


@rules.predicate
def is_submitted_plan(user, plan) -> bool:
    return plan is not None and plan.status == PlanStatus.SUBMITTED


@rules.predicate
def is_filed_plan_record(user, obj) -> bool:
    """A filed plan, or a document or method request of one."""
    if obj is None:
        return False
    plan = obj.plan if hasattr(obj, "plan_id") and not hasattr(obj, "purchaser_id") else obj
    return plan.status == PlanStatus.FILED


@rules.predicate
def is_current_document_of_editable_plan(user, document) -> bool:
    return (
        document is not None
        and document.is_current
        and document.plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
    )


@rules.predicate
def is_pending_approval(user, approval) -> bool:
    return approval is not None and approval.status == MethodApprovalStatus.PENDING


@rules.predicate
def has_single_source_notice(user, obj) -> bool:
    """A plan (or a document or method request of one) whose single source notice is
    published: the notice names the plan's agency."""
    if obj is None:
        return False
    plan = obj.plan if hasattr(obj, "plan_id") and not hasattr(obj, "purchaser_id") else obj
    return plan.single_source_notices.exists()


def _purchaser_id(obj) -> int | None:
    if hasattr(obj, "notice_id"):  # an objection to a single source notice
        return _purchaser_id(obj.notice)
    if hasattr(obj, "purchaser_id"):
        return obj.purchaser_id
    if hasattr(obj, "plan_id"):  # a plan's document or method approval
        return obj.plan.purchaser_id
    if hasattr(obj, "project"):  # a Lot
        return obj.project.purchaser_id
    return None


def _agency_id(obj) -> int | None:
    if hasattr(obj, "notice_id"):  # an objection to a single source notice
        return _agency_id(obj.notice)
    if hasattr(obj, "project"):  # a Lot
        return obj.project.agency_id
    if hasattr(obj, "agency_id"):  # a plan or project
        return obj.agency_id
    if hasattr(obj, "plan_id"):  # a plan's document or method approval
        return obj.plan.agency_id
    return None


is_project_staff = is_own_purchaser | is_entrusted_agency

rules.add_perm("procurement.view_intention", is_own_purchaser | is_bureau_supervisor)
rules.add_perm("procurement.change_intention", is_own_purchaser & is_draft_intention)
rules.add_perm("procurement.add_intention", is_purchaser)

# The agency the purchaser entrusted reads the plan once it is filed (read-only): it prepares
# the tender from the plan's method, lots, SME decision and the bureau's approval of the method.
# Before filing the plan is the purchaser's draft and may still name another agency.
plan_entrusted_agency = is_entrusted_agency & is_filed_plan_record

# The single source notice names the agency and its contacts, and objections are addressed to
# purchaser and agency alike (O74 Art 39): from its publication the agency reads the plan too.
plan_entrusted_agency |= is_entrusted_agency & has_single_source_notice

rules.add_perm(
    "procurement.view_plan", is_own_purchaser | is_bureau_supervisor | plan_entrusted_agency
)
rules.add_perm("procurement.change_plan", is_own_purchaser & is_editable_plan)
rules.add_perm("procurement.add_plan", is_purchaser)
rules.add_perm("procurement.file_plan", is_bureau_supervisor & is_submitted_plan)
rules.add_perm(
    "procurement.view_plan_document",
    is_own_purchaser | is_bureau_supervisor | plan_entrusted_agency,
)
rules.add_perm(
    "procurement.change_plan_document", is_own_purchaser & is_current_document_of_editable_plan
)
rules.add_perm(
    "procurement.view_method_approval",
    is_own_purchaser | is_bureau_supervisor | plan_entrusted_agency,
)
# Only the finance department approves a change of method (GPL Art 27).
rules.add_perm("procurement.decide_method_approval", is_bureau_supervisor & is_pending_approval)

# Single source notices: the purchaser publishes and reviews; objections are seen by the
# purchaser, its agency and the bureau (O74 Art 39), never by the public.
rules.add_perm(
    "procurement.view_single_source_notice",
    is_own_purchaser | is_entrusted_agency | is_bureau_supervisor,
)
rules.add_perm("procurement.review_single_source_notice", is_own_purchaser)
rules.add_perm(
    "procurement.view_single_source_objection",
    is_own_purchaser | is_entrusted_agency | is_bureau_supervisor,
)

rules.add_perm("procurement.view_project", is_project_staff | is_bureau_supervisor)
rules.add_perm("procurement.change_project", is_project_staff)
rules.add_perm("procurement.view_lot", is_project_staff | is_bureau_supervisor)
rules.add_perm("procurement.change_lot", is_project_staff)
# The bureau supervises through the admin (RULES.md: the finance department files plans).
rules.add_perm("procurement.view_bureau_pages", is_bureau_supervisor)

# The bureau's admin: every procurement record read-only (states change through the services),
# legal parameters editable (accounts.rules explains the mechanism).
grant_bureau_permissions(
    "procurement",
    [
        "procurementintention",
        "implementationplan",
        "planlot",
        "plandocument",
        "methodapproval",
        "project",
        "lot",
        "evaluationcriterion",
        "tenderdocument",
        "announcement",
        "clarification",
        "documentdownload",
        "singlesourcenotice",
        "singlesourceobjection",
    ],
)
grant_bureau_permissions("procurement", ["legalparameter"], view_only=False)
