"""The bureau's admin: the indicator catalogue as versions with effective dates (a version
already used by an evaluation is frozen: copy it into a new version and change that), the
credit parameters, and the evaluations, appeals and grades read only (the services change
them; the bureau decides appeals on its appeal page)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Appeal,
    CatalogueVersion,
    CreditEvaluation,
    CreditParameters,
    GradeChange,
    Indicator,
    ItemScore,
    PartyGrade,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "position",
        "code",
        "rated",
        "raters",
        "node",
        "title",
        "points",
        "is_key",
        "auto_rule",
        "source",
    ]

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.in_use

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and request.user.has_perm("credit.change_catalogueversion")


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "effective_from", "indicator_count", "in_use"]
    inlines = [IndicatorInline]
    actions = ["copy_as_new_version"]

    @admin.display(description=_("indicators"))
    def indicator_count(self, obj) -> int:
        return obj.indicators.count()

    @admin.display(description=_("used by evaluations"), boolean=True)
    def in_use(self, obj) -> bool:
        return obj.in_use

    def get_readonly_fields(self, request, obj=None):
        # An evaluation keeps the version it was created under: that version never changes.
        if obj is not None and obj.in_use:
            return ["name", "effective_from"]
        return []

    @admin.action(description=_("Copy as a new version (in force from tomorrow)"))
    def copy_as_new_version(self, request, queryset) -> None:
        for version in queryset:
            with transaction.atomic():
                copy = CatalogueVersion.objects.create(
                    name=f"{version.name} ({gettext('copy')})",
                    effective_from=timezone.now() + timedelta(days=1),
                    note=gettext("Copied from %(name)s.") % {"name": version.name},
                )
                Indicator.objects.bulk_create(
                    Indicator(
                        version=copy,
                        code=i.code,
                        rated=i.rated,
                        raters=i.raters,
                        node=i.node,
                        title=i.title,
                        points=i.points,
                        is_key=i.is_key,
                        auto_rule=i.auto_rule,
                        source=i.source,
                        position=i.position,
                    )
                    for i in version.indicators.all()
                )
            self.message_user(
                request,
                gettext("New version “%(name)s” made; edit it and its date.") % {"name": copy.name},
                messages.SUCCESS,
            )


@admin.register(CreditParameters)
class CreditParametersAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "band_a", "band_b", "band_c", "key_item_cap", "window_months"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not CreditParameters.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    fields = ("indicator", "points", "comment", "evidence", "evidence_url", "pending")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditEvaluation)
class CreditEvaluationAdmin(ReadOnly):
    list_display = [
        "lot",
        "node",
        "rated_kind",
        "rated_name",
        "rater_kind",
        "rater_name",
        "state",
        "due",
        "score",
    ]
    list_filter = ["state", "node", "rated_kind", "rater_kind"]
    list_select_related = [
        "lot",
        "lot__project",
        "rated_organisation",
        "rated_expert",
        "rater_organisation",
        "rater_expert",
    ]
    search_fields = ["lot__project__code", "rated_organisation__name", "rater_organisation__name"]
    inlines = [ItemScoreInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ["evaluation", "state", "filed_at", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["evaluation", "evaluation__rated_organisation", "evaluation__lot"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class GradeChangeInline(admin.TabularInline):
    model = GradeChange
    extra = 0
    fields = ("at", "previous_grade", "grade", "previous_score", "score", "capped", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartyGrade)
class PartyGradeAdmin(ReadOnly):
    """The bureau's supervision list: the lowest grades first within each kind of party."""

    list_display = ["name", "kind", "grade", "score", "capped", "evaluations", "missed"]
    list_filter = ["kind", "grade", "capped"]
    list_select_related = ["organisation", "expert"]
    ordering = ["kind", "score"]
    search_fields = ["organisation__name", "expert__full_name"]
    inlines = [GradeChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
