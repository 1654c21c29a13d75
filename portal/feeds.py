"""Atom feeds of the public notices: one per announcement kind, one of intentions."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from procurement.models import (
    Announcement,
    AnnouncementKind,
    ProcurementIntention,
    ProcurementMethod,
)

from . import caching
from .presenters import labels, money
from .selectors import public_announcements, public_intentions

FEED_SIZE = 50
ALL_KINDS = "all"


class CachedFeed(Feed):
    """A feed whose document is kept in the portal's cache like the pages' fragments."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        def build() -> tuple[bytes, str]:
            response = super(CachedFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"]

        name = f"feed:{type(self).__name__}"
        content, content_type = caching.cached(
            name, build, vary=":".join(map(str, kwargs.values()))
        )
        return HttpResponse(content, content_type=content_type)


class AnnouncementFeed(CachedFeed):
    """The 50 newest published announcements of one kind (or of all kinds), in one query."""

    def get_object(self, request, kind: str) -> str:
        if kind != ALL_KINDS and kind not in AnnouncementKind.values:
            raise Http404("No such kind")
        return kind

    def title(self, obj: str) -> str:
        label = _("All announcements") if obj == ALL_KINDS else AnnouncementKind(obj).label
        return _("%(kind)s — Yangguang Procurement") % {"kind": label}

    def subtitle(self, obj: str) -> str:
        return _("The newest public procurement notices of the city.")

    def link(self, obj: str) -> str:
        url = reverse("portal:announcements")
        return url if obj == ALL_KINDS else f"{url}?kind={obj}"

    def feed_url(self, obj: str) -> str:
        return reverse("portal:announcement_feed", args=[obj])

    def items(self, obj: str):
        qs = public_announcements()
        if obj != ALL_KINDS:
            qs = qs.filter(kind=obj)
        return qs[:FEED_SIZE]

    def item_link(self, item: Announcement) -> str:
        return f"{reverse('portal:announcements')}{item.pk}/"

    def item_title(self, item: Announcement) -> str:
        return item.title

    def item_description(self, item: Announcement) -> str:
        parts = [
            labels(AnnouncementKind).get(item.kind, item.kind),
            item.purchaser.name,
            labels(ProcurementMethod).get(item.method, item.method),
        ]
        if item.budget is not None:
            parts.append(_("budget %(amount)s") % {"amount": money(item.budget)})
        return " · ".join(parts)

    def item_pubdate(self, item: Announcement):
        return item.published_at

    def item_updateddate(self, item: Announcement):
        return item.published_at

    def item_author_name(self, item: Announcement) -> str:
        return item.purchaser.name

    def item_categories(self, item: Announcement) -> list[str]:
        return [labels(AnnouncementKind).get(item.kind, item.kind)]


class IntentionFeed(CachedFeed):
    """The 50 newest published procurement intentions, in one query."""

    def title(self) -> str:
        return _("%(kind)s — Yangguang Procurement") % {"kind": _("Procurement intentions")}

    def subtitle(self) -> str:
        return _("What the city's purchasers intend to buy, disclosed before they buy it.")

    def link(self) -> str:
        return reverse("portal:intentions")

    def feed_url(self) -> str:
        return reverse("portal:intention_feed")

    def items(self):
        return public_intentions()[:FEED_SIZE]

    def item_title(self, item: ProcurementIntention) -> str:
        return item.project_name

    def item_description(self, item: ProcurementIntention) -> str:
        parts = [
            item.purchaser.name,
            _("budget %(amount)s") % {"amount": money(item.budget)},
            _("expected %(month)s") % {"month": item.expected_month.strftime("%Y-%m")},
        ]
        if item.sme_reserved:
            parts.append(_("reserved for SMEs"))
        return " · ".join(str(p) for p in parts)

    def item_link(self, item: ProcurementIntention) -> str:
        return reverse("portal:intention", args=[item.pk])

    def item_pubdate(self, item: ProcurementIntention):
        return item.published_at

    def item_updateddate(self, item: ProcurementIntention):
        return item.published_at

    def item_author_name(self, item: ProcurementIntention) -> str:
        return item.purchaser.name
