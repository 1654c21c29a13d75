"""Who sees what: a party sees the evaluations it gave or received; the public sees grades
only; the bureau decides appeals. Public lists run a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from credit.models import CreditEvaluation, PartyGrade, expert_code, org_key
from credit.services import file_appeal
from tests.contracts.builders import NOTICE, make_award

from .builders import give

pytestmark = pytest.mark.django_db

GIVEN = NOTICE + dt.timedelta(days=1)


def org(user):
    return user.memberships.get().organisation


@pytest.fixture
def given(cast):
    make_award(cast)
    purchaser = org(cast.purchaser)
    task = CreditEvaluation.objects.get(
        rater_key=org_key(org(cast.supplier).pk), rated_key=org_key(purchaser.pk)
    )
    return give(task, cast.supplier, at=GIVEN, P05=("3", "设置了不合理的业绩条件"))


def status(client, user, url):
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    return client.get(url).status_code


def test_an_evaluation_is_seen_by_its_rater_its_rated_party_and_the_bureau_only(
    cast, client, given
):
    url = reverse("credit:evaluation", args=[given.pk])
    codes = {name: status(client, user, url) for name, user in cast.everyone().items()}
    assert codes == {
        "purchaser": 200,
        "purchaser2": 404,
        "agency": 404,
        "supplier": 200,
        "supplier2": 404,
        "expert": 404,
        "bank": 404,
        "bureau": 200,
        "outsider": 404,
    }
    assert status(client, None, url) == 302  # the public: to the sign-in page


def test_the_rated_party_sees_the_kind_of_rater_not_who(cast, client, given):
    client.force_login(cast.purchaser)
    with time_machine.travel(GIVEN + dt.timedelta(hours=1), tick=False):
        page = client.get(reverse("credit:evaluation", args=[given.pk])).content.decode()
    assert "设置了不合理的业绩条件" in page and "郑州甲科技有限公司" not in page
    assert 'data-testid="file-appeal"' in page


def test_an_open_task_is_its_raters_alone(cast, client, given):
    task = CreditEvaluation.objects.get(
        rater_key=org_key(org(cast.supplier2).pk), rated_key=org_key(org(cast.purchaser).pk)
    )
    for name, user in cast.everyone().items():
        expected = 200 if name == "supplier2" else 404
        with time_machine.travel(GIVEN, tick=False):
            assert status(client, user, reverse("credit:give", args=[task.pk])) == expected
        if name != "supplier2":
            assert status(client, user, reverse("credit:evaluation", args=[task.pk])) in (
                404,
                200 if name == "bureau" else 404,
            )


def test_only_the_bureau_opens_an_appeal_to_decide(cast, client, given):
    with time_machine.travel(GIVEN + dt.timedelta(hours=1), tick=False):
        appeal = file_appeal(evaluation=given, reasons="条件合理", acting_user=cast.purchaser)
    url = reverse("credit:appeal_decide", args=[appeal.pk])
    codes = {name: status(client, user, url) for name, user in cast.everyone().items()}
    assert {name for name, code in codes.items() if code == 200} == {"bureau"}
    assert set(codes.values()) == {200, 404}


def test_the_public_sees_grades_and_experts_by_code(cast, client, given):
    PartyGrade.objects.create(
        party_key=f"expert:{cast.expert.pk}",
        kind="expert",
        expert=cast.expert,
        score=95,
        grade="A",
        computed_at=timezone.now(),
    )
    client.logout()
    page = client.get(reverse("credit:grades")).content.decode()
    assert "市教育局" in page and expert_code(cast.expert.pk) in page
    assert "专家陈教授" not in page and "设置了不合理的业绩条件" not in page
    filtered = client.get(reverse("credit:grades"), {"kind": "expert"}).content.decode()
    assert "市教育局" not in filtered and expert_code(cast.expert.pk) in filtered
    grade = PartyGrade.objects.get(party_key=org_key(org(cast.purchaser).pk))
    detail = client.get(reverse("credit:party", args=[grade.pk])).content.decode()
    assert 'id="grade-chart"' in detail and "grade-chart-data" in detail


def test_the_public_list_runs_a_fixed_number_of_queries(
    cast, client, given, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    client.logout()
    url = reverse("credit:grades")
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(20):
        supplier = OrganisationFactory(kind="supplier")
        PartyGrade.objects.create(
            party_key=org_key(supplier.pk),
            kind="supplier",
            organisation=supplier,
            score=80 + n % 10,
            grade="B",
            computed_at=timezone.now(),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
