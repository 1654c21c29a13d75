"""Filters of the public lists (django-filter), each one narrowing a keyset-ordered queryset.

A filter that cannot be applied (an unknown kind or purchaser, a date that is not one, a range
that ends before it starts) is never dropped silently: the list shows no notice and says what
to correct, rather than a longer list the visitor would take for the filtered one.

Every filter is an equality on an indexed column or a range on published_at, so the list
stays an index walk on (…, -published_at, -id); the full-text filter `q` is a substring
match on search_text, which PostgreSQL answers from a trigram index (portal migration 0001).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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


SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}


class ShallowCopy(django_filters.Filter):
    """A filter copied shallowly per request.

    django-filter deep-copies every declared filter for each FilterSet (widgets, validators,
    lazy labels), which cost a public list page more than its query. The declared filters are
    never changed after declaration here, and each copy gets its own parent, model and field.
    """

    _method: Callable[..., Any] | str | None  # where Filter.method keeps its value

    def __deepcopy__(self, memo):
        new = copy.copy(self)
        if getattr(self, "_method", None) is not None:
            new.method = self._method  # rebinds FilterMethod to the copy (it finds the parent)
        return new


class ChoiceFilter(ShallowCopy, django_filters.ChoiceFilter):
    pass


class CharFilter(ShallowCopy, django_filters.CharFilter):
    pass


class DateFilter(ShallowCopy, django_filters.DateFilter):
    pass


class IntegerFilter(ShallowCopy, django_filters.Filter):
    field_class = forms.IntegerField


class PublicFilterForm(forms.Form):
    """The filters' form: each field checked alone, then the date range as a whole."""

    # The ids of the public purchasers (the filter's options), set by PublicFilterSet: an id
    # that is none of them is refused like one that is not a number, not listed as "no match".
    known_purchasers: frozenset[int] | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        purchaser = data.get("purchaser")
        known = self.known_purchasers
        if purchaser is not None and known is not None and purchaser not in known:
            self.add_error(
                "purchaser", ValidationError(_("Unknown purchaser."), code="unknown_purchaser")
            )
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            raise ValidationError(
                _("The start date is after the end date: swap them or change one."),
                code="reversed_range",
            )
        return data


class PublicFilterSet(django_filters.FilterSet):
    """Shared filters: region, purchaser, publication date range and full text.

    Region and purchaser are validated as a code and an id, and their options are given to the
    template (`region_options`, `purchaser_options`) rather than held by the form fields: a
    ChoiceField with hundreds of purchasers is deep-copied and normalised on every request,
    which cost more than the whole list query.
    """

    region = CharFilter(
        field_name="region_code",
        label=_("Region"),
        validators=[RegexValidator(r"^\d{6}$", _("Unknown region."))],
        widget=forms.Select(attrs=SELECT),
    )
    purchaser = IntegerFilter(
        field_name="purchaser_id",
        label=_("Purchaser"),
        min_value=1,
        error_messages={"invalid": _("Unknown purchaser."), "min_value": _("Unknown purchaser.")},
        widget=forms.Select(attrs=SELECT),
    )
    published_from = DateFilter(
        label=_("Published from"),
        method="filter_published_from",
        error_messages={"invalid": _("Enter a date such as 2026-06-01.")},
        widget=forms.DateInput(attrs={"type": "date", **INPUT}, format="%Y-%m-%d"),
    )
    published_to = DateFilter(
        label=_("Published until"),
        method="filter_published_to",
        error_messages={"invalid": _("Enter a date such as 2026-06-01.")},
        widget=forms.DateInput(attrs={"type": "date", **INPUT}, format="%Y-%m-%d"),
    )
    q = CharFilter(
        label=_("Keywords"),
        method="filter_text",
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", **INPUT}),
    )

    _form_class: ClassVar[type[forms.Form]]  # set by get_form_class on each subclass

    def __init__(self, *args, purchasers: list[PurchaserChoice] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # One query gives both the purchaser and the region options.
        orgs = purchaser_choices() if purchasers is None else purchasers
        self.purchasers = orgs
        # Checked against the options already in memory: no query of its own.
        if isinstance(self.form, PublicFilterForm):
            self.form.known_purchasers = frozenset(o.pk for o in orgs)
        self.purchaser_options = (
            ("", str(_("All purchasers"))),
            *((str(o.pk), o.name) for o in orgs),
        )
        regions = sorted({(o.region_code, o.region_name) for o in orgs if o.region_code})
        self.region_options = (
            ("", str(_("All regions"))),
            *((code, f"{name} ({code})") for code, name in regions),
        )

    def get_form_class(self):
        """The form class, built once per FilterSet class (its fields never vary by request)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The filtered list; none at all while any filter is invalid (see the module's doc)."""
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

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
        if not self.form.is_valid():
            return True
        return any(v not in (None, "") for v in self.form.cleaned_data.values())

    @property
    def invalid(self) -> bool:
        """True when a filter cannot be applied, so the list is empty until it is corrected."""
        return not self.form.is_valid()

    # Filters given in the address but with no control of their own on the form (the kind is
    # chosen by a tab): their errors are told above the form, the others beside their control.
    hidden_filters: ClassVar[tuple[str, ...]] = ()

    @property
    def error_summary(self) -> list[str]:
        """The errors the form shows nowhere else: the whole form's and the hidden filters'."""
        if self.form.is_valid():
            return []
        errors = [str(e) for e in self.form.non_field_errors()]
        for name in self.hidden_filters:
            errors += [str(e) for e in self.form.errors.get(name, [])]
        return errors


class AnnouncementFilter(PublicFilterSet):
    kind = ChoiceFilter(
        choices=AnnouncementKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
        error_messages={"invalid_choice": _("Unknown announcement kind.")},
        widget=forms.Select(attrs=SELECT),
    )
    method = ChoiceFilter(
        choices=ProcurementMethod.choices,
        label=_("Procurement method"),
        empty_label=_("All methods"),
        error_messages={"invalid_choice": _("Unknown procurement method.")},
        widget=forms.Select(attrs=SELECT),
    )

    hidden_filters = ("kind",)

    class Meta:
        model = Announcement
        form = PublicFilterForm
        fields = ["q", "kind", "method", "region", "purchaser", "published_from", "published_to"]

    def text_condition(self, value: str) -> Q:
        # search_text holds the title, purchaser, project code and key fields (procurement).
        return Q(search_text__icontains=value)


class IntentionFilter(PublicFilterSet):
    sme_reserved = ChoiceFilter(
        label=_("Reserved for SMEs"),
        empty_label=_("Any"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        error_messages={"invalid_choice": _("Choose yes or no.")},
        method="filter_sme",
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = ProcurementIntention
        form = PublicFilterForm
        fields = ["q", "region", "purchaser", "sme_reserved", "published_from", "published_to"]

    def filter_sme(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sme_reserved=value == "1")

    def text_condition(self, value: str) -> Q:
        return Q(project_name__icontains=value) | Q(summary__icontains=value)
