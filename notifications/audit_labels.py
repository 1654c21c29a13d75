"""Labels of the audit actions notifications records (audit.labels; imported by ready())."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "notifications.delivery.requeued": _("Delivery requeued"),
        "notifications.reminder_letter.sent": _("Reminder letter sent"),
    }
)
