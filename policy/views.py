"""Policy pages: the public statistics with their rows and export, the unit's 832 reserve, the
bureau's 832 progress."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.rules import is_bureau_supervisor
from accounts.selectors import organisation_of, role_of
from common.errors import DomainError, RulesBroken
from workdays.calendar import SHANGHAI

from . import services
from .exports import statistics_workbook
from .forms import ImportForm, ReserveForm
from .models import Reserve
from .selectors import figure_rows, progress_by_unit, statistics

ROWS = 500
KEYS = ("contracts", "sme", "small_micro", "financing", "reserved", "ordered", "completed")


def _this_year() -> int:
    return timezone.localdate(timezone=SHANGHAI).year


def public_statistics(request):
    stats = statistics()
    chart = {
        "years": [str(y["year"]) for y in reversed(stats.reserve_years)],
        "series": [
            {"name": name, "data": [float(y[key]) for y in reversed(stats.reserve_years)]}
            for key, name in (
                ("reserved", _("Reserved")),
                ("ordered", _("Ordered")),
                ("completed", _("Completed")),
            )
        ],
    }
    return render(
        request,
        "policy/statistics.html",
        {"stats": stats, "chart_json": json.dumps(chart, ensure_ascii=False)},
    )


def statistics_export(request):
    response = HttpResponse(
        statistics_workbook(statistics()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="policy-statistics.xlsx"'
    return response


def rows(request, key: str):
    """The rows a figure counts: its sum is the figure."""
    if key not in KEYS:
        raise Http404
    year = int(request.GET.get("year") or _this_year())
    found = list(figure_rows(key, year)[:ROWS])
    return render(request, "policy/rows.html", {"key": key, "rows": found, "year": year})


@login_required
def reserve(request):
    """A budget unit's 832 page: declare the reserve, import orders, see the rejection report."""
    if role_of(request.user) != OrganisationKind.PURCHASER:
        raise PermissionDenied
    unit = organisation_of(request.user)
    assert unit is not None  # a purchaser's role comes from its organisation
    year = _this_year()
    reserve_form = ReserveForm(initial={"year": year, "has_canteen": True})
    import_form = ImportForm()
    report = None
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                import_form = ImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    upload = import_form.cleaned_data["file"]
                    report = services.import_orders(
                        name=upload.name, data=upload.read(), acting_user=request.user
                    )
                    messages.success(
                        request,
                        _("%(n)s orders imported, %(u)s updated, %(r)s rows rejected.")
                        % {"n": report.imported, "u": report.updated, "r": len(report.rejected)},
                    )
            else:
                reserve_form = ReserveForm(request.POST)
                if reserve_form.is_valid():
                    services.declare_reserve(acting_user=request.user, **reserve_form.cleaned_data)
                    messages.success(request, _("The reserve is declared."))
        except DomainError as error:
            problems = error.messages if isinstance(error, RulesBroken) else [str(error)]
            for problem in problems:
                messages.error(request, problem)
    return render(
        request,
        "policy/reserve.html",
        {
            "reserve_form": reserve_form,
            "import_form": import_form,
            "report": report,
            "reserves": Reserve.objects.filter(unit=unit).order_by("-year"),
            "progress": [p for p in progress_by_unit(year) if p["unit"] == unit.name],
            "columns": services.IMPORT_COLUMNS,
        },
    )


@login_required
def progress(request):
    """The bureau: 832 progress by unit for a year."""
    if not is_bureau_supervisor(request.user):
        raise PermissionDenied
    year = int(request.GET.get("year") or _this_year())
    return render(request, "policy/progress.html", {"year": year, "units": progress_by_unit(year)})
