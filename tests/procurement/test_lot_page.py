"""The public lot page and the tender list: 流标 with its reason, and the 投标 link."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from procurement.models import LotState
from procurement.services import close_lot

from .factories import make_announced_project
from .timeline import DEADLINE, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    with time_machine.travel(NOW, tick=False):
        return make_announced_project(cast, deadline=DEADLINE)


def test_a_lot_without_bids_shows_failed_for_too_few_bids_with_its_reason(client, cast, project):
    lot = project.lots.get(number=1)
    with time_machine.travel(DEADLINE, tick=False):
        assert close_lot(lot_id=lot.pk)
    lot.refresh_from_db()
    assert lot.state == LotState.FAILED  # the opening found no bid (O87 Art 41)
    url = reverse("procurement:tender_lot", args=[lot.pk])
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1), tick=False):
        for user in (None, cast.supplier):
            if user is not None:
                client.force_login(user)
            page = client.get(url).content.decode()
            state = page[page.index('data-testid="lot-state"') :]
            assert state[: state.index("</span>")].endswith("流标")
            assert "已废标" not in page
            reason = page[page.index('data-testid="failure-reason"') :]
            reason = reason[: reason.index("</div>")]
            assert "截止时仅收到 0 份投标；该采购方式至少需要 3 份" in reason and "流标" in reason
            # Nothing invites a supplier to take the documents, ask or bid any more.
            assert "供应商登录后可下载招标文件并提出问题" not in page
            assert 'data-testid="download"' not in page and 'data-testid="ask"' not in page
            assert 'data-testid="bid-link"' not in page


def test_signed_in_suppliers_get_a_bid_link_while_the_lot_takes_bids(client, cast, project):
    lot = project.lots.get(number=1)
    bid_url = reverse("bidding:submit", args=[lot.pk])
    lot_url = reverse("procurement:tender_lot", args=[lot.pk])
    tenders = reverse("procurement:tenders")
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        client.force_login(cast.supplier)
        assert f'href="{bid_url}"' in client.get(lot_url).content.decode()
        assert f'href="{bid_url}"' in client.get(tenders).content.decode()
        for user in (cast.purchaser, cast.agency, cast.bureau):
            client.force_login(user)
            assert bid_url not in client.get(lot_url).content.decode()
        client.logout()
        assert bid_url not in client.get(lot_url).content.decode()
    # At the deadline (before the clock closes the lot) the link is gone.
    with time_machine.travel(DEADLINE, tick=False):
        client.force_login(cast.supplier)
        assert bid_url not in client.get(lot_url).content.decode()
        assert bid_url not in client.get(tenders).content.decode()
