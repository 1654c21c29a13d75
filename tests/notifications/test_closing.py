"""A notification that asks for a step is closed when the step is done, by whoever in the
organisation does it; one event reaches one person once (issue 10 §2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.selectors import organisation_of
from notifications.models import Notification
from notifications.services import close_notifications, notify_organisation
from procurement.services import file_plan, return_plan, submit_plan
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import make_plan

pytestmark = pytest.mark.django_db


def test_closing_marks_every_open_copy_read_and_done_once(cast):
    org = organisation_of(cast.purchaser)
    colleague = UserFactory(username="colleague", organisation=org)
    plan = make_plan(cast, filed=False)
    notify_organisation(organisation=org, kind="notifications.test", context={}, subject=plan)
    assert close_notifications(kinds=["notifications.test"], subject=plan, organisation=org) == 2
    rows = Notification.objects.filter(kind="notifications.test")
    assert {r.recipient for r in rows} == {cast.purchaser, colleague}
    assert all(r.closed_at is not None and r.read_at is not None for r in rows)
    assert close_notifications(kinds=["notifications.test"], subject=plan, organisation=org) == 0


def test_closing_leaves_other_organisations_and_subjects_alone(cast):
    plan, other = make_plan(cast, filed=False), make_plan(cast, filed=False)
    for subject in (plan, other):
        notify_organisation(
            organisation=organisation_of(cast.purchaser),
            kind="notifications.test",
            context={},
            subject=subject,
        )
    notify_organisation(
        organisation=organisation_of(cast.supplier),
        kind="notifications.test",
        context={},
        subject=plan,
    )
    close_notifications(
        kinds=["notifications.test"], subject=plan, organisation=organisation_of(cast.purchaser)
    )
    still_open = Notification.objects.filter(closed_at__isnull=True)
    assert sorted((n.recipient.username, n.subject_id) for n in still_open) == sorted(
        [("purchaser", other.pk), ("supplier", plan.pk)]
    )


def test_one_event_reaches_a_person_in_two_organisations_once(cast):
    MembershipFactory(user=cast.agency, organisation=organisation_of(cast.purchaser))
    for organisation in (organisation_of(cast.purchaser), organisation_of(cast.agency)):
        notify_organisation(
            organisation=organisation, kind="notifications.test", context={}, event="x:1"
        )
    assert Notification.objects.filter(recipient=cast.agency).count() == 1
    notify_organisation(
        organisation=organisation_of(cast.agency),
        kind="notifications.test",
        context={},
        event="x:2",
    )
    assert Notification.objects.filter(recipient=cast.agency).count() == 2


def test_the_request_to_file_a_plan_closes_for_every_supervisor_when_one_files_it(cast):
    second = UserFactory(username="bureau2", organisation=organisation_of(cast.bureau))
    plan = make_plan(cast, filed=False)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    asked = Notification.objects.filter(kind="procurement.plan_submitted")
    assert {n.recipient for n in asked} == {cast.bureau, second}
    assert all(n.closed_at is None for n in asked)
    file_plan(plan=plan, acting_user=second)
    assert all(n.closed_at is not None and n.read_at is not None for n in asked.all())


def test_a_returned_plan_closes_the_request_and_resubmission_closes_the_return(client, cast):
    plan = make_plan(cast, filed=False)
    submit_plan(plan=plan, acting_user=cast.purchaser)
    return_plan(plan=plan, reasons="预算依据不足。", acting_user=cast.bureau)
    returned = Notification.objects.get(kind="procurement.plan_returned")
    assert returned.closed_at is None
    assert Notification.objects.get(kind="procurement.plan_submitted").closed_at is not None
    submit_plan(plan=plan, acting_user=cast.purchaser)
    returned.refresh_from_db()
    assert returned.closed_at is not None
    # The inbox says the step is done.
    client.force_login(cast.purchaser)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="notification-closed"' in page and "已办结" in page
