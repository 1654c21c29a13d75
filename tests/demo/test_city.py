"""The demo is set in Pingdingshan (平顶山市, 410400): its offices, enterprises and their people."""

from __future__ import annotations

import re

import pytest

from accounts.models import Organisation
from accounts.uscc import validate_uscc
from demo.stages import DemoContext, s10_accounts

pytestmark = pytest.mark.django_db

PERSONAL_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")


def test_every_seeded_organisation_is_in_pingdingshan_with_a_named_legal_representative():
    s10_accounts.run(DemoContext())
    organisations = list(Organisation.objects.all())
    assert len(organisations) == len(s10_accounts.ORGANISATIONS)
    for org in organisations:
        assert org.region_code.startswith("4104"), org  # the city 410400 or one of its districts
        assert org.region_name.startswith("河南省平顶山市"), org
        assert org.uscc[2:8] == org.region_code, org
        validate_uscc(org.uscc)
        assert org.address.startswith("平顶山市"), org
        assert org.contact_phone.startswith("0375-"), org  # Pingdingshan's area code
        assert PERSONAL_NAME.match(org.legal_representative), org
        assert org.legal_representative != "法定代表人"
        assert "郑州" not in org.name
    bureau = Organisation.objects.get(kind="bureau")
    assert (bureau.name, bureau.region_code) == ("平顶山市财政局", "410400")
    purchasers = set(Organisation.objects.filter(kind="purchaser").values_list("name", flat=True))
    assert {"平顶山市教育局", "平顶山市卫生健康委员会"} <= purchasers
    assert Organisation.objects.get(kind="agency").name.startswith("平顶山")
