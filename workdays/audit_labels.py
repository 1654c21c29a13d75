"""Labels of the audit actions workdays records (audit.labels; imported by ready())."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "workdays.calendar_year.saved": _("Calendar year saved"),
        "workdays.override.changed": _("Calendar day changed"),
        "workdays.override.recorded": _("Calendar day recorded"),
        "workdays.override.removed": _("Calendar day removed"),
    }
)
