"""factory_boy factories shared by every test folder."""

from __future__ import annotations

import factory

from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
from accounts.uscc import check_character

PASSWORD = "Yangguang-Test-2026"


def make_uscc(n: int, region: str = "410100") -> str:
    """A valid USCC: registered by market regulation (9), enterprise (1), in `region`."""
    body = f"91{region}{n:09d}"[:17]
    return body + check_character(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PURCHASER
    name = factory.Sequence(lambda n: f"测试单位{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1))
    region_code = "410100"
    region_name = "郑州市"
    legal_representative = "张三"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create and extracted is not None:
            Membership.objects.create(
                user=self, organisation=extracted, role=kwargs.get("role", MembershipRole.ADMIN)
            )
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.STAFF
