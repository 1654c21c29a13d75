"""Labels of the audit actions bidding records (audit.labels; imported by BiddingConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "bidding.bid.decrypted": _("Bid decrypted"),
        "bidding.bid.deemed_withdrawn": _("Bid deemed withdrawn"),
        "bidding.bid.integrity_failed": _("Bid failed its integrity check"),
        "bidding.bid.platform_failure_recorded": _("Decryption failure recorded as the platform's"),
        "bidding.bid.remedied": _("Bid decryption remedied"),
        "bidding.bid.replaced": _("Bid replaced"),
        "bidding.bid.submitted": _("Bid submitted"),
        "bidding.bid.withdrawn": _("Bid withdrawn"),
        "bidding.opening.confirmed": _("Opening record confirmed"),
        "bidding.opening.failed": _("Lot failed at the opening"),
        "bidding.opening.finished": _("Opening finished"),
        "bidding.opening.objection": _("Objection to the opening"),
        "bidding.opening.started": _("Opening started"),
        "bidding.opening_rules.changed": _("Opening rules changed"),
        "bidding.receipt.stored": _("Bid receipt stored"),
    }
)
