"""The shared cast: one user per role, as in healthchecks' hc/test.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import OrganisationKind, User

from .factories import OrganisationFactory, UserFactory


@dataclass
class Cast:
    purchaser: User
    purchaser2: User
    agency: User
    supplier: User
    supplier2: User
    expert: User
    bank: User
    bureau: User
    outsider: User

    def everyone(self) -> dict[str, User]:
        return dict(self.__dict__)


def make_cast() -> Cast:
    purchaser_org = OrganisationFactory(kind=OrganisationKind.PURCHASER, name="市教育局")
    purchaser2_org = OrganisationFactory(kind=OrganisationKind.PURCHASER, name="市卫生健康委员会")
    agency_org = OrganisationFactory(kind=OrganisationKind.AGENCY, name="中原招标代理有限公司")
    supplier_org = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="郑州甲科技有限公司")
    supplier2_org = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="郑州乙商贸有限公司")
    bank_org = OrganisationFactory(kind=OrganisationKind.BANK, name="中原银行郑州分行")
    bureau_org = OrganisationFactory(kind=OrganisationKind.BUREAU, name="市财政局")
    expert_employer = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="郑州大学")
    return Cast(
        purchaser=UserFactory(
            username="purchaser", full_name="采购人小王", organisation=purchaser_org
        ),
        purchaser2=UserFactory(
            username="purchaser2", full_name="采购人小李", organisation=purchaser2_org
        ),
        agency=UserFactory(username="agency", full_name="代理小赵", organisation=agency_org),
        supplier=UserFactory(
            username="supplier", full_name="供应商老张", organisation=supplier_org
        ),
        supplier2=UserFactory(
            username="supplier2", full_name="供应商老刘", organisation=supplier2_org
        ),
        expert=UserFactory(
            username="expert", full_name="专家陈教授", is_expert=True, employer=expert_employer
        ),
        bank=UserFactory(username="bank", full_name="银行小孙", organisation=bank_org),
        bureau=UserFactory(
            username="bureau", full_name="财政局监管员", organisation=bureau_org, is_staff=True
        ),
        outsider=UserFactory(username="outsider", full_name="路人"),
    )


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()
