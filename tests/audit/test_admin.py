"""The bureau's admin: events are read-only for everyone; an object's trail side by side."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.admin import OrganisationAdmin
from accounts.models import Organisation, User
from audit.admin import AuditHistoryAdminMixin
from audit.models import Event
from audit.selectors import get_subject_trail_for_user, subject_trail_url
from audit.services import record_event
from tests.factories import OrganisationFactory, UserFactory

from .conftest import raw_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture(params=["bureau", "superuser"])
def supervisor(request, cast, superuser):
    return cast.bureau if request.param == "bureau" else superuser


def event_urls(event: Event) -> dict[str, str]:
    return {
        "add": reverse("admin:audit_event_add"),
        "change": reverse("admin:audit_event_change", args=[event.pk]),
        "delete": reverse("admin:audit_event_delete", args=[event.pk]),
    }


def snapshot() -> list[tuple]:
    return list(Event.objects.order_by("seq").values_list("seq", "action", "data", "hash"))


def test_it_lists_events_for_the_bureau_in_beijing_time(client, supervisor, chain):
    client.force_login(supervisor)
    response = client.get(reverse("admin:audit_event_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "procurement.<wbr>lot.<wbr>announced" in body  # may break after a dot
    beijing = chain[0].created.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert (
        f'<span class="nowrap">{beijing:%Y-%m-%d}</span> <span class="nowrap">{beijing:%H:%M:%S}</span>'
        in body
    )
    assert subject_trail_url(chain[0].organisation) in body
    assert reverse("admin:audit_event_verify") in body
    # No bulk action (not even "delete selected") and no "add" button.
    assert 'name="action"' not in body
    assert reverse("admin:audit_event_add") not in body


def test_it_filters_events_by_action_prefix_organisation_and_search(client, cast, chain):
    other = OrganisationFactory(name="另一个采购单位")
    record_event(action="timers.clock.breached", actor=None, organisation=other)
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_changelist")

    body = client.get(url).content.decode()
    assert "action_prefix=procurement.lot" in body  # the object level is offered
    assert "action_prefix=timers" in body  # and the app level

    def seqs(params: dict) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {event.seq for event in response.context["cl"].result_list}

    assert seqs({"action_prefix": "timers"}) == {6}
    assert seqs({"action_prefix": "procurement.lot"}) == {1, 2, 3, 4, 5}
    assert seqs({"action_prefix": "procurement.lot.announced"}) == {1, 2, 3, 4, 5}
    assert seqs({"organisation__id__exact": other.pk}) == {6}
    assert seqs({"q": "breached"}) == {6}
    assert seqs({"q": chain[0].subject_repr}) == {1, 2, 3, 4, 5}


def test_it_shows_an_event_read_only_with_its_integrity(client, supervisor, chain):
    client.force_login(supervisor)
    response = client.get(event_urls(chain[1])["change"])
    assert response.status_code == 200
    body = response.content.decode()
    assert chain[1].hash in body
    assert 'name="_save"' not in body
    form = body.split('id="event_form"')[1].split("</form>")[0]
    assert "<textarea" not in form
    assert "<select" not in form
    assert all('type="hidden"' in tag for tag in re.findall(r"<input[^>]*>", form))
    assert '<span class="audit-ok">✔ 哈希值一致</span>' in body
    raw_update(2, action="procurement.lot.cancelled")
    body = client.get(event_urls(chain[1])["change"]).content.decode()
    assert '<strong class="audit-bad">✘ ' in body and 'class="audit-ok"' not in body


def test_nobody_adds_changes_or_deletes_an_event_through_the_admin(client, supervisor, chain):
    client.force_login(supervisor)
    event = chain[1]
    urls = event_urls(event)
    before = snapshot()

    assert client.get(urls["add"]).status_code == 403
    assert client.post(urls["add"], {"action": "procurement.lot.closed"}).status_code == 403
    response = client.post(
        urls["change"], {"action": "procurement.lot.cancelled", "subject_repr": "x"}
    )
    assert response.status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
    # The changelist's bulk "delete selected" does not exist either.
    client.post(
        reverse("admin:audit_event_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in chain], "post": "yes"},
    )
    assert snapshot() == before


def test_the_event_admin_offers_nothing_but_viewing(rf, superuser):
    model_admin = admin.site._registry[Event]
    request = rf.get("/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}
    assert set(model_admin.get_readonly_fields(request)) >= set(model_admin.get_fields(request))


@pytest.mark.parametrize("role", ["purchaser", "agency", "supplier", "expert", "bank", "outsider"])
def test_other_roles_never_see_events(client, cast, chain, role):
    client.force_login(getattr(cast, role))
    org = chain[0].organisation
    for url, status in [
        (reverse("admin:audit_event_changelist"), 302),
        (event_urls(chain[0])["change"], 302),
        (subject_trail_url(org), 302),
        (reverse("admin:audit_event_verify"), 302),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert chain[0].hash not in response.content.decode()


def test_the_trail_refuses_a_user_who_may_not_read_events(cast, chain):
    org = chain[0].organisation
    content_type = ContentType.objects.get_for_model(Organisation)
    for role in ("purchaser", "supplier", "outsider"):
        with pytest.raises(PermissionDenied):
            get_subject_trail_for_user(
                user=getattr(cast, role), content_type_id=content_type.pk, object_id=str(org.pk)
            )


def test_it_shows_an_organisations_events_beside_its_history(client, cast):
    org = OrganisationFactory(name="郑州旧名称有限公司")
    record_event(
        action="accounts.organisation.created",
        actor=cast.bureau,
        organisation=org,
        subject=org,
        data={"uscc": org.uscc},
    )
    org.name = "郑州新名称有限公司"
    org._change_reason = "更名"
    org.save()
    record_event(
        action="accounts.organisation.renamed",
        actor=cast.bureau,
        organisation=org,
        subject=org,
        data={"before": "郑州旧名称有限公司", "after": org.name},
    )
    client.force_login(cast.bureau)
    response = client.get(subject_trail_url(org))
    assert response.status_code == 200
    trail = response.context["trail"]
    kinds = [
        ("event", e.event.action) if e.event else ("record", e.record.history_type)
        for e in trail.entries
    ]
    assert kinds == [
        ("record", "+"),
        ("event", "accounts.organisation.created"),
        ("record", "~"),
        ("event", "accounts.organisation.renamed"),
    ]
    assert [(c.old, c.new) for c in trail.entries[2].changes] == [
        ("郑州旧名称有限公司", "郑州新名称有限公司")
    ]
    body = response.content.decode()
    assert "accounts.organisation.renamed" in body
    assert "更名" in body
    assert "<del>郑州旧名称有限公司</del>" in body
    assert "<ins>郑州新名称有限公司</ins>" in body
    assert reverse("admin:accounts_organisation_change", args=[org.pk]) in body


def test_the_trail_outlives_a_deleted_object(client, cast):
    org = OrganisationFactory(name="将被删除的单位")
    pk = org.pk
    record_event(action="accounts.organisation.created", actor=None, subject=org)
    org.delete()
    client.force_login(cast.bureau)
    content_type = ContentType.objects.get_for_model(Organisation)
    response = client.get(reverse("admin:audit_event_subject", args=[content_type.pk, pk]))
    assert response.status_code == 200
    trail = response.context["trail"]
    assert trail.obj is None
    assert trail.label == "将被删除的单位"
    assert [e.record.history_type for e in trail.entries if e.record] == ["+", "-"]


def test_the_trail_works_for_objects_without_history(client, cast):
    user_type = ContentType.objects.get_for_model(ContentType)
    record_event(action="accounts.content_type.checked", actor=None, subject=user_type)
    client.force_login(cast.bureau)
    response = client.get(subject_trail_url(user_type))
    assert response.status_code == 200
    assert not response.context["trail"].has_history
    assert response.context["trail"].event_count == 1


def test_the_trail_is_404_for_nothing(client, cast):
    client.force_login(cast.bureau)
    content_type = ContentType.objects.get_for_model(Organisation)
    for args in [(content_type.pk, 999999), (content_type.pk, "not-a-number"), (999999, 1)]:
        response = client.get(reverse("admin:audit_event_subject", args=args))
        assert response.status_code == 404, args
    with pytest.raises(Http404):
        get_subject_trail_for_user(user=cast.bureau, content_type_id=content_type.pk, object_id="0")


def test_the_trail_runs_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.bureau)

    def queries_for(changes: int) -> int:
        org = OrganisationFactory()
        for i in range(changes):
            org.name = f"单位{i}"
            org.save()
            record_event(
                action="accounts.organisation.renamed",
                actor=cast.bureau,
                organisation=org,
                subject=org,
            )
        url = subject_trail_url(org)
        client.get(url)  # warm the per-process caches (content types, session)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(1) == queries_for(12)


def test_the_mixin_puts_an_audit_trail_button_on_a_change_page(cast, superuser):
    class TrailOrganisationAdmin(AuditHistoryAdminMixin, OrganisationAdmin):
        pass

    org = cast.purchaser.memberships.get().organisation
    model_admin = TrailOrganisationAdmin(Organisation, admin.site)
    request = RequestFactory().get(f"/admin/accounts/organisation/{org.pk}/change/")
    request.user = superuser
    response = model_admin.change_view(request, str(org.pk))
    body = response.render().content.decode()
    assert subject_trail_url(org) in body
    assert "audit-trail-link" in body
    assert reverse("admin:accounts_organisation_history", args=[org.pk]) in body  # still there

    # A clerk who may read organisations but not audit events gets the page without the button.
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    request.user = User.objects.get(pk=clerk.pk)
    response = model_admin.change_view(request, str(org.pk))
    body = response.render().content.decode()
    assert org.name in body
    assert "audit-trail-link" not in body


def test_the_chain_check_page_tells_the_bureau(client, cast, chain):
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_verify")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["report"].ok
    assert f"5:{chain[4].hash}" in response.content.decode()
    raw_update(3, data={"n": 3, "budget": "1.00"})
    response = client.get(url)
    assert not response.context["report"].ok
    body = response.content.decode()
    assert "#3" in body
    assert reverse("admin:audit_event_change", args=[chain[2].pk]) in body
