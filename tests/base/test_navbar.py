"""The top bar's user menu stays short, whatever the length of a name and its company."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_long_name_and_company_are_shortened_in_the_bar_and_whole_in_the_tooltip(client, cast):
    user = cast.supplier
    user.full_name = "小禾信息投标专员杨洋杨洋杨洋"
    user.save()
    client.force_login(user)
    body = client.get(reverse("accounts:home")).content.decode()
    menu = re.search(r'<a [^>]*data-testid="user-menu"[^>]*>(.*?)</a>', body, re.S)
    assert menu is not None
    label = " ".join(menu.group(1).split())
    assert len(label) <= 25, label
    assert "..." in label  # shortened: Django's Chinese catalogue uses three dots
    assert str(user) in menu.group(0)  # the whole name in the title attribute
