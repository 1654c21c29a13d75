"""A lot's state reads the same on every page that shows it (issue 10 §4 and its tests): the
public lot page, the project page and list, the lots by state, the agency's home, the bidder's
home, its bids, its receipt and the closed bid form all say what procurement.status says, for
a lot in each state of its life."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.selectors import organisation_of
from bidding.models import Bid
from bidding.services import decrypt_bid
from procurement.models import Lot, LotState
from procurement.services import cancel_procurement
from procurement.status import lot_status
from tests.procurement.factories import make_project
from timers.services import sweep
from workdays.calendar import SHANGHAI

from .helpers import PASSPHRASE, announced_lot, bid, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 6, 11, 9, 30, tzinfo=SHANGHAI)
BEFORE = DEADLINE - dt.timedelta(days=1)

# Every element that shows a lot's state, by its test id; a list of projects numbers its lots
# ("1. 投标中"), the agency's home counts the projects at each step ("投标中 3").
STATE = re.compile(
    r'data-testid="(lot-state|list-lot-state|home-lot-state|lot-status|home-step)"[^>]*>'
    r"\s*(?:\d+\.\s*)?([^<]*?)\s*<"
)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@dataclass
class Story:
    lot: Lot
    bids: list[Bid]
    now: dt.datetime  # when the pages are read


def _announced(cast, *, bidders: int) -> tuple[Lot, list[Bid]]:
    with at(DEADLINE - dt.timedelta(days=31)):
        lot = announced_lot(cast, deadline=DEADLINE, agency=organisation_of(cast.agency))
    users = [cast.supplier, cast.supplier2, third_supplier()][:bidders]
    with at(BEFORE):
        bids = [bid(lot, user) for user in users]
    return lot, bids


def draft(cast) -> Story:
    with at(BEFORE):
        lot = make_project(cast, agency=organisation_of(cast.agency)).lots.get(number=1)
    return Story(lot, [], BEFORE)


def taking_bids(cast) -> Story:
    lot, bids = _announced(cast, bidders=1)
    return Story(lot, bids, BEFORE + dt.timedelta(hours=1))


def past_its_deadline(cast) -> Story:
    """The deadline has passed and the sweep has not run yet: closed for bids all the same."""
    lot, bids = _announced(cast, bidders=1)
    return Story(lot, bids, DEADLINE + dt.timedelta(seconds=30))


def opening(cast) -> Story:
    lot, bids = _announced(cast, bidders=3)
    with at(DEADLINE):
        sweep()
    return Story(lot, bids, DEADLINE + dt.timedelta(minutes=1))


def opened(cast) -> Story:
    lot, bids = _announced(cast, bidders=3)
    with at(DEADLINE):
        sweep()
    with at(DEADLINE + dt.timedelta(minutes=2)):
        for sealed in bids:
            decrypt_bid(bid=sealed, passphrase=PASSPHRASE, acting_user=sealed.submitted_by)
    return Story(lot, bids, DEADLINE + dt.timedelta(minutes=5))


def too_few_bids(cast) -> Story:
    lot, bids = _announced(cast, bidders=1)
    with at(DEADLINE):
        sweep()
    return Story(lot, bids, DEADLINE + dt.timedelta(minutes=5))


def terminated(cast) -> Story:
    lot, bids = _announced(cast, bidders=1)
    with at(BEFORE + dt.timedelta(hours=1)):
        cancel_procurement(
            project=lot.project, reason="采购需求发生重大变化。", acting_user=cast.agency
        )
    return Story(lot, bids, BEFORE + dt.timedelta(hours=2))


# Each story, the FSM state it leaves and the label people read (zh-hans).
STORIES: list[tuple[Callable[..., Story], str, str]] = [
    (draft, LotState.DRAFT, "草稿"),
    (taking_bids, LotState.ANNOUNCED, "投标中"),
    (past_its_deadline, LotState.ANNOUNCED, "投标已截止"),
    (opening, LotState.OPENING, "开标中"),
    (opened, LotState.OPENED, "已开标"),
    (too_few_bids, LotState.FAILED, "流标"),
    (terminated, LotState.CANCELLED, "已终止"),
]


def pages(cast, story: Story) -> list[tuple[str, object, str]]:
    """(who, user or None for the public, address) of every page that shows the lot's state."""
    lot = story.lot
    project_pages = [
        reverse("procurement:project_detail", args=[lot.project_id]),
        reverse("procurement:projects"),
        reverse("procurement:lots"),
    ]
    found: list[tuple[str, object, str]] = [
        *[("purchaser", cast.purchaser, url) for url in project_pages],
        *[("agency", cast.agency, url) for url in project_pages],
        ("agency", cast.agency, reverse("accounts:home")),
        *[("bureau", cast.bureau, url) for url in project_pages],
    ]
    if lot.state != LotState.DRAFT:
        found.append(("public", None, reverse("procurement:tender_lot", args=[lot.pk])))
    for sealed in story.bids[:1]:
        found += [
            ("bidder", sealed.submitted_by, reverse("accounts:home")),
            ("bidder", sealed.submitted_by, reverse("bidding:mine")),
            ("bidder", sealed.submitted_by, reverse("bidding:receipt", args=[sealed.uuid])),
        ]
        if not lot_status(lot, now=story.now).takes_bids:
            # The bid form, closed: it says why and in which state the lot is.
            found.append(("bidder", sealed.submitted_by, reverse("bidding:submit", args=[lot.pk])))
    return found


@pytest.mark.parametrize(
    ("build", "state", "label"), STORIES, ids=[build.__name__ for build, _s, _l in STORIES]
)
def test_every_page_that_shows_the_lot_says_its_state_as_procurement_status_does(
    cast, build, state, label
):
    story = build(cast)
    lot = Lot.objects.get(pk=story.lot.pk)
    assert lot.state == state
    with at(story.now), translation.override("zh-hans"):
        assert lot_status(lot, now=story.now).label == label
        read: dict[str, set[str]] = {}
        for who, user, url in pages(cast, story):
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            shown = {text for _testid, text in STATE.findall(response.content.decode())}
            assert shown, f"{who} {url} shows no state of the lot"
            read[f"{who} {url}"] = shown
    assert all(shown == {label} for shown in read.values()), read
