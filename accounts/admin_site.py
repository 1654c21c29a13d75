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


class BureauAdminSite(admin.AdminSite):
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
