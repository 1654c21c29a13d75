"""Labels of the audit actions financing records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "financing.product.published": _("Financing product published"),
        "financing.product.changed": _("Financing product changed"),
        "financing.application.applied": _("Financing applied for"),
        "financing.application.approved": _("Financing approved"),
        "financing.application.declined": _("Financing declined"),
        "financing.application.disbursed": _("Financing disbursed"),
        "financing.application.repaid": _("Financing repaid"),
        "financing.application.account_changed": _("Collection account changed by the bank"),
        "financing.account_change.drafted": _("Account-change supplement drafted"),
        "financing.account_change.signed_by_party": _(
            "Account-change supplement signed by one party"
        ),
        "financing.account_change.published": _("Account-change supplement signed and published"),
    }
)
