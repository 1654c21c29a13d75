"""The supplier's profile page: bank account, qualifications with expiry, the SME letter text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import MembershipRole
from audit.models import Event
from suppliers.models import Qualification, SizeClass, SupplierProfile
from suppliers.selectors import expired_qualifications
from suppliers.services import set_size_class
from suppliers.sme import SmeItem, declaration_text, is_sme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def org(cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    return organisation


def pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_supplier_saves_its_bank_account_with_history_and_audit(client, cast, org):
    client.force_login(cast.supplier)
    response = client.post(
        reverse("suppliers:profile"),
        {
            "size_class": "micro",
            "bank_name": "中原银行郑州分行",
            "bank_account_name": "郑州甲科技有限公司",
            "bank_account_number": "6228 4800 1234 5678",
        },
    )
    assert response.status_code == 302
    profile = SupplierProfile.objects.get(organisation=org)
    assert profile.bank_account_number == "6228480012345678"
    assert profile.size_class == "micro"
    assert profile.history.count() >= 2
    assert Event.objects.filter(action="suppliers.bank_account.changed").exists()


def test_a_qualification_is_added_with_its_scan_and_an_expired_one_is_warned(
    client, cast, org, media
):
    client.force_login(cast.supplier)
    response = client.post(
        reverse("suppliers:add_qualification"),
        {
            "name": "营业执照",
            "number": "ZZ-001",
            "issued_by": "郑州市市场监督管理局",
            "expires_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
            "file": SimpleUploadedFile("执照.pdf", pdf()),
        },
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    assert qualification.file.use == "suppliers.qualification"
    assert expired_qualifications(org) == [qualification]
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert "营业执照" in page and 'data-testid="expired"' in page
    client.post(reverse("suppliers:remove_qualification", args=[qualification.pk]))
    assert not Qualification.objects.exists()


def test_a_wrong_scan_type_is_refused_with_the_documents_message(client, cast, org, media):
    client.force_login(cast.supplier)
    client.post(
        reverse("suppliers:add_qualification"),
        {"name": "许可证", "file": SimpleUploadedFile("a.pdf", b"not a pdf at all")},
    )
    assert not Qualification.objects.exists()


@pytest.mark.parametrize("role", ["purchaser", "agency", "expert", "bank", "bureau", "outsider"])
def test_only_suppliers_have_a_profile_page(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("suppliers:profile")).status_code == 404


def test_a_supplier_staff_member_reads_but_does_not_change_the_profile(client, cast, org):
    staff = UserFactory(
        username="supplier-staff", organisation=org, organisation__role=MembershipRole.STAFF
    )
    client.force_login(staff)
    assert client.get(reverse("suppliers:profile")).status_code == 200
    response = client.post(reverse("suppliers:profile"), {"size_class": "micro"})
    assert response.status_code == 403


def test_another_suppliers_qualification_cannot_be_removed(client, cast, org):
    other = cast.supplier2.memberships.get().organisation
    set_size_class(organisation=other, size_class=SizeClass.SMALL, acting_user=None)
    theirs = Qualification.objects.create(organisation=other, name="许可证")
    client.force_login(cast.supplier)
    response = client.post(reverse("suppliers:remove_qualification", args=[theirs.pk]))
    assert response.status_code == 404
    assert Qualification.objects.filter(pk=theirs.pk).exists()


def test_the_sme_letter_is_rendered_from_its_items():
    items = [SmeItem("一体机", "郑州甲科技有限公司", "small", "工业", 80, "5000", "3000")]
    text = declaration_text(
        supplier_name="郑州甲科技有限公司",
        purchaser_name="市教育局",
        project_name="教学设备采购",
        items=items,
        date_text="2026-03-20",
    )
    assert "一体机" in text and "郑州甲科技有限公司" in text and "5000" in text
    assert is_sme(items)
    assert not is_sme([SmeItem("一体机", "大厂", "large", "工业", 9000, "900000", "800000")])
