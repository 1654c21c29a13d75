"""Every number and date field of every form in the project is bounded (issue 16 §5): a number
that its column cannot hold, or a date in the year 9999, is refused by the form with a message,
never met as a 500 by the database or by date arithmetic.

The walk finds the forms by themselves: every Form class defined in the project's apps (created
once, when it can be created without arguments, so that fields added in `__init__` count too) and
every form of the bureau's admin, inlines included. A new form is checked as soon as it exists.

The rules (common/bounds.py):
- an integer field has a lower and an upper bound, within the range of the column it is saved
  to: the model field of that name (a ModelForm's own, or, for a plain form, any model field of
  that name in the form's app), else a plain integer column (a row id, for a hidden field);
- a decimal field has max_digits and decimal_places, with no more whole digits than its column;
- a date or moment field carries a DateWithin validator (sane years at least).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.test import RequestFactory

from accounts.models import User
from common.bounds import ID_MAX, INT_MAX, INTEGER_RANGES, DateWithin

ROOT = Path(settings.BASE_DIR).resolve()


def project_apps() -> list:
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and ".venv" not in Path(config.path).parts
    ]


def import_everything() -> None:
    for config in project_apps():
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if ".migrations" in info.name or ".tests" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)


def form_classes() -> Iterator[type[forms.BaseForm]]:
    names = {config.name for config in project_apps()}
    pending = [forms.BaseForm]
    seen: set[type] = set()
    while pending:
        for cls in pending.pop().__subclasses__():
            if cls in seen:
                continue
            seen.add(cls)
            pending.append(cls)
            if cls.__module__.split(".")[0] in names and not inspect.isabstract(cls):
                yield cls


def fields_of(cls: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields of a form made without arguments, or its declared ones when it needs some."""
    try:
        return dict(cls().fields)  # type: ignore[call-arg]
    except Exception:  # a form that needs its object (a lot, a contract) to be made
        return dict(cls.base_fields)


def admin_forms() -> Iterator[tuple[str, type[forms.BaseForm]]]:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create(username="walker", is_superuser=True, is_staff=True)
    for model, model_admin in admin.site._registry.items():
        label = f"admin {model._meta.label}"
        yield label, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield f"{label} inline {type(inline).__name__}", inline.get_formset(request).form


def model_fields(form_cls: type[forms.BaseForm], name: str) -> list[models.Field]:
    """The columns a field of this name is saved to."""
    meta = getattr(form_cls, "_meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        try:
            return [model._meta.get_field(name)]  # type: ignore[list-item]
        except FieldDoesNotExist:
            return []
    app = apps.get_containing_app_config(form_cls.__module__)
    if app is None:
        return []
    found = []
    for model in app.get_models():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field) and not field.is_relation:
            found.append(field)
    return found


def limits(field: forms.Field) -> tuple[float | None, float | None]:
    low = getattr(field, "min_value", None)
    high = getattr(field, "max_value", None)
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator) and not callable(validator.limit_value):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def problems_of(form_cls: type[forms.BaseForm], fields: dict[str, forms.Field]) -> list[str]:
    problems = []
    for name, field in fields.items():
        columns = model_fields(form_cls, name)
        if isinstance(field, forms.DecimalField):
            if field.max_digits is None or field.decimal_places is None:
                problems.append(f"{name}: a decimal without max_digits and decimal_places")
                continue
            whole = field.max_digits - field.decimal_places
            for column in columns:
                if isinstance(column, models.DecimalField):
                    room = column.max_digits - column.decimal_places
                    if whole > room:
                        problems.append(f"{name}: {whole} whole digits, its column holds {room}")
        elif isinstance(field, forms.FloatField):
            low, high = limits(field)
            if low is None or high is None:
                problems.append(f"{name}: a float without bounds")
        elif isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            low, high = limits(field)
            ranges = [
                INTEGER_RANGES[c.get_internal_type()]
                for c in columns
                if c.get_internal_type() in INTEGER_RANGES
            ] or [(-ID_MAX - 1, ID_MAX) if field.widget.is_hidden else (-INT_MAX - 1, INT_MAX)]
            column_low = max(r[0] for r in ranges)
            column_high = min(r[1] for r in ranges)
            model_backed = getattr(getattr(form_cls, "_meta", None), "model", None) and columns
            if model_backed:
                # A ModelForm validates the model field, and Django bounds each integer model
                # field by its column's range: a bound the form sets must lie inside it.
                low = column_low if low is None else low
                high = column_high if high is None else high
            if low is None or high is None:
                problems.append(f"{name}: an integer without min_value and max_value")
            elif low < column_low or high > column_high:
                problems.append(
                    f"{name}: {low}..{high} does not fit its column ({column_low}..{column_high})"
                )
        elif isinstance(
            field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField
        ) and not any(isinstance(v, DateWithin) for v in field.validators):
            problems.append(f"{name}: a date without DateWithin bounds")
    return problems


@pytest.mark.django_db
def test_every_number_and_date_field_of_every_form_is_bounded():
    import_everything()
    checked = 0
    problems: dict[str, list[str]] = {}
    for cls in form_classes():
        found = problems_of(cls, fields_of(cls))
        checked += 1
        if found:
            problems[f"{cls.__module__}.{cls.__qualname__}"] = found
    for label, cls in admin_forms():
        found = problems_of(cls, fields_of(cls))
        checked += 1
        if found:
            problems[label] = found
    assert checked > 80
    assert not problems, "\n".join(f"{form}: {found}" for form, found in problems.items())


def test_the_walk_sees_an_unbounded_field():
    class Careless(forms.Form):
        count = forms.IntegerField(min_value=0)
        amount = forms.DecimalField()
        day = forms.DateField()

    found = problems_of(Careless, dict(Careless.base_fields))
    assert len(found) == 3, found


def test_date_within_refuses_the_year_9999_and_1900():
    field = forms.DateField(validators=[DateWithin()])
    for value in ("9999-12-31", "1900-01-01"):
        with pytest.raises(forms.ValidationError):
            field.clean(value)
    assert field.clean("2026-06-01") == dt.date(2026, 6, 1)
