"""Filters of the public lists (django-filter), each one narrowing a keyset-ordered queryset.

Every filter is an equality on an indexed column or a range on published_at, so the list
stays an index walk on (…, -published_at, -id); the full-text filter `q` is a substring
match on search_text, which PostgreSQL answers from a trigram index (portal migration 0001).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.models import (
    Announcement,
    AnnouncementKind,
    ProcurementIntention,
    ProcurementMethod,
)

from .selectors import PurchaserChoice, purchaser_choices

Q_MAX_LENGTH = 100


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class PublicFilterSet(django_filters.FilterSet):
    """Shared filters: region, purchaser, publication date range and full text."""

    region = django_filters.ChoiceFilter(
        field_name="region_code", label=_("Region"), empty_label=_("All regions")
    )
    purchaser = django_filters.ChoiceFilter(
        field_name="purchaser_id", label=_("Purchaser"), empty_label=_("All purchasers")
    )
    published_from = django_filters.DateFilter(
        label=_("Published from"),
        method="filter_published_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    published_to = django_filters.DateFilter(
        label=_("Published until"),
        method="filter_published_to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="filter_text",
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, purchasers: list[PurchaserChoice] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # One query gives both the purchaser and the region choices.
        orgs = purchaser_choices() if purchasers is None else purchasers
        self.filters["purchaser"].extra["choices"] = [(str(o.pk), o.name) for o in orgs]
        regions = sorted({(o.region_code, o.region_name) for o in orgs if o.region_code})
        self.filters["region"].extra["choices"] = [
            (code, f"{name} ({code})") for code, name in regions
        ]

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else css
                if css == "form-select":
                    widget.attrs["class"] += " form-select-sm"
            form._styled = True
        return form

    def filter_published_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(published_at__gte=_start_of_day(value))

    def filter_published_to(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        # Inclusive of the whole last day: before midnight at the start of the next one.
        return queryset.filter(published_at__lt=_start_of_day(value + dt.timedelta(days=1)))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(self.text_condition(value))

    def text_condition(self, value: str) -> Q:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    @property
    def active(self) -> bool:
        """True when any filter is set (the list says "no match" rather than "nothing yet")."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(v not in (None, "") for v in data.values())


class AnnouncementFilter(PublicFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=AnnouncementKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    method = django_filters.ChoiceFilter(
        choices=ProcurementMethod.choices,
        label=_("Procurement method"),
        empty_label=_("All methods"),
    )

    class Meta:
        model = Announcement
        fields = ["q", "kind", "method", "region", "purchaser", "published_from", "published_to"]

    def text_condition(self, value: str) -> Q:
        # search_text holds the title, purchaser, project code and key fields (procurement).
        return Q(search_text__icontains=value)


class IntentionFilter(PublicFilterSet):
    sme_reserved = django_filters.ChoiceFilter(
        label=_("Reserved for SMEs"),
        empty_label=_("Any"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        method="filter_sme",
    )

    class Meta:
        model = ProcurementIntention
        fields = ["q", "region", "purchaser", "sme_reserved", "published_from", "published_to"]

    def filter_sme(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sme_reserved=value == "1")

    def text_condition(self, value: str) -> Q:
        return Q(project_name__icontains=value) | Q(summary__icontains=value)
