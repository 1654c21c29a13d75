"""The report and result pages: reached from the to-do and the lot, each object checked per
user (others get 404 or 403), every bidder shown its own result only (issue 11 §5–§7)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.todo import todo_items
from evaluation.models import Award, EvaluationState, ReportSignature
from evaluation.services import confirm_result, submit_report
from procurement.lot_links import lot_links

from .award_builders import scoring_evaluation

pytestmark = pytest.mark.django_db

REPORTED_AT = dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC)
CONFIRMED_AT = dt.datetime(2026, 4, 7, 3, 0, tzinfo=dt.UTC)


def status(client, user, url, method="get", data=None):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    client.logout()
    return response.status_code


def kinds(user):
    return {item.kind: item for item in todo_items(user)}


def test_the_leader_submits_from_its_to_do_and_the_members_sign_from_theirs(cast, client):
    scene = scoring_evaluation(cast)
    evaluation = scene.evaluation
    leader = scene.leader.user
    with time_machine.travel(REPORTED_AT, tick=False):
        item = kinds(leader)["evaluation.report_to_submit"]
        assert item.url == reverse("evaluation:report", args=[evaluation.pk])
        assert "evaluation.report_to_submit" not in kinds(scene.members[1].user)
        submit_url = reverse("evaluation:report_submit", args=[evaluation.pk])
        assert status(client, scene.members[1].user, submit_url, "post") == 403
        assert status(client, cast.supplier, submit_url, "post") == 404
        assert status(client, leader, submit_url, "post") == 302
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.REPORTED
    assert "evaluation.report_to_submit" not in kinds(leader)
    # Each member: sign or dissent, from its to-do.
    member = scene.members[2].user
    sign_url = reverse("evaluation:report_sign", args=[evaluation.pk])
    assert kinds(member)["evaluation.report_to_sign"].url == sign_url
    assert status(client, cast.purchaser, sign_url) == 403
    assert status(client, cast.supplier, sign_url) == 404
    client.force_login(member)
    page = client.get(sign_url).content.decode()
    assert "郑州甲科技有限公司" in page and "专家吴工" in page
    assert client.post(sign_url, {"dissent": "技术分偏高"}).status_code == 302
    assert ReportSignature.objects.get(member__user=member).dissent == "技术分偏高"
    assert "evaluation.report_to_sign" not in kinds(member)
    # The purchaser: confirm the result, due with the one-day clock (end of 7 April).
    confirm_item = kinds(cast.purchaser)["evaluation.result_to_confirm"]
    assert confirm_item.due == dt.datetime(2026, 4, 7, 16, 0, tzinfo=dt.UTC)


def test_the_report_is_for_the_committee_the_purchaser_and_the_bureau(cast, client):
    scene = scoring_evaluation(cast)
    with time_machine.travel(REPORTED_AT, tick=False):
        submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    url = reverse("evaluation:report", args=[scene.evaluation.pk])
    for user in [scene.leader.user, scene.members[3].user, cast.purchaser, cast.bureau]:
        assert status(client, user, url) == 200, user
    # Committee names stay secret from bidders and outsiders until the result (RULES.md D-2).
    for user in [cast.supplier, cast.supplier2, cast.agency, cast.purchaser2, cast.outsider]:
        assert status(client, user, url) == 404, user
    client.force_login(cast.purchaser)
    body = client.get(url).content.decode()
    assert "85.00" in body and "83.35" in body and "专家李工" in body
    assert 'data-testid="confirm-result"' in body
    links = lot_links([scene.lot], cast.purchaser)[scene.lot.pk]
    assert "evaluation_report" in [link.key for link in links]
    ours = {"evaluation_report", "award", "my_result"}
    assert not ours & {link.key for link in lot_links([scene.lot], cast.supplier)[scene.lot.pk]}
    pdf = client.get(reverse("evaluation:report_pdf", args=[scene.evaluation.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        status(client, cast.supplier, reverse("evaluation:report_pdf", args=[scene.evaluation.pk]))
        == 404
    )


def test_the_purchaser_confirms_on_its_page_and_the_others_may_not(cast, client):
    scene = scoring_evaluation(cast)
    with time_machine.travel(REPORTED_AT, tick=False):
        submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    scene.evaluation.refresh_from_db()
    url = reverse("evaluation:confirm", args=[scene.evaluation.pk])
    assert status(client, cast.bureau, url) == 403
    assert status(client, scene.leader.user, url) == 403
    for user in [cast.supplier, cast.agency, cast.purchaser2, cast.outsider]:
        assert status(client, user, url) == 404
    first = scene.evaluation.report["ranking"][0]
    client.force_login(cast.purchaser)
    with time_machine.travel(CONFIRMED_AT, tick=False):
        # A reason for rank 2 only is refused: the ranking's order is kept.
        second = scene.evaluation.report["ranking"][1]
        refused = client.post(url, {f"reason_{second}": "报价偏高"})
        assert (
            refused.status_code == 200 and 'data-testid="form-errors"' in refused.content.decode()
        )
        response = client.post(url, {f"reason_{first}": "中标候选人书面放弃"})
    award = Award.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "evaluation:award_notice", args=[award.pk]
    )
    assert award.bid == scene.bids["medium"]
    assert "evaluation.result_to_confirm" not in kinds(cast.purchaser)


def test_each_bidder_sees_its_own_result_only(cast, client):
    # Three bids, one unqualified: the tender needs three valid ones, so lower the minimum.
    from bidding.models import BiddingParameters

    BiddingParameters.objects.create(min_bids_public_tender=2)
    scene = scoring_evaluation(cast, unqualified={"third": "未提供有效的营业执照"})
    with time_machine.travel(REPORTED_AT, tick=False):
        submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    mine = reverse("evaluation:my_result", args=[scene.bids["medium"].uuid])
    assert status(client, cast.supplier2, mine) == 404  # nothing to see before the result
    with time_machine.travel(CONFIRMED_AT, tick=False):
        award = confirm_result(evaluation=scene.evaluation, acting_user=cast.purchaser)
    client.force_login(cast.supplier2)
    body = client.get(mine).content.decode()
    assert "83.35" in body and 'data-testid="own-rank"' in body
    assert "85.00" not in body  # not the winner's score
    assert "专家" not in body
    # Another bidder's result page is nobody else's.
    assert (
        client.get(reverse("evaluation:my_result", args=[scene.bids["small"].uuid])).status_code
        == 404
    )
    links = lot_links([scene.lot], cast.supplier2)[scene.lot.pk]
    assert [
        link.key for link in links if link.key in ("evaluation_report", "award", "my_result")
    ] == ["my_result"]
    # The bidder that failed qualification is told why (O87 Art 69).
    client.force_login(scene.third_user)
    third = client.get(reverse("evaluation:my_result", args=[scene.bids["third"].uuid]))
    assert "未提供有效的营业执照" in third.content.decode()
    # The award notice: the winner, the purchaser and the bureau; not the losers.
    notice = reverse("evaluation:award_notice", args=[award.pk])
    for user in [cast.supplier, cast.purchaser, cast.bureau]:
        assert status(client, user, notice) == 200
    for user in [cast.supplier2, scene.third_user, cast.outsider, scene.leader.user]:
        assert status(client, user, notice) == 404
    client.force_login(cast.supplier)
    pdf = client.get(reverse("evaluation:award_notice_pdf", args=[award.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_bureau_sees_the_result_clocks_running_and_breached(cast, client):
    from timers.services import sweep

    scene = scoring_evaluation(cast)
    with time_machine.travel(REPORTED_AT, tick=False):
        submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
    client.force_login(cast.bureau)
    with time_machine.travel(REPORTED_AT + dt.timedelta(hours=1), tick=False):
        body = client.get(reverse("accounts:home")).content.decode()
    assert body.count('data-testid="clock-running"') == 2 and str(scene.lot) in body
    with time_machine.travel(dt.datetime(2026, 4, 8, 1, 0, tzinfo=dt.UTC), tick=False):
        sweep()
        body = client.get(reverse("accounts:home")).content.decode()
    assert body.count('data-testid="clock-breached"') == 1
