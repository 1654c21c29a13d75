"""Public pages: read everything published, write nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string, select_template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from documents.views import file_response
from procurement.models import AnnouncementKind
from procurement.views.single_source import objection_panel

from . import caching, selectors
from .filters import AnnouncementFilter, IntentionFilter, PublicFilterSet
from .pagination import CURSOR_PARAM, InvalidCursor, KeysetPage, paginate_keyset
from .presenters import labels, money, present_announcements, present_intentions

GENERIC_BODY_TEMPLATE = "portal/_announcement_data.html"


@require_safe
@caching.anonymous_page
def home(request: HttpRequest) -> HttpResponse:
    notices = caching.cached_fragment("home", _home_notices)
    return render(request, "portal/home.html", {"notices": notices})


def _home_notices() -> str:
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


def _list_page(
    request: HttpRequest, filterset: PublicFilterSet, name: str, present, template: str
) -> SafeString:
    """The rows and page links of a list, rendered once per filters and cursor (cached)."""

    def build() -> str:
        page = _page(request, filterset)
        page.items = present(page.items, regions=selectors.region_names(filterset.purchasers))
        context = {
            "page": page,
            "filter_active": filterset.active,
            "filter_invalid": filterset.invalid,
        }
        return render_to_string(template, context)

    params = [(k, v) for k, vs in request.GET.lists() for v in vs]
    return caching.cached_fragment(name, build, vary=caching.vary_on(params))


@require_safe
@caching.anonymous_page
def announcement_list(request: HttpRequest) -> HttpResponse:
    purchasers = caching.cached("purchasers", selectors.purchaser_choices, local=True)
    filterset = AnnouncementFilter(
        request.GET, queryset=selectors.public_announcements(), purchasers=purchasers
    )
    kind = filterset.form.cleaned_data.get("kind") if filterset.form.is_valid() else None
    context = {
        "filter": filterset,
        "results": _list_page(
            request,
            filterset,
            "announcements",
            present_announcements,
            "portal/_announcement_results.html",
        ),
        "kind_label": labels(AnnouncementKind)[kind] if kind else None,
        "kind": kind,
        "kind_tabs": _kind_tabs(request.GET, kind),
    }
    return render(request, "portal/announcement_list.html", context)


@require_safe
@caching.anonymous_page
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = caching.cached("announcement", lambda: _announcement_article(pk), vary=str(pk))
    # Our own rendered template, kept in the cache as a plain string.
    context = {**article, "article": mark_safe(article["article"])}  # noqa: S308
    if article["kind"] == AnnouncementKind.SINGLE_SOURCE_NOTICE:
        # Procurement's objection form (O74 Art 39), outside the cached notice: it depends on
        # the moment and carries a CSRF token (so anonymous_page keeps no copy while it shows).
        context["objection_panel"] = mark_safe(  # noqa: S308 - our own rendered template
            objection_panel(request, announcement_id=pk)
        )
    return render(request, "portal/announcement_detail.html", context)


def _announcement_article(pk: int) -> dict:
    """The notice's page body and title (404 for anything not published: never cached)."""
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
    return {
        "title": announcement.title,
        "kind": announcement.kind,
        "kind_label": labels(AnnouncementKind).get(announcement.kind, announcement.kind),
        "article": str(render_to_string("portal/_announcement_article.html", context)),
    }


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
@caching.anonymous_page
def intention_list(request: HttpRequest) -> HttpResponse:
    purchasers = caching.cached("purchasers", selectors.purchaser_choices, local=True)
    filterset = IntentionFilter(
        request.GET, queryset=selectors.public_intentions(), purchasers=purchasers
    )
    results = _list_page(
        request, filterset, "intentions", present_intentions, "portal/_intention_results.html"
    )
    return render(request, "portal/intention_list.html", {"filter": filterset, "results": results})


@require_safe
@caching.anonymous_page
def intention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def build() -> dict:
        intention = selectors.get_public_intention(pk=pk)
        html = render_to_string("portal/_intention_article.html", {"intention": intention})
        return {"title": intention.project_name, "article": str(html)}

    article = caching.cached("intention", build, vary=str(pk))
    context = {**article, "article": mark_safe(article["article"])}  # noqa: S308 - as above
    return render(request, "portal/intention_detail.html", context)


@require_safe
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for the benchmark: the whole middleware stack, no query, no template.

    It exists only while a benchmark runs (settings.BENCHMARK, set by bench/harness.py): the
    product has no such page."""
    if not settings.BENCHMARK:
        raise Http404
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
