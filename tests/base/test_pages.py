from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def client():
    # raise_request_exception=False lets the 500 handler render, as in production.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_it_shows_the_public_home_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "阳光采购" in body


@pytest.mark.django_db
def test_it_shows_a_chinese_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_it_shows_a_chinese_403_page(client, cast):
    client.force_login(cast.purchaser)
    response = client.get(reverse("bidding:mine"))  # suppliers only
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body and "您没有权限查看此页面。" in body


@pytest.mark.django_db
def test_it_sends_a_user_outside_the_bureau_from_the_admin_to_its_sign_in(client, cast):
    client.force_login(cast.supplier)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_renders_the_500_page_without_the_database():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "服务器出现错误" in html


@pytest.mark.django_db
def test_it_switches_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Yangguang Procurement" in response.content.decode()
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True
    )
    assert "阳光采购" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_names_each_language_in_its_own_name(client):
    body = client.get("/").content.decode()
    assert ">简体中文</option>" in body and ">English</option>" in body
    assert "英语" not in body


@pytest.mark.django_db
def test_it_redirects_the_workspace_to_sign_in_for_anonymous_users(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_every_catalogue_is_compiled_and_complete():
    """A .po with untranslated entries or without a fresh .mo would show English to users."""
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2]
    catalogues = [
        p for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
    ]
    assert catalogues
    problems = []
    for po_path in catalogues:
        po = polib.pofile(str(po_path))
        missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
        if missing:
            problems.append(f"{po_path.relative_to(root)}: untranslated {missing[:5]}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{mo_path.relative_to(root)}: missing; run compilemessages")
        elif {e.msgid for e in polib.mofile(str(mo_path))} != {
            e.msgid for e in po.translated_entries()
        }:
            problems.append(f"{mo_path.relative_to(root)}: out of date; run compilemessages")
    assert not problems, "\n".join(problems)
