"""Labels of the audit actions evaluation records (audit.labels; imported by EvaluationConfig)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "evaluation.evaluation.started": _("Evaluation started"),
        "evaluation.evaluation.qualification_done": _("Qualification review done"),
        "evaluation.evaluation.compliance_done": _("Compliance review done"),
        "evaluation.evaluation.failed": _("Evaluation failed"),
        "evaluation.declaration.signed": _("No-conflict declaration signed"),
        "evaluation.member.recused": _("Committee member recused"),
        "evaluation.bid_review.qualification_recorded": _("Qualification recorded"),
        "evaluation.bid_review.compliance_recorded": _("Compliance recorded"),
        "evaluation.price_inquiry.asked": _("Price explanation requested"),
        "evaluation.price_inquiry.answered": _("Price explanation given"),
        "evaluation.price_inquiry.decided": _("Price explanation decided"),
        "evaluation.score_sheet.submitted": _("Score sheet submitted"),
        "evaluation.report.submitted": _("Evaluation report submitted"),
        "evaluation.report.signed": _("Evaluation report signed"),
        "evaluation.report.dissented": _("Dissent recorded on the evaluation report"),
        "evaluation.award.confirmed": _("Result confirmed by the purchaser"),
        "evaluation.award.deemed": _("Rank 1 deemed chosen"),
    }
)
