"""Labels of the audit actions policy records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "policy.reserve.declared": _("832 reserve declared"),
        "policy.orders.imported": _("832 orders imported"),
    }
)
