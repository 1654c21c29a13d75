from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

admin.site.site_header = _("Yangguang Procurement — Finance Bureau Administration")
admin.site.site_title = _("Yangguang Procurement administration")
admin.site.index_title = _("Supervision and administration")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: the static icon."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon),
    # The language switch is CSRF-exempt: the worst a forged request can do is change the
    # display language, and without a token in its form the public pages can be cached whole
    # for anonymous visitors (portal/caching.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("procurement/", include("procurement.urls")),
    path("bidding/", include("bidding.urls")),
    path("experts/", include("experts.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("contracts/", include("contracts.urls")),
    path("complaints/", include("complaints.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("supervision/", include("supervision.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [
        path("__errors__/404/", defaults.page_not_found, {"exception": Exception()}),
        path("__errors__/500/", defaults.server_error),
    ]
