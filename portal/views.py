"""Public pages: read everything published, write nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from documents.views import file_response
from procurement.models import AnnouncementKind

from . import caching, selectors
from .filters import AnnouncementFilter, IntentionFilter, PublicFilterSet
from .pagination import CURSOR_PARAM, InvalidCursor, KeysetPage, paginate_keyset
from .presenters import labels, money, present_announcements, present_intentions

GENERIC_BODY_TEMPLATE = "portal/_announcement_data.html"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    notices = caching.cached_fragment("home", _home_notices)
    return render(request, "portal/home.html", {"notices": notices})


def _home_notices() -> str:
    from django.template.loader import render_to_string

    groups = selectors.latest_notices()
    for group in groups:
        present_announcements(group.items)
    context = {
        "groups": groups,
        "intentions": present_intentions(selectors.latest_intentions()),
    }
    return render_to_string("portal/_home_notices.html", context)


def _page(request: HttpRequest, filterset: PublicFilterSet) -> KeysetPage:
    """The requested page of the filtered list; a cursor that cannot be read means page one."""
    cursor = request.GET.get(CURSOR_PARAM) or None
    try:
        return paginate_keyset(filterset.qs, cursor=cursor, query=request.GET)
    except InvalidCursor:
        return paginate_keyset(filterset.qs, cursor=None, query=request.GET)


def _kind_tabs(query: QueryDict, current: str | None) -> list[dict]:
    """One tab per kind; switching kind keeps the other filters and starts at page one."""
    kept = [(k, v) for k, vs in query.lists() for v in vs if k not in ("kind", CURSOR_PARAM) and v]
    tabs = []
    for value, label in [("", _("All")), *labels(AnnouncementKind).items()]:
        params = kept + ([("kind", value)] if value else [])
        url = "?" + urlencode(params) if params else "?"
        tabs.append({"label": label, "url": url, "active": (current or "") == value})
    return tabs


@require_safe
def announcement_list(request: HttpRequest) -> HttpResponse:
    purchasers = selectors.purchaser_choices()
    filterset = AnnouncementFilter(
        request.GET, queryset=selectors.public_announcements(), purchasers=purchasers
    )
    page = _page(request, filterset)
    page.items = present_announcements(page.items, regions=selectors.region_names(purchasers))
    kind = filterset.form.cleaned_data.get("kind") if filterset.form.is_valid() else None
    context = {
        "filter": filterset,
        "page": page,
        "kind_label": labels(AnnouncementKind)[kind] if kind else None,
        "kind": kind,
        "kind_tabs": _kind_tabs(request.GET, kind),
    }
    return render(request, "portal/announcement_list.html", context)


@require_safe
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.get_public_announcement(pk=pk)
    # The kind's own fragment from procurement, or a plain rendering of the data until then.
    body = select_template([announcement.body_template, GENERIC_BODY_TEMPLATE])
    purchaser = announcement.purchaser
    context = {
        "announcement": announcement,
        "data": announcement.data,
        "body_template": body,
        "related": present_announcements(selectors.related_announcements(announcement)),
        "region_name": purchaser.region_name
        if purchaser.region_code == announcement.region_code
        else "",
        "budget_label": money(announcement.budget),
        "pdf_url": reverse("portal:announcement_pdf", args=[pk]) if announcement.pdf_id else "",
        "lot_links": _lot_links(announcement.data),
    }
    return render(request, "portal/announcement_detail.html", context)


@require_safe
def announcement_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The announcement as a PDF, for anyone: shown in the browser, not forced to download."""
    return file_response(selectors.get_public_announcement_pdf(pk=pk), as_attachment=False)


def _lot_links(data: dict) -> list[dict]:
    """Links to procurement's public lot pages (documents, questions) of the lots in `data`."""
    links = []
    lots = data.get("lots") if isinstance(data, dict) else None
    for lot in lots if isinstance(lots, list) else []:
        if not isinstance(lot, dict) or not isinstance(lot.get("id"), int):
            continue
        try:
            url = reverse("procurement:tender_lot", args=[lot["id"]])
        except NoReverseMatch:
            return []
        links.append({"number": lot.get("number"), "name": lot.get("name", ""), "url": url})
    return links


@require_safe
def intention_list(request: HttpRequest) -> HttpResponse:
    purchasers = selectors.purchaser_choices()
    filterset = IntentionFilter(
        request.GET, queryset=selectors.public_intentions(), purchasers=purchasers
    )
    page = _page(request, filterset)
    page.items = present_intentions(page.items, regions=selectors.region_names(purchasers))
    return render(request, "portal/intention_list.html", {"filter": filterset, "page": page})


@require_safe
def intention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intention = selectors.get_public_intention(pk=pk)
    return render(request, "portal/intention_detail.html", {"intention": intention})


@require_safe
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for the benchmark: the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
