"""Workspace pages render for their roles, homes list real items, lists run fixed queries."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from procurement.models import Lot, Project
from procurement.services import ask_question, submit_plan

from .factories import make_announced_project, make_intention, make_plan, make_project
from .timeline import DEADLINE, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_purchaser_home_lists_drafts_returned_plans_and_filed_plans(client, cast):
    make_intention(cast, published_days_ago=None, project_name="草稿：图书采购")
    make_plan(cast, project_name="已备案：课桌椅采购")
    client.force_login(cast.purchaser)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "草稿：图书采购" in page and "已备案：课桌椅采购" in page


def test_the_bureau_home_lists_plans_waiting_for_filing(client, cast):
    plan = make_plan(cast, filed=False, project_name="待备案：信息系统运维")
    submit_plan(plan=plan, acting_user=cast.purchaser)
    client.force_login(cast.bureau)
    assert "待备案：信息系统运维" in client.get(reverse("accounts:home")).content.decode()


def test_the_supplier_home_lists_open_tenders_and_the_agency_home_its_projects(client, cast):
    project = make_announced_project(cast, deadline=DEADLINE, agency=organisation_of(cast.agency))
    client.force_login(cast.supplier)
    assert project.name in client.get(reverse("accounts:home")).content.decode()
    client.force_login(cast.agency)
    assert project.name in client.get(reverse("accounts:home")).content.decode()


def test_the_navigation_has_each_roles_entries(client, cast):
    for role, testid in [
        ("purchaser", "nav-intentions"),
        ("agency", "nav-projects"),
        ("bureau", "nav-bureau-plans"),
        ("supplier", "nav-tenders"),
    ]:
        client.force_login(getattr(cast, role))
        assert f'data-testid="{testid}"' in client.get(reverse("accounts:home")).content.decode()


def test_the_project_pages_render(client, cast):
    project = make_announced_project(cast, deadline=DEADLINE)
    lot = project.lots.get(number=1)
    ask_question(lot=lot, question="是否接受进口产品？", acting_user=cast.supplier)
    draft = make_project(cast)
    client.force_login(cast.purchaser)
    for url in [
        reverse("procurement:intentions"),
        reverse("procurement:plans"),
        reverse("procurement:projects"),
        reverse("procurement:project_detail", args=[project.pk]),
        reverse("procurement:project_detail", args=[draft.pk]),
        reverse("procurement:lot_edit", args=[draft.lots.first().pk]),
        reverse("procurement:project_announce", args=[draft.pk]),
        reverse("procurement:project_correct", args=[project.pk]),
        reverse("procurement:project_cancel", args=[project.pk]),
        reverse("procurement:plan_detail", args=[project.plan.pk]),
        reverse("procurement:intention_detail", args=[project.plan.intention.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(cast.supplier)
    for url in [
        reverse("procurement:tenders"),
        reverse("procurement:tender_lot", args=[lot.pk]),
        reverse("procurement:my_questions"),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_announce_page_lists_what_is_missing(client, cast):
    draft = make_project(cast)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:project_announce", args=[draft.pk])).content.decode()
    assert 'data-testid="announce-problems"' in page


def test_the_project_list_runs_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    def listed() -> int:
        response = client.get(reverse("procurement:projects"))
        assert response.status_code == 200
        html = response.content.decode()
        links = [reverse("procurement:project_detail", args=[p.pk]) for p in Project.objects.all()]
        return sum(f'href="{link}"' in html for link in links)

    for _ in range(2):
        make_project(cast)
    client.force_login(cast.purchaser)
    with django_assert_max_num_queries(12) as few:
        assert listed() == 2
    for _ in range(4):
        make_project(cast)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert listed() == 6


def test_the_open_tenders_list_runs_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    def listed() -> int:
        response = client.get(reverse("procurement:tenders"))
        assert response.status_code == 200
        html = response.content.decode()
        links = [reverse("procurement:tender_lot", args=[lot.pk]) for lot in Lot.objects.all()]
        return sum(f'href="{link}"' in html for link in links)

    make_announced_project(cast, deadline=DEADLINE)
    with django_assert_max_num_queries(10) as few:
        assert listed() == 2  # the two lots of the project
    make_announced_project(cast, deadline=DEADLINE)
    make_announced_project(cast, deadline=DEADLINE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert listed() == 6


def test_the_bureau_reads_procurement_in_the_admin_and_edits_only_legal_parameters(client, cast):
    project = make_announced_project(cast, deadline=DEADLINE)
    client.force_login(cast.bureau)
    for model in [
        "procurementintention",
        "implementationplan",
        "project",
        "lot",
        "announcement",
        "legalparameter",
    ]:
        assert client.get(reverse(f"admin:procurement_{model}_changelist")).status_code == 200, (
            model
        )
    lot = project.lots.first()
    page = client.get(reverse("admin:procurement_lot_change", args=[lot.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert client.get(reverse("admin:procurement_legalparameter_add")).status_code == 200
    assert client.get(reverse("admin:procurement_lot_add")).status_code == 403


def test_the_purchasers_own_intentions_are_named_apart_from_the_public_list(client, cast):
    client.force_login(cast.purchaser)
    page = client.get(reverse("accounts:home")).content.decode()
    own = re.search(r'data-testid="nav-intentions">([^<]+)</a>', page)
    public = re.search(r'href="{}">([^<]+)</a>'.format(reverse("portal:intentions")), page)
    assert own and own.group(1) == "我的采购意向"
    assert public and public.group(1) == "采购意向"
