"""Human labels of the notification kinds, for the bureau's admin.

A kind names a message's templates (notifications/<kind>/subject.txt and body.txt, in the app
that sends it); the admin shows this label beside the stored code, and the code alone for a
kind not listed here (a new kind still shows, only less readably).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "audit.chain_broken": _("Audit chain broken"),
    "bidding.integrity_failed": _("Sealed bid failed its integrity check"),
    "bidding.lot_failed": _("Lot failed"),
    "bidding.opening_objection": _("Objection at the opening"),
    "bidding.opening_record": _("Opening record"),
    "bidding.opening_started": _("Opening started"),
    "bidding.platform_failure": _("Decryption failed through the platform"),
    "evaluation.award_notice": _("Award notice"),
    "evaluation.compliance_due": _("Compliance review begins"),
    "evaluation.lot_failed": _("Procurement failed at the evaluation"),
    "evaluation.member_recused": _("Committee member recused"),
    "evaluation.price_explanation_answered": _("Price explanation answered"),
    "evaluation.price_explanation_asked": _("Price explanation requested"),
    "evaluation.price_explanation_decided": _("Price explanation decided"),
    "evaluation.report_submitted": _("Evaluation report submitted"),
    "evaluation.report_to_sign": _("Evaluation report to sign"),
    "evaluation.result_decided": _("Result decided"),
    "evaluation.result_published": _("Your evaluation result"),
    "evaluation.scoring_due": _("Scoring begins"),
    "evaluation.started": _("Evaluation started: declare no conflict"),
    "experts.committee_complete": _("Evaluation committee complete"),
    "experts.committee_short": _("Evaluation committee short of experts"),
    "experts.invited": _("Invitation to evaluate"),
    "experts.member_removed": _("Committee seat ended"),
    "notifications.reminder_letter": _("Reminder letter"),
    "notifications.test": _("Test message"),
    "notifications.welcome": _("Welcome"),
    "procurement.clarification_published": _("Clarification published"),
    "procurement.documents_changed": _("Tender documents changed"),
    "procurement.few_document_takers": _("Few suppliers obtained the tender documents"),
    "procurement.method_approved": _("Procurement method approved"),
    "procurement.method_rejected": _("Procurement method rejected"),
    "procurement.plan_filed": _("Implementation plan filed"),
    "procurement.plan_returned": _("Implementation plan returned"),
    "procurement.plan_submitted": _("Implementation plan submitted"),
    "procurement.procurement_cancelled": _("Procurement cancelled"),
    "procurement.question_asked": _("Question asked"),
    "procurement.single_source_objection": _("Objection to a single source notice"),
    "procurement.single_source_reviewed": _("Objections to a single source notice reviewed"),
    "timers.breach": _("Deadline missed"),
    "timers.reminder": _("Deadline reminder"),
}


def kind_label(kind: str) -> str:
    """The kind's label, or the code itself when it has none."""
    label = KIND_LABELS.get(kind)
    return kind if label is None else str(label)
