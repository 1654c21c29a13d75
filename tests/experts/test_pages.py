"""The pages: the committee page reached from the project page, the invitation reached from the
notification, the to-do and the home; each refused to the other roles; names hidden."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.todo import todo_items
from experts.models import Committee, MemberKind, MemberState
from notifications.models import Notification

from .helpers import DRAW_AT, EVALUATION, category_lot, experts, formed

pytestmark = pytest.mark.django_db

SOON = DRAW_AT + dt.timedelta(minutes=5)


@pytest.fixture
def lot(cast):
    return category_lot(cast)


def test_the_purchaser_draws_from_the_page_reached_from_the_project(client, cast, lot):
    experts(6)
    client.force_login(cast.purchaser)
    with time_machine.travel(DRAW_AT, tick=False):
        project = client.get(reverse("procurement:project_detail", args=[lot.project_id]))
        url = reverse("experts:committee", args=[lot.pk])
        assert url in project.content.decode()
        assert [i.kind for i in todo_items(cast.purchaser)].count("experts.committee_to_draw") == 1
        response = client.post(
            url,
            {"evaluation_at": "2026-03-25T09:00", "size": "5", "representative": ""},
        )
        assert response.status_code == 302
        assert "experts.committee_to_draw" not in [i.kind for i in todo_items(cast.purchaser)]
        page = client.get(url).content.decode()
    committee = Committee.objects.get(lot=lot)
    assert committee.evaluation_at == EVALUATION
    assert 'data-testid="members"' in page and 'data-testid="draw"' in page


def test_a_refused_draw_names_the_rule(client, cast, lot):
    experts(6)
    client.force_login(cast.purchaser)
    with time_machine.travel(DRAW_AT, tick=False):
        response = client.post(
            reverse("experts:committee", args=[lot.pk]),
            {"evaluation_at": "2026-03-25T09:00", "size": "4"},
        )
    assert response.status_code == 200
    assert "第四十七条" in response.content.decode()
    assert not Committee.objects.exists()


@pytest.mark.parametrize(
    "role", ["supplier", "supplier2", "expert", "outsider", "purchaser2", "bank"]
)
def test_the_committee_page_is_hidden_from_other_roles(client, cast, lot, role):
    experts(6)
    formed(lot, cast.purchaser)
    client.force_login(getattr(cast, role))
    url = reverse("experts:committee", args=[lot.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"size": "5"}).status_code == 404
    assert client.get(reverse("experts:draw_record", args=[lot.pk, 1])).status_code == 404


def test_the_bureau_reads_the_committee_but_does_not_draw(client, cast, lot):
    experts(6)
    client.force_login(cast.bureau)
    url = reverse("experts:committee", args=[lot.pk])
    assert client.get(url).status_code == 200
    with time_machine.travel(DRAW_AT, tick=False):
        assert client.post(url, {"evaluation_at": "2026-03-25T09:00", "size": "5"}).status_code in (
            403,
            404,
        )
    assert not Committee.objects.exists()
    assert client.post(reverse("experts:replace", args=[lot.pk])).status_code == 403


def test_the_expert_answers_from_the_notification_its_todo_and_its_home(client, cast, lot):
    experts(6)
    committee = formed(lot, cast.purchaser)
    member = committee.members.filter(kind=MemberKind.EXPERT).order_by("pk").first()
    others = committee.members.exclude(pk=member.pk)
    url = reverse("experts:invitation", args=[member.pk])
    assert Notification.objects.get(kind="experts.invited", recipient=member.user).url == url
    client.force_login(member.user)
    with time_machine.travel(SOON, tick=False):
        items = todo_items(member.user)
        assert [(i.kind, i.url, i.due) for i in items] == [
            ("experts.invitation_to_answer", url, member.respond_by)
        ]
        home = client.get(reverse("accounts:home")).content.decode()
        assert url in home
        for other in others:
            assert other.user.full_name not in home
        page = client.get(url).content.decode()
        for other in others:
            assert other.user.full_name not in page
        assert client.post(url, {"answer": "accept"}).status_code == 302
        assert todo_items(member.user) == []
    member.refresh_from_db()
    assert member.state == MemberState.ACCEPTED


def test_the_decline_form_needs_a_reason(client, cast, lot):
    experts(7)
    committee = formed(lot, cast.purchaser)
    member = committee.members.order_by("pk").first()
    client.force_login(member.user)
    url = reverse("experts:invitation", args=[member.pk])
    with time_machine.travel(SOON, tick=False):
        assert client.post(url, {"answer": "decline", "reason": ""}).status_code == 200
        member.refresh_from_db()
        assert member.state == MemberState.INVITED
        assert client.post(url, {"answer": "decline", "reason": "出差"}).status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.DECLINED


@pytest.mark.parametrize(
    "role", ["purchaser", "agency", "supplier", "expert", "bureau", "outsider"]
)
def test_nobody_else_opens_an_invitation(client, cast, lot, role):
    experts(6)
    member = formed(lot, cast.purchaser).members.order_by("pk").first()
    client.force_login(getattr(cast, role))
    url = reverse("experts:invitation", args=[member.pk])
    assert client.get(url).status_code == 404
    with time_machine.travel(SOON, tick=False):
        assert client.post(url, {"answer": "accept"}).status_code == 404
    member.refresh_from_db()
    assert member.state == MemberState.INVITED


def test_a_short_committee_is_in_the_purchasers_todo_until_drawn_again(cast, lot):
    pool = experts(5)
    committee = formed(lot, cast.purchaser)
    member = committee.members.order_by("pk").first()
    with time_machine.travel(SOON, tick=False):
        from experts.services import decline_invitation

        decline_invitation(member=member, reason="生病", acting_user=member.user)
        items = [i for i in todo_items(cast.purchaser) if i.kind == "experts.seats_to_fill"]
        assert [i.due for i in items] == [EVALUATION]
    assert len(pool) == 5


def test_bidders_and_the_public_never_see_the_names(client, cast, lot):
    experts(6)
    committee = formed(lot, cast.purchaser)
    names = [m.user.full_name for m in committee.members.select_related("user")]
    for user in (cast.supplier, cast.supplier2, None):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        page = client.get(reverse("procurement:tender_lot", args=[lot.pk])).content.decode()
        assert not any(name in page for name in names)
