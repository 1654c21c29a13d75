"""The bureau's read-only view of the audit log, an object's trail, and the chain check."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .labels import action_label
from .models import Event
from .selectors import (
    SHANGHAI,
    can_view_events,
    get_subject_trail_for_user,
    subject_trail_url,
    visible_events,
)
from .verify import verify_chain, verify_event

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def shanghai_time(value) -> str:
    return timezone.localtime(value, SHANGHAI).strftime(TIME_FORMAT)


class ActionPrefixFilter(admin.SimpleListFilter):
    """Filter by the app ("procurement"), the object ("procurement.lot") or the action itself."""

    title = _("action")
    parameter_name = "action_prefix"

    def lookups(self, request, model_admin):
        actions = (
            model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        )
        prefixes: set[str] = set()
        for action in actions:
            parts = action.split(".")
            prefixes.update(".".join(parts[:n]) for n in range(1, len(parts)))
        choices = []
        # Each app, its objects, and each action of the log, the latter by label（code）.
        prefixes.update(actions)
        for prefix in sorted(prefixes):
            if prefix.count(".") >= 2:
                label = action_label(prefix)
                choices.append((prefix, f"·· {label}（{prefix}）" if label else f"·· {prefix}"))
            elif "." in prefix:
                choices.append((prefix, f"· {prefix}"))
            else:
                app = apps.get_app_config(prefix) if apps.is_installed(prefix) else None
                label = str(app.verbose_name) if app else prefix
                choices.append((prefix, f"{label} ({prefix})"))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_action_prefix(self.value())
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Look only: no add, change or delete, no actions, for anyone (superusers included)."""

    list_display = ["time", "action_name", "actor", "organisation", "subject_link"]
    list_display_links = ["time"]
    list_filter = [
        ActionPrefixFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "created",
    ]
    search_fields = ["action", "subject_repr", "=subject_object_id"]
    date_hierarchy = "created"
    list_select_related = ["actor", "organisation", "subject_content_type"]
    list_per_page = 50
    show_full_result_count = False  # the log is long; COUNT(*) on every page is wasted work
    actions = None
    fields = (
        "seq",
        "time",
        "action",
        "actor",
        "organisation",
        "subject_link",
        "pretty_data",
        "prev_hash",
        "hash",
        "integrity",
        "canonical",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The list, its count and filters, the date drill-down, the search and each event's page
        # all start here: events about a sealed row (a bid before its opening) are left out for
        # everyone, superusers included (audit.selectors.visible_events says why).
        return visible_events(super().get_queryset(request))

    # Nothing but viewing, whatever the user's flags or permissions.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description=_("time (Beijing)"), ordering="created")
    def time(self, obj: Event) -> str:
        day, moment = shanghai_time(obj.created).split(" ")
        # Date and time each stay whole; the column may wrap between them on a narrow screen.
        return format_html(
            '<span class="nowrap">{}</span> <span class="nowrap">{}</span>', day, moment
        )

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj: Event) -> str:
        # "label（code）" (audit.labels), or the code alone when it has no label. A line of the
        # code may break after a dot, never inside a word.
        code = mark_safe(".<wbr>".join(escape(part) for part in obj.action.split(".")))  # noqa: S308
        label = action_label(obj.action)
        if label is None:
            return code
        return format_html('{}<small class="nowrap">（{}）</small>', label, code)

    @admin.display(description=_("subject"), ordering="subject_repr")
    def subject_link(self, obj: Event) -> str:
        if obj.subject_content_type_id is None:
            return "—"
        url = reverse(
            "admin:audit_event_subject",
            args=[obj.subject_content_type_id, obj.subject_object_id],
        )
        content_type = ContentType.objects.get_for_id(obj.subject_content_type_id)
        return format_html(
            '<a href="{}" title="{}">{}</a> <small>({} #{})</small>',
            url,
            gettext("Audit trail"),
            obj.subject_repr or obj.subject_object_id,
            content_type.name,
            obj.subject_object_id,
        )

    @admin.display(description=_("data"))
    def pretty_data(self, obj: Event) -> str:
        text = json.dumps(obj.data, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre class="audit-json">{}</pre>', text)

    @admin.display(description=_("integrity"))
    def integrity(self, obj: Event) -> str:
        if verify_event(obj):
            return format_html('<span class="audit-ok">✔ {}</span>', gettext("hash matches"))
        return format_html(
            '<strong class="audit-bad">✘ {}</strong>',
            gettext("content does not match the stored hash: this event was edited"),
        )

    @admin.display(description=_("hashed content"))
    def canonical(self, obj: Event) -> str:
        return format_html(
            '<pre class="audit-json">{}</pre>', obj.canonical_content().decode("utf-8")
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "subject/<int:content_type_id>/<str:object_id>/",
                view(self.subject_view),
                name="audit_event_subject",
            ),
            path("verify/", view(self.verify_view), name="audit_event_verify"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "has_view_permission": True,
        }

    def subject_view(
        self, request: AuthenticatedHttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        trail = get_subject_trail_for_user(
            user=request.user, content_type_id=content_type_id, object_id=object_id
        )
        context = self._context(request, gettext("Audit trail: %s") % trail.label)
        context["trail"] = trail
        context["change_url"] = self._change_url(trail)
        return TemplateResponse(request, "admin/audit/event/subject_trail.html", context)

    def _change_url(self, trail) -> str | None:
        """The subject's own admin page, when it still exists and is in this admin."""
        if trail.obj is None or not self.admin_site.is_registered(type(trail.obj)):
            return None
        opts = trail.obj._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[trail.obj.pk],
        )

    def verify_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if not can_view_events(request.user):
            raise PermissionDenied
        report = verify_chain(max_problems=50)
        context = self._context(request, gettext("Audit chain check"))
        context["report"] = report
        return TemplateResponse(request, "admin/audit/event/verify.html", context)


class AuditHistoryAdminMixin:
    """Put an "Audit trail" button on a ModelAdmin's change page (next to "History").

    class LotAdmin(AuditHistoryAdminMixin, SimpleHistoryAdmin): ...

    The page it opens shows the object's audit events beside its simple-history records. The
    button appears for users who may read audit events. The admin's own change_form template
    (admin/<app>/<model>/change_form.html) is still used, as the parent of ours.
    """

    change_form_template = "audit/admin/change_form_with_trail.html"
    model: type[models.Model]  # set by the ModelAdmin this is mixed into

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.model._meta
        context["audit_parent_change_form"] = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
                f"admin/{opts.app_label}/change_form.html",
                "admin/change_form.html",
            ]
        )
        if obj is not None and obj.pk is not None and can_view_events(request.user):
            context["audit_trail_url"] = subject_trail_url(obj)
        # The mixin has no base of its own: the ModelAdmin it is mixed into has the method.
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
