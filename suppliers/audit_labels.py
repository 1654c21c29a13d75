"""Labels of the audit actions suppliers records (audit.labels; imported by ready())."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "suppliers.bank_account.changed": _("Bank account changed"),
        "suppliers.qualification.added": _("Qualification added"),
        "suppliers.qualification.removed": _("Qualification removed"),
        "suppliers.size.changed": _("Enterprise size class declared"),
        "suppliers.size_figures.changed": _("Enterprise size figures changed"),
    }
)
