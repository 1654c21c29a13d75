"""Labels of the audit actions experts records (audit.labels; imported by ExpertsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "experts.committee.completed": _("Evaluation committee complete"),
        "experts.committee.formed": _("Evaluation committee formed"),
        "experts.draw.made": _("Experts drawn"),
        "experts.expert.imported": _("Expert imported"),
        "experts.member.accepted": _("Invitation to evaluate accepted"),
        "experts.member.declined": _("Invitation to evaluate declined"),
        "experts.member.expired": _("Invitation to evaluate expired"),
        "experts.member.invited": _("Expert invited to evaluate"),
        "experts.member.removed": _("Committee member recused"),
        "experts.unavailability.added": _("Unavailability added"),
        "experts.unavailability.removed": _("Unavailability removed"),
    }
)
