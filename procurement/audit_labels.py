"""Labels of the audit actions procurement records (audit.labels; imported by ready())."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "procurement.announcement.published": _("Announcement published"),
        "procurement.clarification.answered": _("Clarification answered"),
        "procurement.clarification.asked": _("Question asked"),
        "procurement.documents.added": _("Tender documents added"),
        "procurement.documents.withdrawn": _("Tender documents withdrawn"),
        "procurement.intention.created": _("Procurement intention created"),
        "procurement.intention.published": _("Procurement intention published"),
        "procurement.intention.updated": _("Procurement intention edited"),
        "procurement.lot.announced": _("Lot announced"),
        "procurement.lot.cancelled": _("Lot cancelled"),
        "procurement.lot.closed": _("Bidding closed"),
        "procurement.lot.deadline_moved": _("Bid deadline moved"),
        "procurement.lot.few_document_takers": _(
            "Fewer than three suppliers obtained the tender documents"
        ),
        "procurement.lot.provision_extended": _("Tender documents provision period extended"),
        "procurement.lot.updated": _("Tender settings changed"),
        "procurement.method_approval.approved": _("Procurement method approved"),
        "procurement.method_approval.rejected": _("Procurement method rejected"),
        "procurement.method_approval.requested": _("Procurement method approval requested"),
        "procurement.method_approval.returned": _("Method approval request returned"),
        "procurement.plan.created": _("Implementation plan created"),
        "procurement.plan.filed": _("Implementation plan filed"),
        "procurement.plan.resubmitted": _("Implementation plan resubmitted"),
        "procurement.plan.returned": _("Implementation plan returned"),
        "procurement.plan.submitted": _("Implementation plan submitted"),
        "procurement.plan.updated": _("Implementation plan edited"),
        "procurement.plan_document.added": _("Plan supporting document added"),
        "procurement.plan_document.removed": _("Plan supporting document removed"),
        "procurement.project.contact_changed": _("Project contact changed"),
        "procurement.project.created": _("Project created"),
        "procurement.single_source_notice.published": _("Single source notice published"),
        "procurement.single_source_notice.reviewed": _(
            "Objections to a single source notice reviewed"
        ),
        "procurement.single_source_objection.filed": _("Objection to a single source notice filed"),
    }
)
