"""Supplier profiles: the declared enterprise size, its history, who may see and change it."""

from __future__ import annotations

import pytest

from accounts.models import OrganisationKind
from common.errors import DomainError
from suppliers.models import SizeClass, SupplierProfile
from suppliers.services import set_size_class
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def supplier_org(cast):
    return cast.supplier.memberships.get().organisation


@pytest.mark.django_db
def test_it_records_and_changes_the_size_class_with_history(cast, supplier_org):
    profile = set_size_class(
        organisation=supplier_org, size_class=SizeClass.SMALL, acting_user=cast.supplier
    )
    assert profile.size_class == "small"
    again = set_size_class(
        organisation=supplier_org, size_class=SizeClass.SMALL, acting_user=cast.supplier
    )
    assert again.history.count() == 1  # no change, no new history row
    set_size_class(organisation=supplier_org, size_class=SizeClass.MICRO, acting_user=cast.bureau)
    profile.refresh_from_db()
    assert profile.size_class == "micro"
    assert [h.history_user for h in profile.history.order_by("history_id")] == [
        cast.supplier,
        cast.bureau,
    ]


@pytest.mark.django_db
def test_it_refuses_a_size_class_for_a_purchaser(cast):
    purchaser_org = cast.purchaser.memberships.get().organisation
    with pytest.raises(DomainError, match="只有供应商"):
        set_size_class(organisation=purchaser_org, size_class="small", acting_user=cast.bureau)
    assert not SupplierProfile.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_size_class(cast, supplier_org):
    with pytest.raises(DomainError):
        set_size_class(organisation=supplier_org, size_class="huge", acting_user=cast.supplier)


@pytest.mark.django_db
def test_it_lets_members_see_and_administrators_change_their_own_profile_only(cast, supplier_org):
    profile = set_size_class(organisation=supplier_org, size_class="small", acting_user=None)
    clerk = UserFactory(username="clerk", organisation=supplier_org, organisation__role="staff")
    assert cast.supplier.has_perm("suppliers.view_supplierprofile", profile)
    assert cast.supplier.has_perm("suppliers.change_supplierprofile", profile)
    assert clerk.has_perm("suppliers.view_supplierprofile", profile)
    assert not clerk.has_perm("suppliers.change_supplierprofile", profile)
    for other in (cast.supplier2, cast.purchaser, cast.expert, cast.outsider):
        assert not other.has_perm("suppliers.view_supplierprofile", profile)
    assert cast.bureau.has_perm("suppliers.view_supplierprofile", profile)
    assert not cast.bureau.has_perm("suppliers.change_supplierprofile", profile)


@pytest.mark.django_db
def test_it_shows_the_size_class_on_the_supplier_home(client, cast, supplier_org):
    set_size_class(organisation=supplier_org, size_class="medium", acting_user=None)
    client.force_login(cast.supplier)
    body = client.get("/accounts/").content.decode()
    assert "企业规模" in body and "中型企业" in body


@pytest.mark.django_db
def test_it_says_when_a_supplier_has_not_declared_its_size(client, cast):
    OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    client.force_login(cast.supplier2)
    assert "尚未声明" in client.get("/accounts/").content.decode()


@pytest.mark.django_db
def test_it_gives_the_demo_suppliers_suppliers_their_size_classes():
    from demo.stages import DemoContext, s10_accounts, s15_suppliers

    for _run in range(2):  # idempotent
        ctx = DemoContext()
        s10_accounts.run(ctx)
        s15_suppliers.run(ctx)
    assert SupplierProfile.objects.count() == 4
    sizes = dict(
        SupplierProfile.objects.values_list(
            "organisation__memberships__user__username", "size_class"
        )
    )
    assert sizes == {
        "supplier": "medium",
        "supplier2": "small",
        "supplier3": "small",
        "supplier4": "micro",
    }
