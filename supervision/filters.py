"""The dashboard's filters (django-filter): period by start date, purchaser, stage.

The page and its Excel export read the same FilterSet, so the file holds what the page shows.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind
from timers.models import SHANGHAI, Clock

from .stages import measured_stages


def _beijing_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)


class ClockFilter(django_filters.FilterSet):
    started_from = django_filters.DateFilter(label=_("Started from"), method="filter_started_from")
    started_to = django_filters.DateFilter(label=_("Started until"), method="filter_started_to")
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.PURCHASER, OrganisationKind.AGENCY]
        ).order_by("name"),
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(label=_("Stage"), empty_label=_("All"))

    class Meta:
        model = Clock
        fields = ["responsible", "kind"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The stages are registered by the apps at start-up: read them now, in their order.
        self.filters["kind"].extra["choices"] = [
            (spec.kind, str(spec.label)) for spec in measured_stages()
        ]
        for name, bound in self.form.fields.items():
            css = (
                "form-select form-select-sm"
                if name in {"responsible", "kind"}
                else "form-control form-control-sm"
            )
            bound.widget.attrs["class"] = css
            if name.startswith("started"):
                bound.widget.input_type = "date"
                bound.widget.format = "%Y-%m-%d"

    # Dates are Beijing dates: a day runs from its 00:00 to 24:00 in Asia/Shanghai.
    def filter_started_from(self, queryset: QuerySet[Clock], name: str, value: dt.date):
        return queryset.filter(started__gte=_beijing_midnight(value))

    def filter_started_to(self, queryset: QuerySet[Clock], name: str, value: dt.date):
        return queryset.filter(started__lt=_beijing_midnight(value + dt.timedelta(days=1)))
