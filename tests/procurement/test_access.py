"""Who reaches which object URL: everyone but the owners gets 404 (or 403 when they may see it).

A purchaser sees and changes only its own; an agency only the projects entrusted to it; the
bureau sees everything and files plans; suppliers reach announced lots only.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from procurement.models import MethodGround
from procurement.services import (
    add_plan_document,
    approve_method_change,
    ask_question,
    create_project,
    publish_tender_announcement,
)

from .factories import lot_values, make_intention, make_plan, make_project, pdf_upload
from .timeline import DEADLINE, NOW

pytestmark = pytest.mark.django_db

ROLES = [
    "purchaser",
    "purchaser2",
    "agency",
    "supplier",
    "supplier2",
    "expert",
    "bank",
    "bureau",
    "outsider",
]


@pytest.fixture
def scene(cast):
    """One of everything, owned by `purchaser` (with `agency` entrusted with the project)."""
    from procurement.services import add_tender_document, submit_plan, update_lot

    with time_machine.travel(NOW, tick=False):
        draft = make_intention(cast, published_days_ago=None, project_name="草稿意向")
        published = make_intention(cast)
        submitted = make_plan(cast, filed=False)
        submit_plan(plan=submitted, acting_user=cast.purchaser)
        draft_plan = make_plan(cast, filed=False)
        agency = organisation_of(cast.agency)
        plan = make_plan(cast, agency=agency)
        project = create_project(plan=plan, acting_user=cast.agency)
        for lot in project.lots.all():
            update_lot(lot=lot, values=lot_values(lot, deadline=DEADLINE), acting_user=cast.agency)
        document = add_tender_document(
            project=project, upload=pdf_upload(), title="招标文件", acting_user=cast.agency
        )
        draft_project = make_project(cast)
        publish_tender_announcement(project=project, acting_user=cast.agency)
        lot = project.lots.get(number=1)
        question = ask_question(lot=lot, question="可否提供样品？", acting_user=cast.supplier)
        filed_free = make_plan(cast)
        # A change of method waiting for the bureau, one it approved, and a draft's document.
        consultation = {
            "method": "competitive_consultation",
            "method_ground": MethodGround.CONSULTATION_COMPLEX,
            "method_reason": "技术复杂，不能确定详细规格。",
        }
        method_plan = make_plan(cast, filed=False, **consultation)
        method_document = add_plan_document(
            plan=method_plan, upload=pdf_upload(), title="专家论证意见", acting_user=cast.purchaser
        )
        submit_plan(plan=method_plan, acting_user=cast.purchaser)
        approved_plan = make_plan(cast, filed=False, **consultation)
        submit_plan(plan=approved_plan, acting_user=cast.purchaser)
        approve_method_change(
            approval=approved_plan.method_approvals.get(), acting_user=cast.bureau
        )
        document_plan = make_plan(cast, filed=False)
        draft_document = add_plan_document(
            plan=document_plan, upload=pdf_upload(), title="原合同", acting_user=cast.purchaser
        )
    return {
        "draft": draft,
        "published": published,
        "submitted": submitted,
        "draft_plan": draft_plan,
        "project": project,
        "draft_project": draft_project,
        "lot": lot,
        "draft_lot": draft_project.lots.get(number=1),
        "document": document,
        "question": question,
        "filed_free": filed_free,
        "approval": method_plan.method_approvals.get(),
        "decided": approved_plan.method_approvals.get(),
        "method_document": method_document,
        "draft_document": draft_document,
    }


# (name, method, url maker, roles that get 200/302, roles that get 403 — every other role 404)
CASES = [
    (
        "intention detail",
        "get",
        lambda s: ("procurement:intention_detail", s["draft"].pk),
        {"purchaser", "bureau"},
        set(),
    ),
    (
        "intention edit",
        "get",
        lambda s: ("procurement:intention_edit", s["draft"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "intention publish",
        "get",
        lambda s: ("procurement:intention_publish", s["draft"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "published intention edit",
        "get",
        lambda s: ("procurement:intention_edit", s["published"].pk),
        set(),
        {"purchaser", "bureau"},
    ),
    (
        "plan detail",
        "get",
        lambda s: ("procurement:plan_detail", s["submitted"].pk),
        {"purchaser", "bureau"},
        set(),
    ),
    (
        "plan edit",
        "get",
        lambda s: ("procurement:plan_edit", s["draft_plan"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "submitted plan edit",
        "get",
        lambda s: ("procurement:plan_edit", s["submitted"].pk),
        set(),
        {"purchaser", "bureau"},
    ),
    (
        "plan submit",
        "post",
        lambda s: ("procurement:plan_submit", s["draft_plan"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "plan file",
        "post",
        lambda s: ("procurement:plan_file", s["submitted"].pk),
        {"bureau"},
        {"purchaser"},
    ),
    (
        "plan return",
        "get",
        lambda s: ("procurement:plan_return", s["submitted"].pk),
        {"bureau"},
        {"purchaser"},
    ),
    (
        "plan document download",
        "get",
        lambda s: ("procurement:plan_document_download", s["method_document"].pk),
        {"purchaser", "bureau"},
        set(),
    ),
    (
        "plan document upload",
        "post",
        lambda s: ("procurement:plan_document_upload", s["draft_document"].plan_id),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "submitted plan document upload",
        "post",
        lambda s: ("procurement:plan_document_upload", s["submitted"].pk),
        set(),
        {"purchaser", "bureau"},
    ),
    (
        "submitted plan document remove",
        "post",
        lambda s: ("procurement:plan_document_remove", s["method_document"].pk),
        set(),
        {"purchaser", "bureau"},
    ),
    (
        "plan document remove",
        "post",
        lambda s: ("procurement:plan_document_remove", s["draft_document"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "method approve",
        "get",
        lambda s: ("procurement:method_approve", s["approval"].pk),
        {"bureau"},
        {"purchaser"},
    ),
    (
        "method reject",
        "get",
        lambda s: ("procurement:method_reject", s["approval"].pk),
        {"bureau"},
        {"purchaser"},
    ),
    (
        "decided method reject",
        "post",
        lambda s: ("procurement:method_reject", s["decided"].pk),
        set(),
        {"purchaser", "bureau"},
    ),
    (
        "project from plan",
        "post",
        lambda s: ("procurement:project_create", s["filed_free"].pk),
        {"purchaser"},
        set(),
    ),
    (
        "project detail",
        "get",
        lambda s: ("procurement:project_detail", s["project"].pk),
        {"purchaser", "agency", "bureau"},
        set(),
    ),
    (
        "draft project detail",
        "get",
        lambda s: ("procurement:project_detail", s["draft_project"].pk),
        {"purchaser", "bureau"},
        set(),
    ),
    (
        "lot edit",
        "get",
        lambda s: ("procurement:lot_edit", s["draft_lot"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "announce",
        "get",
        lambda s: ("procurement:project_announce", s["draft_project"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "correct",
        "get",
        lambda s: ("procurement:project_correct", s["project"].pk),
        {"purchaser", "agency"},
        {"bureau"},
    ),
    (
        "cancel",
        "get",
        lambda s: ("procurement:project_cancel", s["project"].pk),
        {"purchaser", "agency"},
        {"bureau"},
    ),
    (
        "upload",
        "post",
        lambda s: ("procurement:document_upload", s["draft_project"].pk),
        {"purchaser"},
        {"bureau"},
    ),
    (
        "withdraw document",
        "post",
        lambda s: ("procurement:document_remove", s["document"].pk),
        {"purchaser", "agency"},
        {"bureau", "supplier", "supplier2", "purchaser2", "expert", "bank", "outsider"},
    ),
    (
        "answer",
        "get",
        lambda s: ("procurement:clarification_answer", s["question"].pk),
        {"purchaser", "agency"},
        {"bureau"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_only_its_own_objects(client, cast, scene, role):
    """One scene per role, every object URL: the expected status or a list of what is wrong."""
    client.force_login(getattr(cast, role))
    wrong = []
    for name, method, url, allowed, forbidden in CASES:
        view, pk = url(scene)
        status = getattr(client, method)(reverse(view, args=[pk])).status_code
        expected = (200, 302) if role in allowed else (403,) if role in forbidden else (404,)
        if status not in expected:
            wrong.append((name, status, expected))
    assert wrong == []


def test_anonymous_visitors_are_sent_to_sign_in_or_get_404(client, scene):
    for name, method, url, _allowed, _forbidden in CASES:
        view, pk = url(scene)
        status = getattr(client, method)(reverse(view, args=[pk])).status_code
        assert status in (302, 404), (name, status)


@pytest.mark.parametrize(
    ("view", "roles"),
    [
        ("procurement:intentions", {"purchaser", "purchaser2"}),
        ("procurement:plans", {"purchaser", "purchaser2"}),
        ("procurement:bureau_plans", {"bureau"}),
        ("procurement:projects", {"purchaser", "purchaser2", "agency", "bureau"}),
        ("procurement:my_questions", {"supplier", "supplier2"}),
    ],
)
def test_workspace_lists_are_for_their_roles(client, cast, view, roles):
    for role in ROLES:
        client.force_login(getattr(cast, role))
        status = client.get(reverse(view)).status_code
        assert status == (200 if role in roles else 403), (view, role, status)
    client.logout()
    assert client.get(reverse(view)).status_code == 302


def test_lists_show_only_the_users_own_objects(client, cast, scene):
    client.force_login(cast.purchaser2)
    assert "草稿意向" not in client.get(reverse("procurement:intentions")).content.decode()
    assert scene["project"].name not in client.get(reverse("procurement:projects")).content.decode()
    client.force_login(cast.agency)
    projects = client.get(reverse("procurement:projects")).content.decode()
    assert scene["project"].code in projects and scene["draft_project"].code not in projects


def test_suppliers_and_the_project_staff_download_and_only_suppliers_are_recorded(
    client, cast, scene
):
    """The purchaser, its agency and the bureau read the documents (walk item 5) but are not
    potential bidders; signed-in suppliers download and are recorded; anyone else gets 403."""
    url = reverse("procurement:document_download", args=[scene["document"].pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    readers = {"supplier", "supplier2", "purchaser", "agency", "bureau"}
    # Within the period the documents are provided (O87 Art 18).
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        for role in ROLES:
            client.force_login(getattr(cast, role))
            response = client.get(url)
            expected = 200 if role in readers else 403
            assert response.status_code == expected, (role, response.status_code)
            if expected == 200:
                assert b"".join(response.streaming_content).startswith(b"%PDF"), role
    recorded = set(scene["project"].downloads.values_list("supplier__name", flat=True))
    assert recorded == {
        organisation_of(cast.supplier).name,
        organisation_of(cast.supplier2).name,
    }


def test_the_project_page_links_its_documents(client, cast, scene):
    url = reverse("procurement:document_download", args=[scene["document"].pk])
    for role in ("purchaser", "agency", "bureau"):
        client.force_login(getattr(cast, role))
        page = client.get(reverse("procurement:project_detail", args=[scene["project"].pk]))
        assert f'href="{url}"' in page.content.decode(), role


def test_the_questioner_is_shown_to_the_purchaser_and_its_agency_only(client, cast, scene):
    """Issue 4 §5 (walk item 2): not to other suppliers, and not to the bureau either."""
    lot_url = reverse("procurement:tender_lot", args=[scene["lot"].pk])
    for role in ROLES:
        client.force_login(getattr(cast, role))
        page = client.get(lot_url).content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        assert "郑州甲科技有限公司" not in main, role
    project_url = reverse("procurement:project_detail", args=[scene["project"].pk])
    for role in ("purchaser", "agency"):
        client.force_login(getattr(cast, role))
        assert "郑州甲科技有限公司" in client.get(project_url).content.decode()
    client.force_login(cast.bureau)
    page = client.get(project_url).content.decode()
    assert "可否提供样品？" in page and "（不公开）" in page
    assert "郑州甲科技有限公司" not in page


def test_the_bureaus_admin_and_audit_log_do_not_name_the_questioner(client, cast, scene):
    from audit.models import Event
    from audit.selectors import subject_trail_url

    question = scene["question"]
    client.force_login(cast.bureau)
    pages = [
        reverse("admin:procurement_clarification_changelist"),
        reverse("admin:procurement_clarification_change", args=[question.pk]),
        reverse("admin:procurement_clarification_history", args=[question.pk]),
        reverse("admin:audit_event_changelist") + "?q=clarification",
        subject_trail_url(question),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "郑州甲科技有限公司" not in page and "供应商老张" not in page, url
    event = Event.objects.get(action="procurement.clarification.asked")
    assert event.actor is None and event.organisation is None
    assert question.history.earliest("history_date").history_user is None
    # The asker stays on the row, for the purchaser and its agency.
    assert question.supplier == organisation_of(cast.supplier)
    assert question.asked_by == cast.supplier


def test_the_documents_of_a_draft_project_are_not_reachable(client, cast, scene):
    from procurement.services import add_tender_document

    draft_document = add_tender_document(
        project=scene["draft_project"],
        upload=pdf_upload(),
        title="草稿文件",
        acting_user=cast.purchaser,
    )
    url = reverse("procurement:document_download", args=[draft_document.pk])
    for role, status in [
        ("purchaser2", 404),
        ("agency", 404),
        ("supplier", 404),
        ("expert", 404),
        ("outsider", 404),
    ]:
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == status, role
    client.logout()
    assert client.get(url).status_code == 302
    # Its own purchaser and the bureau read a draft's documents; nothing is recorded.
    for role in ("purchaser", "bureau"):
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == 200, role
    assert not scene["draft_project"].downloads.exists()


def test_a_draft_lot_is_not_public(client, cast, scene):
    assert (
        client.get(reverse("procurement:tender_lot", args=[scene["draft_lot"].pk])).status_code
        == 404
    )
    assert client.get(reverse("procurement:tender_lot", args=[scene["lot"].pk])).status_code == 200


def test_only_suppliers_ask_questions(client, cast, scene):
    url = reverse("procurement:question_ask", args=[scene["lot"].pk])
    for role in ROLES:
        client.force_login(getattr(cast, role))
        status = client.post(url, {"question": "是否接受联合体？"}).status_code
        assert status == (302 if role in ("supplier", "supplier2") else 403), (role, status)
