"""Saving the supplier profile has one outcome: refused (the form's errors, nothing saved), saved
with a warning (one message: saved, and the size to check), or saved (one success)."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from common.errors import RulesBroken
from suppliers.models import SizeClass, SupplierProfile
from suppliers.services import set_size_class, update_profile

pytestmark = pytest.mark.django_db

# 工信部联企业〔2011〕300号 Art 4 (十二): software with these figures is a medium enterprise.
FIGURES = {
    "industry": "software",
    "employees": "180",
    "revenue": "6800.00",
    "total_assets": "5200.00",
    "figures_year": "2025",
}


@pytest.fixture
def organisation(cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    return organisation


def save(client, **data):
    with translation.override("zh-hans"):
        return client.post(reverse("suppliers:profile"), data)


def told(response) -> list:
    return list(get_messages(response.wsgi_request))


def alerts(page: str) -> int:
    return page.count('role="alert"') + page.count('data-testid="size-check"')


def test_a_refused_save_shows_the_errors_and_saves_nothing(client, cast, organisation):
    client.force_login(cast.supplier)
    response = save(
        client, size_class="micro", **{**FIGURES, "employees": ""}, bank_account_number="abc"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写上一年度的从业人员" in page and "请用数字填写银行账号" in page
    assert told(response) == [] and 'data-testid="size-check"' not in page
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert profile.size_class == SizeClass.SMALL and profile.revenue is None
    assert not Event.objects.filter(action="suppliers.size.changed", actor=cast.supplier).exists()


def test_a_size_smaller_than_the_figures_is_saved_with_one_warning(client, cast, organisation):
    client.force_login(cast.supplier)
    response = save(client, size_class="micro", **FIGURES)
    assert response.status_code == 302
    [message] = told(response)
    assert message.level == constants.WARNING
    assert str(message).startswith("档案已保存，但请核对企业规模：")
    assert "工信部联企业〔2011〕300号第四条（十二）" in str(message)
    assert SupplierProfile.objects.get(organisation=organisation).size_class == SizeClass.MICRO
    # The page that follows shows that one message and no second box saying the same.
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert alerts(page) == 1 and "alert-warning" in page and "alert-success" not in page
    assert page.count("投标时将被拒绝") == 1


def test_a_size_as_the_figures_give_is_saved_with_one_success(client, cast, organisation):
    client.force_login(cast.supplier)
    response = save(client, size_class="medium", **FIGURES, bank_name="中原银行郑州分行")
    [message] = told(response)
    assert message.level == constants.SUCCESS and str(message) == "档案已保存。"
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert alerts(page) == 1 and "与声明一致" not in page
    # Later visits show the standing check again.
    assert "与声明一致" in client.get(reverse("suppliers:profile")).content.decode()


def test_the_service_refuses_every_problem_at_once_and_saves_nothing(cast, organisation):
    with translation.override("zh-hans"), pytest.raises(RulesBroken) as excinfo:
        update_profile(
            organisation=organisation,
            size_class="huge",
            industry="mining",
            employees=10,
            revenue=None,
            total_assets=None,
            figures_year=None,
            bank_name="",
            bank_account_name="",
            bank_account_number="",
            acting_user=cast.supplier,
        )
    assert len(excinfo.value.messages) == 3
    assert SupplierProfile.objects.get(organisation=organisation).size_class == SizeClass.SMALL
