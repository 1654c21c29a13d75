"""The bureau's read-only view of the audit log, an object's trail, and the chain check."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import LongList

from .labels import action_label, labelled_actions
from .models import Anchor, ChainCheck, CheckMode, Event
from .selectors import (
    SHANGHAI,
    can_view_events,
    get_subject_trail_for_user,
    subject_trail_url,
    visible_events,
)
from .services import last_checkpoint, request_check, running_check
from .verify import Problem, verify_event

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ACTION_PREFIX = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.?")
USCC = re.compile(r"[0-9A-Z]{18}")


def shanghai_time(value) -> str:
    return timezone.localtime(value, SHANGHAI).strftime(TIME_FORMAT)


def action_prefix_q(prefix: str) -> models.Q:
    """`prefix` itself or an action under it, as a range of the action's index.

    "procurement.lot" matches "procurement.lot" and "procurement.lot.…": the codes between
    "procurement.lot." and "procurement.lot/" ("/" follows "." in every collation the
    portal's databases use: C and C.UTF-8 compare code points), a range the B-tree index on
    `action` answers, where LIKE 'procurement.lot.%' would read every row under a non-C
    collation.
    """
    prefix = prefix.rstrip(".")
    return models.Q(action=prefix) | models.Q(action__gt=f"{prefix}.", action__lt=f"{prefix}/")


class ActionPrefixFilter(admin.SimpleListFilter):
    """Filter by the app ("procurement"), the object ("procurement.lot") or the action itself.

    The choices are the actions the code registers labels for (audit.labels; a test checks that
    every action recorded has one), not a DISTINCT over millions of rows.
    """

    title = _("action")
    parameter_name = "action_prefix"

    def lookups(self, request, model_admin):
        actions = labelled_actions()
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
        value = self.value()
        return queryset.filter(action_prefix_q(value)) if value else queryset


class OrganisationFilter(admin.SimpleListFilter):
    """The bureau, the purchasers and the agencies by name (from their own small table, not a
    DISTINCT over the events); a supplier is found by its USCC in the search box."""

    title = _("organisation")
    parameter_name = "organisation__id__exact"  # the address Django's own filter used

    def lookups(self, request, model_admin):
        organisation = cast(
            "type[models.Model]", Event._meta.get_field("organisation").related_model
        )
        return list(
            organisation._default_manager.exclude(kind="supplier")
            .order_by("kind", "name")
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(organisation_id=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(LongList, admin.ModelAdmin):
    """Look only: no add, change or delete, no actions, for anyone (superusers included)."""

    list_display = ["time", "action_name", "actor", "organisation", "subject_link"]
    list_display_links = ["time"]
    # Every filter and the search are answered from an index (issue 17 §2): "created" is a
    # range of its index; no date hierarchy (its drill-down reads the distinct days of the
    # whole log). The count stops at 10,000 (LongList).
    list_filter = [ActionPrefixFilter, OrganisationFilter, "created"]
    search_fields = ["subject_repr"]  # get_search_results says what is searched, and how
    search_help_text = _(
        "A number: the event of that sequence number or the subject of that id. An action code "
        "(procurement.lot): its events. An 18-character USCC: the organisation's events. Any "
        "other text (three characters or more): within the subject's name."
    )
    list_select_related = ["actor", "organisation", "subject_content_type"]
    list_per_page = 50
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

    def get_search_results(self, request, queryset, search_term):
        """One indexed condition per kind of term, never a scan of the log."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if USCC.fullmatch(term.upper()):  # before numbers: a USCC may be all digits
            return queryset.filter(organisation__uscc=term.upper()), False
        if term.isdigit():
            return queryset.filter(
                models.Q(seq=int(term)) | models.Q(subject_object_id=term)
            ), False
        if ACTION_PREFIX.fullmatch(term):
            return queryset.filter(action_prefix_q(term)), False
        # UPPER(subject_repr) LIKE UPPER('%…%'): the trigram index audit_event_subject_repr_trgm.
        return queryset.filter(subject_repr__icontains=term), False

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
        """The chain check: the last result, and a button that starts a check as a Celery task.

        Nothing is verified inside the request (issue 17 §3: at millions of events a walk takes
        minutes); a running check shows its progress and the page reloads itself until it ends.
        """
        if not can_view_events(request.user):
            raise PermissionDenied
        if request.method == "POST":
            mode = request.POST.get("mode", CheckMode.INCREMENTAL)
            if mode not in CheckMode.values:
                mode = CheckMode.INCREMENTAL
            _, started = request_check(mode=mode, user=request.user)
            if started:
                self.message_user(request, gettext("The check was started."))
            else:
                self.message_user(request, gettext("A check is already running."))
            return HttpResponseRedirect(reverse("admin:audit_event_verify"))
        context = self._context(request, gettext("Audit chain check"))
        last = ChainCheck.objects.exclude(finished=None).order_by("-finished", "-id").first()
        context.update(
            {
                "running": running_check(),
                "last": last,
                "problems": [Problem.from_dict(value) for value in last.problems] if last else [],
                "checkpoint": last_checkpoint(),
                "recent": list(ChainCheck.objects.order_by("-requested", "-id")[:10]),
                "anchors": list(Anchor.objects.order_by("-published", "-id")[:5]),
                "modes": CheckMode,
            }
        )
        return TemplateResponse(request, "admin/audit/event/verify.html", context)


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Anchor)
class AnchorAdmin(ReadOnlyAdmin):
    """The chain heads published on the portal (issue 16 §4)."""

    list_display = ["published_time", "seq", "hash", "reason"]
    list_filter = ["reason"]
    show_full_result_count = False

    @admin.display(description=_("published (Beijing)"), ordering="published")
    def published_time(self, obj: Anchor) -> str:
        return shanghai_time(obj.published)


@admin.register(ChainCheck)
class ChainCheckAdmin(ReadOnlyAdmin):
    """Every run of the chain check, with its range and result."""

    list_display = ["requested_time", "mode", "status", "from_seq", "head_seq", "checked", "took"]
    list_filter = ["status", "mode"]
    list_select_related = ["requested_by"]
    show_full_result_count = False
    exclude = ["head_id", "sealed_head_seq", "sealed_head_id", "sealed_head_hash"]

    @admin.display(description=_("requested (Beijing)"), ordering="requested")
    def requested_time(self, obj: ChainCheck) -> str:
        return shanghai_time(obj.requested)

    @admin.display(description=_("took"))
    def took(self, obj: ChainCheck) -> str:
        duration = obj.duration
        return "—" if duration is None else f"{duration.total_seconds():.1f} s"


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
