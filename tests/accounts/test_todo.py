"""The to-do list (issue 10 §1): each role sees the steps its organisation owes, with their due
time and link; an item appears when the step is owed and goes the moment it is done."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from accounts.todo import TodoItem, todo_items
from bidding.models import Opening
from bidding.services import decrypt_bid, respond_to_record
from procurement.services import (
    answer_question,
    ask_question,
    create_project,
    file_plan,
    publish_intention,
    publish_tender_announcement,
    return_plan,
    submit_plan,
)
from tests.bidding.helpers import PASSPHRASE, announced_lot, bid, third_supplier
from tests.procurement.factories import (
    make_intention,
    make_plan,
    make_ready_project,
)
from timers.services import sweep
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return [item.kind for item in todo_items(user)]


def test_a_plan_goes_from_the_purchasers_to_do_to_the_bureaus_and_back(cast):
    intention = make_intention(cast, published_days_ago=None)
    assert kinds(cast.purchaser) == ["procurement.intention_to_publish"]
    publish_intention(intention=intention, acting_user=cast.purchaser)
    assert kinds(cast.purchaser) == []

    plan = make_plan(cast, filed=False, agency=organisation_of(cast.agency))
    assert kinds(cast.purchaser) == ["procurement.plan_to_submit"]
    assert kinds(cast.bureau) == []
    submit_plan(plan=plan, acting_user=cast.purchaser)
    assert kinds(cast.purchaser) == [] and kinds(cast.bureau) == ["procurement.plan_to_file"]
    return_plan(plan=plan, reasons="预算依据不足。", acting_user=cast.bureau)
    [item] = todo_items(cast.purchaser)
    assert item.kind == "procurement.plan_to_correct" and item.note == "预算依据不足。"
    assert item.url == reverse("procurement:plan_detail", args=[plan.pk])
    assert kinds(cast.bureau) == []
    submit_plan(plan=plan, acting_user=cast.purchaser)
    file_plan(plan=plan, acting_user=cast.bureau)
    assert kinds(cast.bureau) == []
    # Filed: the purchaser and the agency it entrusted prepare the project; either does it.
    assert kinds(cast.purchaser) == kinds(cast.agency) == ["procurement.project_to_prepare"]
    project = create_project(plan=plan, acting_user=cast.agency)
    assert kinds(cast.purchaser) == []
    # The agency runs the tender: setting up and announcing the lots is its step.
    assert kinds(cast.agency) == ["procurement.lots_to_announce"]
    for other in (cast.purchaser2, cast.supplier, cast.bank, cast.expert, cast.outsider):
        assert kinds(other) == [], other
    assert project.pk


def test_a_question_is_the_answering_organisations_to_do_until_answered(cast):
    deadline = dt.datetime(2026, 3, 24, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        project = make_ready_project(cast, deadline=deadline)
        assert kinds(cast.purchaser) == ["procurement.lots_to_announce"]
        publish_tender_announcement(project=project, acting_user=cast.purchaser)
        assert kinds(cast.purchaser) == []
        lot = project.lots.get(number=1)
        question = ask_question(lot=lot, question="可否分批交货？", acting_user=cast.supplier)
        [item] = todo_items(cast.purchaser)
        assert item.kind == "procurement.question_to_answer" and item.due == deadline
        assert item.url == reverse("procurement:clarification_answer", args=[question.pk])
        assert kinds(cast.supplier) == []
        answer_question(clarification=question, answer="不可分批。", acting_user=cast.purchaser)
        assert kinds(cast.purchaser) == []


DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)


def test_a_bidder_owes_its_decryption_and_its_confirmation_each_until_done(cast):
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=DEADLINE)
    third = third_supplier()
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        bids = [bid(lot, user) for user in (cast.supplier, cast.supplier2, third)]
        assert kinds(cast.supplier) == []  # nothing owed before the opening
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
        opening = Opening.objects.get(lot=lot)
        [item] = todo_items(cast.supplier)
        assert item.kind == "bidding.bid_to_decrypt" and item.due == opening.window_ends_at
        assert item.url == reverse("bidding:opening", args=[lot.pk])
        # While the opening goes well the organiser owes nothing of it: only the committee it
        # has not drawn yet (experts.todo; owed from two working days before the evaluation).
        assert kinds(cast.purchaser) == ["experts.committee_to_draw"]
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        assert kinds(cast.supplier) == []
        assert kinds(cast.supplier2) == ["bidding.bid_to_decrypt"]
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], passphrase=PASSPHRASE, acting_user=third)
        opening.refresh_from_db()
        [item] = todo_items(cast.supplier)
        assert item.kind == "bidding.record_to_confirm"
        assert item.due == opening.confirmation_ends_at
        respond_to_record(opening=opening, kind="confirm", acting_user=cast.supplier)
        assert kinds(cast.supplier) == []
        assert kinds(cast.supplier2) == ["bidding.record_to_confirm"]
    with time_machine.travel(opening.confirmation_ends_at, tick=False):
        assert kinds(cast.supplier2) == []  # the window ended: deemed to accept (O87 Art 42)


def test_an_item_counts_working_days_to_its_due_day_and_knows_when_it_is_overdue():
    # Due at 24:00 on Friday 9 October 2026: from Wednesday 30 September, the National Day
    # holiday lies between — 8 and 9 October are the working days left.
    item = TodoItem(
        kind="x",
        title="t",
        subject="s",
        url="/",
        due=dt.datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI),
    )
    assert item.working_days_left(dt.datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)) == 2
    assert item.working_days_left(dt.datetime(2026, 10, 9, 8, 0, tzinfo=SHANGHAI)) == 0
    assert not item.overdue(dt.datetime(2026, 10, 9, 23, 59, tzinfo=SHANGHAI))
    assert item.overdue(dt.datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI))


def test_the_home_opens_with_the_list_and_the_top_bar_fetches_the_count(client, cast):
    make_intention(cast, published_days_ago=None, project_name="图书采购")
    client.force_login(cast.purchaser)
    home = client.get(reverse("accounts:home")).content.decode()
    assert home.index('data-testid="home-todo"') < home.index('data-role="purchaser"')
    assert "发布采购意向" in home and "图书采购" in home
    assert f'hx-get="{reverse("accounts:todo_count")}"' in home
    count = client.get(reverse("accounts:todo_count")).content.decode()
    assert 'data-testid="todo-count"' in count and ">1<" in count
    page = client.get(reverse("accounts:todo")).content.decode()
    assert page.count('data-testid="todo-item"') == 1 and "无时限" in page
    client.force_login(cast.supplier)
    assert "hidden>0<" in client.get(reverse("accounts:todo_count")).content.decode()


def test_the_to_do_page_is_for_signed_in_users_only(client):
    response = client.get(reverse("accounts:todo"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_an_overdue_item_is_highlighted(client, cast, monkeypatch):
    from accounts import todo as todo_module

    past = dt.datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)

    def provider(owed):
        if owed.role == "purchaser":
            yield TodoItem(kind="test.late", title="迟到的事项", subject="项目", url="/", due=past)

    monkeypatch.setattr(todo_module, "_providers", [*todo_module._providers, provider])
    client.force_login(cast.purchaser)
    page = client.get(reverse("accounts:todo")).content.decode()
    row = page[page.index('data-kind="test.late"') - 200 : page.index('data-kind="test.late"')]
    assert "list-group-item-danger" in row and "已逾期" in page
