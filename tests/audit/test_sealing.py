"""Events about a sealed row (common.sealing) are left out of every read made for people, for the
bureau and superusers alike, with a fixed number of queries; the chain keeps them all."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from audit.models import Event
from audit.selectors import subject_trail_url, visible_events
from audit.services import record_event
from audit.verify import verify_chain
from common.sealing import is_sealed, register_seal, unregister_seal
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SEALED_PREFIX = "密封"


def sealed_organisations():
    return Organisation.objects.filter(name__startswith=SEALED_PREFIX)


@pytest.fixture
def seal():
    register_seal(Organisation, sealed_organisations)
    yield
    unregister_seal(Organisation, sealed_organisations)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture(params=["bureau", "superuser"])
def supervisor(request, cast, superuser):
    return cast.bureau if request.param == "bureau" else superuser


def about(org: Organisation, action: str = "accounts.organisation.created") -> Event:
    return record_event(action=action, actor=None, organisation=org, subject=org)


def test_registering_twice_declares_one_seal(seal):
    register_seal(Organisation, sealed_organisations)
    from common.sealing import seals

    assert seals().count((Organisation, sealed_organisations)) == 1


def test_it_leaves_out_events_about_a_sealed_row_until_the_seal_ends(seal):
    plain = OrganisationFactory(name="郑州公开有限公司")
    hidden = OrganisationFactory(name=f"{SEALED_PREFIX}郑州有限公司")
    shown = about(plain)
    kept = about(hidden)
    unrelated = record_event(action="timers.clock.breached", actor=None)
    assert set(visible_events()) == {shown, unrelated}
    assert is_sealed(Organisation, hidden.pk) and not is_sealed(Organisation, plain.pk)

    hidden.name = "郑州已开标有限公司"  # the condition stops holding: the seal ends by itself
    hidden.save()
    assert set(visible_events()) == {shown, kept, unrelated}
    assert verify_chain().ok


def test_the_admin_lists_counts_and_filters_without_them(client, supervisor, seal):
    plain = OrganisationFactory(name="郑州公开有限公司")
    hidden = OrganisationFactory(name=f"{SEALED_PREFIX}郑州有限公司")
    about(plain)
    sealed_event = about(hidden, action="accounts.organisation.sealedtest")
    client.force_login(supervisor)
    url = reverse("admin:audit_event_changelist")
    response = client.get(url)
    body = response.content.decode()
    assert response.context["cl"].result_count == 1
    assert plain.name in body
    assert hidden.name not in body
    assert "sealedtest" not in body  # not even among the action filter's choices
    for params in [
        {"q": hidden.name},
        {"q": str(hidden.pk)},
        {"organisation__id__exact": hidden.pk},
        {"action_prefix": "accounts.organisation.sealedtest"},
    ]:
        assert client.get(url, params).context["cl"].result_count == 0, params
    # The event's own page and its admin history: as for an id that does not exist.
    for name in ["admin:audit_event_change", "admin:audit_event_history"]:
        response = client.get(reverse(name, args=[sealed_event.pk]))
        missing = client.get(reverse(name, args=[999999]))
        assert response.status_code == missing.status_code == 302, name
    # The chain check still walks every event.
    report = client.get(reverse("admin:audit_event_verify")).context["report"]
    assert report.ok and report.count == 2


def test_a_sealed_row_has_no_trail_and_an_event_as_subject_only_when_visible(
    client, supervisor, seal
):
    hidden = OrganisationFactory(name=f"{SEALED_PREFIX}郑州有限公司")
    event = about(hidden)
    client.force_login(supervisor)
    assert client.get(subject_trail_url(hidden)).status_code == 404
    event_type = ContentType.objects.get_for_model(Event)
    trail_of_event = reverse("admin:audit_event_subject", args=[event_type.pk, event.pk])
    assert client.get(trail_of_event).status_code == 404
    hidden.name = "郑州已开标有限公司"
    hidden.save()
    trail = client.get(subject_trail_url(hidden))
    assert trail.status_code == 200
    assert trail.context["trail"].event_count == 1
    assert client.get(trail_of_event).status_code == 200


def test_the_changelist_runs_the_same_queries_however_many_rows_are_sealed(client, cast, seal):
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_changelist")

    def queries_with(sealed: int) -> tuple[int, int]:
        for n in range(sealed):
            about(OrganisationFactory(name=f"{SEALED_PREFIX}{sealed}-{n}"))
        about(OrganisationFactory())
        client.get(url)  # warm the per-process caches (content types, session)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return response.context["cl"].result_count, len(ctx.captured_queries)

    one = queries_with(1)
    twelve = queries_with(12)
    assert (one[0], twelve[0]) == (1, 2)  # only the plain organisations' events
    assert one[1] == twelve[1]
