"""Security headers (issue 16 §6): the Content-Security-Policy on every page, and no signed-in
page kept by a cache."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_it_sends_a_policy_that_runs_only_our_own_scripts(client):
    directives = policy(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_it_gives_each_response_its_own_nonce_when_a_page_uses_one(client, cast, rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    nonces = set()
    for _ in range(2):
        request = rf.get("/")
        response = CSPMiddleware(view)(request)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f"nonce='{nonce}'" in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 2


def test_it_has_no_inline_script_or_handler_on_the_base_layout(client, cast):
    client.force_login(cast.supplier)
    body = client.get(reverse("accounts:home")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", body)
    assert not re.search(r"\son[a-z]+=", body)


def test_it_marks_every_signed_in_page_private_and_not_stored(client, cast):
    client.force_login(cast.purchaser)
    for url in ["/", reverse("accounts:home"), reverse("notifications:inbox"), "/no-such-page/"]:
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "Cookie" in response["Vary"], url


def test_it_overrides_what_a_view_set_for_a_signed_in_user(client, cast, settings):
    client.force_login(cast.bureau)
    response = client.get(reverse("admin:index"))
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response


def test_it_leaves_the_public_pages_cacheable_for_a_visitor(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_marks_the_answer_to_a_sign_in_private(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "purchaser", "password": "x"}, follow=False
    )
    assert response.status_code == 200  # refused: a visitor's page
    from tests.factories import PASSWORD

    response = client.post(
        reverse("accounts:login"), {"username": "purchaser", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
