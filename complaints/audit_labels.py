"""Labels of the audit actions complaints records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "complaints.inquiry.asked": _("Inquiry received"),
        "complaints.inquiry.answered": _("Inquiry answered"),
        "complaints.question.filed": _("Question received"),
        "complaints.question.replied": _("Question replied to"),
        "complaints.complaint.filed": _("Complaint received"),
        "complaints.complaint.correction_requested": _("Complaint correction requested"),
        "complaints.complaint.corrected": _("Complaint corrected"),
        "complaints.complaint.refused": _("Complaint not accepted"),
        "complaints.complaint.accepted": _("Complaint accepted"),
        "complaints.complaint.sent_to_respondent": _("Complaint sent to the respondent"),
        "complaints.complaint.answered": _("Complaint answered by the respondent"),
        "complaints.complaint.decided": _("Complaint decided"),
        "complaints.complaint.referred": _("Complaint sent for testing or expert review"),
        "complaints.complaint.referral_returned": _("Testing or expert review answered"),
        "complaints.complaint.published": _("Complaint decision published"),
        "complaints.complaint.withdrawn": _("Complaint withdrawn"),
        "complaints.procurement.suspended": _("Procurement suspended for a complaint"),
        "complaints.procurement.resumed": _("Procurement resumed after a suspension"),
        "complaints.complainant.flagged": _(
            "Complainant flagged for repeated groundless complaints"
        ),
    }
)
