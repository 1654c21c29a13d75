from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

QUALIFICATION_USE = "suppliers.qualification"


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from accounts.home import register_organisation_facts
        from accounts.registration import register_supplier_registration_extension
        from documents.uses import MB, register_file_use

        from . import audit_labels  # noqa: F401 - labels its audit actions
        from .registration import size_class_extension, size_class_facts

        register_supplier_registration_extension(size_class_extension)
        register_organisation_facts(size_class_facts)
        register_file_use(
            QUALIFICATION_USE,
            allowed={"pdf", "jpeg", "png"},
            max_bytes=20 * MB,
            label=_("Qualification document"),
        )
