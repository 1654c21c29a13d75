"""The bureau's admin for the calendar: overrides from each State Council notice, and the years."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import base
from .models import CalendarOverride, CalendarYear
from .notices import add_provisional_year_warnings
from .services import remove_override, save_calendar_year, save_override

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _OverrideCount(TypedDict):
        """What CalendarYearAdmin.get_queryset annotates each year with."""

        n_overrides: int | None


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            CalendarOverride.objects.annotate(y=ExtractYear("date"))
            .order_by("-y")
            .values_list("y", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


def _base_status(day) -> str:
    if not base.FIRST_YEAR <= day.year <= base.LAST_YEAR:
        return "—"
    working = base.base_is_working_day(day)
    if base.library_covers(day.year):
        return str(_("working day (library)") if working else _("day off (library)"))
    return str(_("working day (rule)") if working else _("day off (rule)"))


class ProvisionalWarningMixin(admin.ModelAdmin):
    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            add_provisional_year_warnings(request)
        return super().changelist_view(request, extra_context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ProvisionalWarningMixin, SimpleHistoryAdmin):
    list_display = ["date", "weekday", "kind", "name", "base_calendar", "notice", "created_by"]
    list_filter = ["kind", YearFilter]
    search_fields = ["name", "notice"]
    list_select_related = ["created_by"]
    fields = ["date", "kind", "name", "notice", "base_calendar", "created_by", "modified"]
    readonly_fields = ["base_calendar", "created_by", "modified"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return date_format(obj.date, "l")

    @admin.display(description=_("base calendar without this override"))
    def base_calendar(self, obj: CalendarOverride) -> str:
        return _base_status(obj.date) if obj.date else "—"

    def save_model(self, request, obj, form, change):
        save_override(override=obj, acting_user=request.user)
        for warning in obj.effect_warnings():
            messages.warning(request, warning)

    def delete_model(self, request, obj):
        remove_override(override=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            remove_override(override=override, acting_user=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(ProvisionalWarningMixin, SimpleHistoryAdmin):
    list_display = ["year", "confirmed", "source", "override_count", "notice", "created_by"]
    list_filter = ["confirmed"]
    search_fields = ["notice"]
    list_select_related = ["created_by"]
    fields = [
        "year",
        "confirmed",
        "notice",
        "source",
        "statutory_days",
        "year_overrides",
        "created_by",
        "modified",
    ]
    readonly_fields = ["source", "statutory_days", "year_overrides", "created_by", "modified"]

    def get_queryset(self, request):
        overrides = (
            CalendarOverride.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(n_overrides=Subquery(overrides, output_field=IntegerField()))
        )

    @admin.display(description=_("overrides"), ordering="n_overrides")
    def override_count(self, obj: WithAnnotations[CalendarYear, _OverrideCount]) -> int:
        return obj.n_overrides or 0

    @admin.display(description=_("base calendar"))
    def source(self, obj: CalendarYear) -> str:
        if obj.year is None:
            return "—"
        if base.library_covers(obj.year):
            return str(_("calendar library (official arrangement)"))
        if obj.confirmed:
            return str(_("statutory rule with the overrides entered (confirmed)"))
        return str(_("statutory rule (provisional until confirmed)"))

    @admin.display(description=_("overrides entered for the year"))
    def year_overrides(self, obj: CalendarYear) -> str:
        if obj.year is None:
            return "—"
        overrides = CalendarOverride.objects.filter(date__year=obj.year)
        if not overrides:
            return "—"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant tag
            "{} {} {} {}",
            (
                (
                    date_format(o.date, "DATE_FORMAT"),
                    date_format(o.date, "l"),
                    o.name,
                    o.get_kind_display(),
                )
                for o in overrides
            ),
        )

    @admin.display(description=_("statutory holidays by rule"))
    def statutory_days(self, obj: CalendarYear) -> str:
        if obj.year is None or not base.FIRST_YEAR <= obj.year <= base.LAST_YEAR:
            return "—"
        days = base.statutory_holidays(obj.year)
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant tag
            "{} {} {}",
            (
                (date_format(d, "DATE_FORMAT"), date_format(d, "l"), name)
                for d, name in days.items()
            ),
        )

    def save_model(self, request, obj, form, change):
        save_calendar_year(calendar_year=obj, acting_user=request.user)
