"""The signed-in home per role: every role sees its organisation (or employer) card."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suppliers.services import set_size_class


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "badge", "organisation"),
    [
        ("purchaser", "采购人", "市教育局"),
        ("agency", "采购代理机构", "中原招标代理有限公司"),
        ("supplier", "供应商", "郑州甲科技有限公司"),
        ("bank", "银行", "中原银行郑州分行"),
        ("bureau", "财政监管人员", "市财政局"),
        ("expert", "评审专家", "郑州大学"),
    ],
)
def test_it_shows_each_role_its_organisation(client, cast, role, badge, organisation):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert badge in body
    assert 'data-testid="home-organisation"' in body
    assert organisation in body


@pytest.mark.django_db
def test_it_shows_a_member_the_code_and_their_role(client, cast):
    client.force_login(cast.purchaser)
    body = client.get(reverse("accounts:home")).content.decode()
    membership = cast.purchaser.memberships.get()
    assert membership.organisation.uscc in body
    assert "单位管理员" in body


@pytest.mark.django_db
def test_it_tells_a_user_without_organisation_whom_to_ask(client, cast):
    client.force_login(cast.outsider)
    body = client.get(reverse("accounts:home")).content.decode()
    assert "尚未归属任何单位" in body


@pytest.mark.django_db
def test_it_renders_the_home_in_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class="micro", acting_user=None)
    client.force_login(cast.supplier)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("accounts:home")).status_code == 200
