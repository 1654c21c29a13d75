"""The review pages: reached from the lot, the home and the to-do; access per object (others get
404/403); the declaration before any bid; the sheet's privacy on the page; the bidder's answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.todo import todo_items
from evaluation.models import PriceInquiry
from evaluation.services import (
    ask_price_explanation,
    sign_declaration,
    start_evaluation,
)
from procurement.lot_links import lot_links
from tests.bidding.helpers import pdf_file

from .builders import opened_lot, seated_committee
from .test_review import comply_all, declare_all, full_sheet, qualify_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def opened(cast):
    return opened_lot(cast)


@pytest.fixture
def lot(opened):
    return opened[0]


@pytest.fixture
def seats(cast, lot):
    return seated_committee(cast, lot)


def kinds(user) -> set[str]:
    return {item.kind for item in todo_items(user)}


def status(client, user, url, method="get", data=None) -> int:
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def test_the_agency_starts_from_its_to_do_and_the_lot_link(client, cast, lot, seats):
    assert "evaluation.start_due" in kinds(cast.agency)
    assert "evaluation.start_due" not in kinds(cast.purchaser)  # the agency runs it
    keys = [link.key for link in lot_links([lot], cast.agency)[lot.pk]]
    assert "start_evaluation" in keys
    url = reverse("evaluation:start", args=[lot.pk])
    for user, code in [
        (cast.purchaser, 403),
        (cast.purchaser2, 404),
        (cast.supplier, 404),
        (cast.expert, 404),
        (cast.outsider, 404),
    ]:
        assert status(client, user, url, "post") == code, user
    client.force_login(cast.agency)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.state == "evaluating"
    assert "evaluation.start_due" not in kinds(cast.agency)
    assert "evaluation.qualification_due" in kinds(cast.agency)
    assert "evaluation.qualification_due" in kinds(cast.purchaser)
    assert "evaluation" in [link.key for link in lot_links([lot], cast.purchaser)[lot.pk]]
    assert not any(
        link.key.endswith("evaluation") for link in lot_links([lot], cast.supplier)[lot.pk]
    )


@pytest.fixture
def evaluation(cast, lot, seats):
    return start_evaluation(lot=lot, acting_user=cast.agency)


def test_the_overview_shows_the_committee_to_staff_and_bureau_only(client, cast, evaluation):
    url = reverse("evaluation:overview", args=[evaluation.lot_id])
    for user in (cast.agency, cast.purchaser, cast.bureau):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "专家陈教授" in page, user
    for user in (cast.supplier, cast.purchaser2, cast.outsider, cast.bank):
        assert status(client, user, url) == 404, user
    # a member is sent to its own page, never the committee's list
    client.force_login(cast.expert)
    response = client.get(url)
    assert response.status_code == 302 and "declaration" in response["Location"]


def test_a_member_declares_before_any_bid_is_shown(client, cast, evaluation, seats):
    assert "evaluation.declaration_due" in kinds(cast.expert)
    lot_id = evaluation.lot_id
    client.force_login(cast.expert)
    assert client.get(reverse("evaluation:compliance", args=[lot_id])).status_code == 403
    assert client.get(reverse("evaluation:sheet", args=[lot_id])).status_code == 403
    page = client.get(reverse("evaluation:declaration", args=[lot_id])).content.decode()
    assert "郑州甲科技有限公司" in page and "100,000" not in page and "100000" not in page
    response = client.post(reverse("evaluation:declaration", args=[lot_id]), {"no_conflict": "1"})
    assert response.status_code == 302
    assert "evaluation.declaration_due" not in kinds(cast.expert)
    for user in (cast.agency, cast.supplier, cast.outsider):
        assert status(client, user, reverse("evaluation:declaration", args=[lot_id])) == 404


def test_the_qualification_page_is_the_staffs(client, cast, evaluation, seats, opened):
    bids = opened[1]
    url = reverse("evaluation:qualification", args=[evaluation.lot_id])
    for user in (cast.expert, cast.supplier, cast.purchaser2, cast.bureau):
        assert status(client, user, url) == 404, user
    client.force_login(cast.purchaser)
    assert client.get(url).status_code == 200
    review = evaluation.reviews.get(bid=bids[0])
    client.post(
        url,
        {
            "review": review.pk,
            "qualified": "0",
            "reason": "",
            "credit_checked_at": "2026-11-10T10:00",
            "credit_listed": "on",
        },
    )
    review.refresh_from_db()
    assert review.credit_listed and review.qualified is False


def test_the_compliance_page_shows_the_leads_and_only_the_leader_records(
    client, cast, evaluation, seats
):
    declare_all(evaluation, seats)
    qualify_all(evaluation, cast.agency)
    url = reverse("evaluation:compliance", args=[evaluation.lot_id])
    client.force_login(seats.members[1].user)
    page = client.get(url).content.decode()
    assert 'data-testid="compliance-row"' in page and "finish-compliance" not in page
    review = evaluation.reviews.first()
    record = reverse("evaluation:record_compliance", args=[evaluation.lot_id, review.pk])
    client.post(record, {f"c{review.pk}-compliant": "1"})
    review.refresh_from_db()
    assert review.compliant is None  # refused: not the leader
    client.force_login(cast.expert)
    page = client.get(url).content.decode()
    assert "finish-compliance" in page
    client.post(record, {f"c{review.pk}-compliant": "1"})
    review.refresh_from_db()
    assert review.compliant is True
    assert "evaluation.compliance_due" in kinds(cast.expert)
    for user in (cast.supplier, cast.outsider, cast.purchaser2):
        assert status(client, user, url) == 404


def test_the_sheet_page_keeps_other_members_scores_private(client, cast, evaluation, seats):
    declare_all(evaluation, seats)
    qualify_all(evaluation, cast.agency)
    comply_all(evaluation, seats.leader.user)
    other = seats.members[1].user
    assert "evaluation.scoring_due" in kinds(other)
    url = reverse("evaluation:sheet", args=[evaluation.lot_id])
    client.force_login(other)
    data = {f"s-{b}-{c}": str(v) for (b, c), v in full_sheet(evaluation, ("33", "11")).items()}
    client.post(url, {**data, "submit": "1"})
    assert "evaluation.scoring_due" not in kinds(other)
    client.force_login(cast.expert)
    page = client.get(url).content.decode()
    assert 'value="33' not in page and 'data-testid="summary"' not in page
    assert 'data-testid="progress"' in page and "专家2" not in page  # seats, not names
    bad = {next(iter(data)): "99"}
    response = client.post(url, bad, follow=True)
    assert "99" in response.content.decode()  # the refusal names the score
    assert not evaluation.sheets.get(member=seats.leader).scores.exists()
    client.post(url, {**data, "submit": "1"})
    page = client.get(url).content.decode()
    assert 'data-testid="summary"' in page and "44.00" in page


def test_the_bidder_answers_from_its_to_do(client, cast):
    cheap_lot, bids = opened_lot(cast, prices=("60000.00", "100000.00", "110000.00", "120000.00"))
    cheap_seats = seated_committee(cast, cheap_lot)
    evaluation = start_evaluation(lot=cheap_lot, acting_user=cast.agency)
    declare_all(evaluation, cheap_seats)
    qualify_all(evaluation, cast.agency)
    client.force_login(cast.expert)
    page = client.get(reverse("evaluation:compliance", args=[cheap_lot.pk])).content.decode()
    assert 'data-testid="low-price-flag"' in page
    inquiry = ask_price_explanation(
        review=evaluation.reviews.get(bid=bids[0]),
        question="请说明",
        due=timezone.now() + dt.timedelta(hours=3),
        acting_user=cast.expert,
    )
    items = [i for i in todo_items(cast.supplier) if i.kind == "evaluation.price_explanation_due"]
    assert items and items[0].due == inquiry.due
    url = items[0].url
    for user in (cast.supplier2, cast.agency, cast.expert):
        assert status(client, user, url) == 404
    client.force_login(cast.supplier)
    response = client.post(url, {"answer": "自有工厂", "proof": [pdf_file("证明.pdf")]})
    assert response.status_code == 302
    inquiry = PriceInquiry.objects.get(pk=inquiry.pk)
    assert inquiry.answered_at is not None and inquiry.answer_files.count() == 1
    assert "evaluation.price_explanation_due" not in kinds(cast.supplier)
    proof = inquiry.answer_files.get()
    download = reverse("documents:download", args=[proof.uuid])
    client.force_login(cast.expert)
    assert client.get(download).status_code == 200
    client.force_login(cast.supplier2)
    assert client.get(download).status_code in (403, 404)


def test_a_recused_member_leaves_a_replacement_on_the_staffs_to_do(client, cast, evaluation, seats):
    sign_declaration(
        evaluation=evaluation,
        no_conflict=False,
        conflict_detail="亲属",
        acting_user=seats.members[2].user,
    )
    assert "evaluation.member_to_replace" in kinds(cast.agency)
    client.force_login(seats.members[2].user)
    assert client.get(reverse("evaluation:overview", args=[evaluation.lot_id])).status_code == 404


def test_the_homes_show_the_evaluations(client, cast, evaluation, seats):
    client.force_login(cast.expert)
    page = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="home-evaluations"' in page
    client.force_login(cast.agency)
    page = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="home-staff-evaluations"' in page
    client.force_login(cast.supplier)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "home-evaluations" not in page and "专家陈教授" not in page
