"""The bureau's admin site: who may enter is decided by accounts.rules, not by `is_staff`.

INSTALLED_APPS lists `accounts.admin_site.BureauAdminConfig` in place of "django.contrib.admin",
so `admin.site` (and every `@admin.register`) is a BureauAdminSite. This module is imported while
the app registry loads: it must not import models.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse


class SaneDatesMixin:
    """Every date the bureau enters in the admin lies within sane years (common/bounds.py):
    a typed 1900 or 9999 is refused with a message, not saved to break a period's arithmetic."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models

        from common.bounds import SANE_DATE, DateWithin

        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if (
            field is not None
            and isinstance(db_field, models.DateField)
            and not any(isinstance(v, DateWithin) for v in field.validators)
        ):
            field.validators.append(SANE_DATE)
        return field


def with_sane_dates(admin_class: type) -> type:
    """The admin class, and each of its inlines, with SaneDatesMixin first."""
    if issubclass(admin_class, SaneDatesMixin):
        return admin_class
    inlines = [with_sane_dates(inline) for inline in getattr(admin_class, "inlines", [])]
    return type(
        admin_class.__name__,
        (SaneDatesMixin, admin_class),
        {"inlines": inlines, "__module__": admin_class.__module__},
    )


class BureauAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        """Every registered admin gets the sane-dates rule (SaneDatesMixin)."""
        return super().register(
            model_or_iterable, with_sane_dates(admin_class or admin.ModelAdmin), **options
        )

    def has_permission(self, request) -> bool:
        """Bureau supervisors and superusers: the perm "accounts.view_bureau_admin"."""
        user = request.user
        return user.is_active and user.has_perm("accounts.view_bureau_admin")

    def login(self, request, extra_context=None):
        """One sign-in page for everyone (with its lockout); others get the Chinese 403 page."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)


class BureauAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.BureauAdminSite"
