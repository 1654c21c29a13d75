"""Labels of the audit actions credit records (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "credit.evaluation.assigned": _("Credit evaluation asked of a rater"),
        "credit.evaluation.submitted": _("Credit evaluation given"),
        "credit.evaluation.lapsed": _("Credit evaluation not given in time"),
        "credit.evaluation.scored": _("Credit evaluation scored from the record"),
        "credit.evaluation.rescored": _("Credit evaluation scored from the record again"),
        "credit.appeal.filed": _("Credit evaluation appealed"),
        "credit.appeal.upheld": _("Credit appeal decided: evaluation upheld"),
        "credit.appeal.amended": _("Credit appeal decided: evaluation amended"),
        "credit.grade.changed": _("Credit score or grade changed"),
    }
)
