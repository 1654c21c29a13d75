"""The bureau's admin: who may enter, what a supervisor may do there, and its Chinese title."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.rules import grant_bureau_permissions
from suppliers.services import set_size_class
from tests.factories import UserFactory

ADMIN = reverse("admin:index")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["purchaser", "agency", "supplier", "bank", "expert", "outsider"])
def test_it_keeps_everyone_but_the_bureau_out_of_the_admin(client, cast, role):
    user = getattr(cast, role)
    user.is_staff = True  # staff status alone opens nothing: the rules decide
    user.save()
    client.force_login(user)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert "您没有权限查看此页面。" in response.content.decode()
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 302


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_portal_sign_in(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=/admin/" in response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_it_lets_a_bureau_supervisor_in_without_staff_status(client, cast):
    cast.bureau.is_staff = False
    cast.bureau.save()
    client.force_login(cast.bureau)
    response = client.get(ADMIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "阳光采购" in body  # the Chinese site header
    for model in ("organisation", "user", "membership", "supplierprofile"):
        assert (
            f"/admin/{'suppliers' if model == 'supplierprofile' else 'accounts'}/{model}/" in body
        )
    assert client.get(reverse("admin:login"))["Location"] == ADMIN


@pytest.mark.django_db
def test_it_lets_a_superuser_in(client):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_it_shows_organisations_users_memberships_and_their_history_to_the_bureau(client, cast):
    client.force_login(cast.bureau)
    organisation = Organisation.objects.get(name="郑州甲科技有限公司")
    set_size_class(organisation=organisation, size_class="small", acting_user=cast.supplier)
    profile = organisation.supplier_profile
    pages = [
        reverse("admin:accounts_organisation_changelist"),
        reverse("admin:accounts_organisation_change", args=[organisation.pk]),
        reverse("admin:accounts_organisation_history", args=[organisation.pk]),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_history", args=[cast.supplier.pk]),
        reverse("admin:accounts_membership_changelist"),
        reverse("admin:suppliers_supplierprofile_changelist"),
        reverse("admin:suppliers_supplierprofile_history", args=[profile.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_it_lets_the_bureau_change_an_organisation_but_never_delete_one(client, cast):
    client.force_login(cast.bureau)
    organisation = Organisation.objects.get(name="郑州甲科技有限公司")
    assert cast.bureau.has_perm("accounts.change_organisation")
    assert not cast.bureau.has_perm("accounts.delete_organisation")
    response = client.get(reverse("admin:accounts_organisation_delete", args=[organisation.pk]))
    assert response.status_code == 403
    # Supplier profiles are the supplier's declaration: the bureau reads them.
    assert cast.bureau.has_perm("suppliers.view_supplierprofile")
    assert not cast.bureau.has_perm("suppliers.change_supplierprofile")


@pytest.mark.django_db
def test_it_stops_a_supervisor_from_raising_privileges(client, cast):
    client.force_login(cast.bureau)
    root = UserFactory(username="root", is_superuser=True)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Take-Over-2026", "password2": "Take-Over-2026"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("Take-Over-2026")

    page = client.get(reverse("admin:accounts_user_change", args=[cast.bureau.pk]))
    form = page.context["adminform"].form
    for field in ("is_superuser", "groups", "user_permissions", "is_staff"):
        assert field not in form.fields


def test_it_grants_the_bureau_an_apps_models_once_and_widens_existing_rules():
    import rules

    rules.add_perm("testapp.view_widget", rules.always_false)
    grant_bureau_permissions("testapp", ["Widget"])
    grant_bureau_permissions("testapp", ["Widget"])  # idempotent
    try:
        assert rules.perm_exists("testapp")
        assert rules.perm_exists("testapp.view_widget")
        assert not rules.perm_exists("testapp.change_widget")
    finally:
        for name in ("testapp", "testapp.view_widget"):
            rules.remove_perm(name)


@pytest.mark.django_db
def test_not_even_a_superuser_deletes_an_organisation_or_a_user(client, cast):
    """Deactivated, never deleted; the delete page would list a supplier's sealed bids."""
    client.force_login(UserFactory(username="operator", is_superuser=True, is_staff=True))
    organisation = Organisation.objects.get(name="郑州甲科技有限公司")
    for url in (
        reverse("admin:accounts_organisation_delete", args=[organisation.pk]),
        reverse("admin:accounts_user_delete", args=[cast.supplier.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert Organisation.objects.filter(pk=organisation.pk).exists()
