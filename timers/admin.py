"""The bureau's read-only view of clocks: what is due today, what was breached, by whom."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import registry
from .models import (
    SHANGHAI,
    Clock,
    ClockQuerySet,
    ClockState,
    PausedSpan,
    format_deadline,
    format_duration,
)


class BreachedFilter(admin.SimpleListFilter):
    title = _("breached")
    parameter_name = "breached"

    def lookups(self, request, model_admin):
        return [("yes", _("Breached")), ("no", _("Not breached"))]

    def queryset(self, request, queryset: QuerySet[Clock]) -> QuerySet[Clock]:
        if self.value() == "yes":
            return queryset.filter(breached_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(breached_at__isnull=True)
        return queryset


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("today", _("Due today")), ("tomorrow", _("Due tomorrow"))]

    def queryset(self, request, queryset: QuerySet[Clock]) -> QuerySet[Clock]:
        days = {"today": 0, "tomorrow": 1}.get(self.value() or "")
        if days is None:
            return queryset
        day = timezone.localtime(timezone.now(), SHANGHAI).date() + timedelta(days=days)
        start = datetime.combine(day, time(0), tzinfo=SHANGHAI)
        # A due of 24:00 is stored as 00:00 of the next day and belongs to this day; a due of
        # 00:00 this day is 24:00 of yesterday.
        return queryset.filter(due__gt=start, due__lte=start + timedelta(days=1))


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return ClockState.choices

    def queryset(self, request, queryset: QuerySet[Clock]) -> QuerySet[Clock]:
        state = self.value()
        if state in ClockState.values:
            assert isinstance(queryset, ClockQuerySet)  # the admin lists Clock.objects
            return queryset.in_state(state)
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return registry.kind_choices()

    def queryset(self, request, queryset: QuerySet[Clock]) -> QuerySet[Clock]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


class PausedSpanInline(admin.TabularInline):
    model = PausedSpan
    extra = 0
    fields = ("start", "end", "span_duration")
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("duration"))
    def span_duration(self, obj: PausedSpan) -> str:
        return format_duration(obj.duration) if obj.duration is not None else gettext("ongoing")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Clock)
class ClockAdmin(SimpleHistoryAdmin):
    list_display = [
        "kind_label",
        "subject_display",
        "responsible",
        "due_local",
        "remaining_display",
        "state_display",
    ]
    list_filter = [
        BreachedFilter,
        DueFilter,
        StateFilter,
        KindFilter,
        ("responsible", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["kind", "responsible__name"]
    list_select_related = ["responsible", "subject_type"]
    ordering = ["due", "id"]
    inlines = [PausedSpanInline]
    fields = [
        "kind",
        "kind_label",
        "subject_type",
        "subject_id",
        "subject_display",
        "responsible",
        "state_display",
        "started",
        "due_local",
        "remaining_display",
        "reminded_morning_at",
        "reminded_2h_at",
        "breached_at",
        "escalated_at",
        "action_done_at",
        "met_at",
        "cancelled_at",
        "paused_at",
        "paused_total_display",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The subjects of a page come in one query per subject type, not one per row.
        return super().get_queryset(request).prefetch_related("subject")

    @admin.display(description=_("deadline"), ordering="kind")
    def kind_label(self, obj: Clock) -> str:
        return obj.label

    @admin.display(description=_("subject"))
    def subject_display(self, obj: Clock) -> str:
        subject = obj.subject
        name = str(subject) if subject is not None else gettext("(deleted)")
        return f"{obj.subject_type.name} · {name}"

    @admin.display(description=_("due (Beijing time)"), ordering="due")
    def due_local(self, obj: Clock) -> str:
        return format_deadline(obj.due)

    @admin.display(description=_("remaining"))
    def remaining_display(self, obj: Clock) -> str:
        remaining = obj.remaining
        if remaining is None:
            return "—"
        if remaining < timedelta(0):
            return gettext("overdue by %(duration)s") % {"duration": format_duration(-remaining)}
        text = format_duration(remaining)
        return gettext("%(duration)s (paused)") % {"duration": text} if obj.paused_at else text

    @admin.display(description=_("total time paused"))
    def paused_total_display(self, obj: Clock) -> str:
        return format_duration(obj.paused_total)

    @admin.display(description=_("state"))
    def state_display(self, obj: Clock) -> str:
        return obj.get_state_display()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
