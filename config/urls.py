from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Yangguang Procurement — Finance Bureau Administration")
admin.site.site_title = _("Yangguang Procurement administration")
admin.site.index_title = _("Supervision and administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("procurement/", include("procurement.urls")),
    path("bidding/", include("bidding.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [
        path("__errors__/404/", defaults.page_not_found, {"exception": Exception()}),
        path("__errors__/500/", defaults.server_error),
    ]
