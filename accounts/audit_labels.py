"""Labels of the audit actions accounts records (audit.labels; imported by AccountsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_action_labels

register_action_labels(
    {
        "accounts.demo.seeded": _("Demo data seeded"),
        "accounts.organisation.created": _("Organisation created"),
        "accounts.user.created": _("User created"),
        "accounts.user.signed_in_by_licence": _("Signed in with a business licence"),
    }
)
