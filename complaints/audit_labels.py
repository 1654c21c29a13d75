"""Labels of the audit actions complaints records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "complaints.inquiry.asked": _("Inquiry received"),
        "complaints.inquiry.answered": _("Inquiry answered"),
        "complaints.question.filed": _("Question received"),
        "complaints.question.replied": _("Question replied to"),
    }
)
