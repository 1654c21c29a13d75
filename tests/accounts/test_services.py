"""The write actions of accounts: their checks, history and audit events."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError

from accounts.models import Membership, MembershipRole, OrganisationKind
from accounts.services import create_member, create_organisation
from audit.models import Event
from tests.factories import make_uscc


def new_organisation(acting_user, **overrides):
    data = {
        "kind": OrganisationKind.PURCHASER,
        "name": " 郑州市民政局 ",
        "uscc": make_uscc(501).lower(),
        "region_code": "410100",
        "region_name": "河南省郑州市",
        "acting_user": acting_user,
    }
    data.update(overrides)
    return create_organisation(**data)


@pytest.mark.django_db
def test_it_creates_an_organisation_with_history_and_an_audit_event(cast):
    organisation = new_organisation(cast.bureau)
    assert organisation.uscc == make_uscc(501)
    assert organisation.name == "郑州市民政局"
    assert organisation.history.get().history_user == cast.bureau
    event = Event.objects.get(action="accounts.organisation.created")
    assert event.actor == cast.bureau
    assert event.organisation == organisation
    assert event.data["uscc"] == make_uscc(501)


@pytest.mark.django_db
def test_it_refuses_a_taken_or_malformed_code_and_writes_nothing(cast):
    new_organisation(cast.bureau)
    with pytest.raises(ValidationError) as taken:
        new_organisation(cast.bureau, name="另一家")
    assert "已在本平台注册" in taken.value.message_dict["uscc"][0]
    with pytest.raises(ValidationError) as malformed:
        new_organisation(cast.bureau, uscc="91410100")
    assert "18位" in malformed.value.message_dict["uscc"][0]
    assert Event.objects.filter(action="accounts.organisation.created").count() == 1


@pytest.mark.django_db
def test_it_creates_a_member_who_sets_a_first_password_by_e_mail(cast):
    organisation = new_organisation(cast.bureau)
    user = create_member(
        organisation=organisation,
        username="minzheng",
        full_name="民政局采购员",
        email="buyer@minzheng.example.cn",
        acting_user=cast.bureau,
    )
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert membership.role == MembershipRole.STAFF
    assert membership.history.get().history_user == cast.bureau
    assert not user.check_password("")
    assert list(PasswordResetForm().get_users("buyer@minzheng.example.cn")) == [user]
    assert Event.objects.get(action="accounts.user.created").data == {
        "username": "minzheng",
        "role": "staff",
    }


@pytest.mark.django_db
def test_it_refuses_a_taken_username(cast):
    organisation = new_organisation(cast.bureau)
    with pytest.raises(ValidationError) as error:
        create_member(
            organisation=organisation,
            username="purchaser",
            full_name="重名",
            email="x@example.cn",
            acting_user=cast.bureau,
        )
    assert "username" in error.value.message_dict
