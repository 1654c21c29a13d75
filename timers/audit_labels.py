"""Labels of the audit actions timers records (audit.labels; imported by TimersConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels({"timers.clock.breached": _("Deadline missed")})
