"""The entrusted agency reads the filed plan (walk item 13): its notification link opens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import OrganisationKind
from accounts.selectors import organisation_of
from notifications.models import Notification
from procurement.models import PlanStatus
from procurement.services import file_plan, submit_plan
from tests.factories import OrganisationFactory, UserFactory

from .factories import make_plan, pdf_upload

pytestmark = pytest.mark.django_db


def _entrusted_plan(cast, *, filed: bool = True, submitted: bool = False):
    agency = organisation_of(cast.agency)
    return make_plan(cast, agency=agency, filed=filed, submitted=submitted)


def _other_agency_user():
    other = OrganisationFactory(kind=OrganisationKind.AGENCY, name="河南另一招标代理有限公司")
    return UserFactory(username="agency_other", full_name="代理小钱", organisation=other)


def test_the_filed_notification_links_to_a_page_the_agency_can_open(client, cast):
    plan = _entrusted_plan(cast, filed=False, submitted=True)
    file_plan(plan=plan, acting_user=cast.bureau)
    notice = Notification.objects.get(recipient=cast.agency, kind="procurement.plan_filed")
    assert notice.url == reverse("procurement:plan_detail", args=[plan.pk])
    client.force_login(cast.agency)
    page = client.get(notice.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert plan.project_name in body and 'data-testid="plan-read-only"' in body
    # Read-only: no edit or submit, and the agency may prepare the tender from it.
    assert reverse("procurement:plan_edit", args=[plan.pk]) not in body
    assert 'data-testid="submit-plan"' not in body
    assert 'data-testid="prepare-tender"' in body


def test_the_agency_cannot_change_the_plan(client, cast):
    plan = _entrusted_plan(cast)
    client.force_login(cast.agency)
    assert client.get(reverse("procurement:plan_edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("procurement:plan_submit", args=[plan.pk])).status_code == 403
    assert (
        client.post(
            reverse("procurement:plan_document_upload", args=[plan.pk]),
            {"title": "x", "file": pdf_upload()},
        ).status_code
        == 403
    )


def test_a_plan_not_yet_filed_stays_the_purchasers(client, cast):
    plan = _entrusted_plan(cast, filed=False)
    client.force_login(cast.agency)
    assert client.get(reverse("procurement:plan_detail", args=[plan.pk])).status_code == 404
    plan = submit_plan(plan=plan, acting_user=cast.purchaser)
    assert plan.status == PlanStatus.SUBMITTED
    assert client.get(reverse("procurement:plan_detail", args=[plan.pk])).status_code == 404


def test_other_agencies_and_roles_get_404(client, cast):
    plan = _entrusted_plan(cast)
    url = reverse("procurement:plan_detail", args=[plan.pk])
    for user in (_other_agency_user(), cast.purchaser2, cast.supplier, cast.expert, cast.bank):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    unentrusted = make_plan(cast)
    client.force_login(cast.agency)
    assert client.get(reverse("procurement:plan_detail", args=[unentrusted.pk])).status_code == 404


def test_the_agency_reads_the_supporting_documents_of_a_filed_plan(client, cast):
    from procurement.services import add_plan_document

    plan = _entrusted_plan(cast, filed=False)
    document = add_plan_document(
        plan=plan, upload=pdf_upload(), title="专家论证意见", acting_user=cast.purchaser
    )
    url = reverse("procurement:plan_document_download", args=[document.pk])
    client.force_login(cast.agency)
    assert client.get(url).status_code == 404
    plan.submit(at=plan.created)
    plan.save()
    plan.file(at=plan.created, by=cast.bureau)
    plan.save()
    assert client.get(url).status_code == 200
    client.force_login(_other_agency_user())
    assert client.get(url).status_code == 404
