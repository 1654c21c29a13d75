"""Labels of the audit actions contracts records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "contracts.contract.drafted": _("Contract drafted"),
        "contracts.contract.draft_changed": _("Contract draft changed"),
        "contracts.contract.commented": _("Comment on the contract draft"),
        "contracts.contract.draft_accepted": _("Contract draft accepted by the supplier"),
        "contracts.contract.signed_by_party": _("Contract signed by one party"),
        "contracts.contract.signed": _("Contract signed by both parties"),
        "contracts.contract.filed": _("Contract announced and filed"),
        "contracts.supplementary.drafted": _("Supplementary contract drafted"),
        "contracts.supplementary.signed_by_party": _("Supplementary contract signed by one party"),
        "contracts.supplementary.signed": _("Supplementary contract signed by both parties"),
    }
)
