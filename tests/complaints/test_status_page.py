"""The status page (issue 13 §5): by case number and access code, without signing in."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from complaints.services_complaint import accept_complaint

from .conftest import at
from .test_complaints import complained

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def look_up(client, number, code, ip="10.0.0.1"):
    return client.post(
        reverse("complaints:status_lookup"), {"number": number, "code": code}, REMOTE_ADDR=ip
    )


def test_the_right_code_shows_the_timeline_and_documents_without_signing_in(cast, client):
    complaint, code = complained(cast)
    with time_machine.travel(at("2026-04-30 10:00"), tick=False):
        accept_complaint(complaint=complaint, acting_user=cast.bureau)
    with time_machine.travel(at("2026-05-06 10:00"), tick=False):
        response = look_up(client, complaint.number, code.lower().replace("-", " "))
        assert response.status_code == 302
        page = client.get(response["Location"])
        receipt = client.get(reverse("complaints:status_document", args=[complaint.pk, "receipt"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert complaint.number in body
    assert 'data-testid="step-done"' in body
    # What is due next, by when, in working days: the notice (12 May) and the decision (11 Jun).
    assert "2026-05-13 00:00" in body and "2026-06-12 00:00" in body
    assert "working days left" in body or "个工作日" in body
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"


def test_without_the_code_the_page_and_its_documents_are_not_found(cast, client):
    complaint, _code = complained(cast)
    assert client.get(reverse("complaints:status_page", args=[complaint.pk])).status_code == 404
    document = client.get(reverse("complaints:status_document", args=[complaint.pk, "receipt"]))
    assert document.status_code == 404


def test_a_wrong_code_tells_nothing_about_whether_the_case_exists(cast, client):
    complaint, _code = complained(cast)
    wrong = look_up(client, complaint.number, "AAAA-BBBB-CCCC")
    missing = look_up(client, "TS2026-99999", "AAAA-BBBB-CCCC")
    assert wrong.status_code == missing.status_code == 200

    def stripped(response, number):
        body = response.content.decode().replace(number, "NUMBER")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

    assert stripped(wrong, complaint.number) == stripped(missing, "TS2026-99999")
    assert "不匹配" in wrong.content.decode()
    assert client.get(reverse("complaints:status_page", args=[complaint.pk])).status_code == 404


def test_wrong_codes_are_limited_per_address_and_case(cast, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    complaint, code = complained(cast)
    for _ in range(3):
        assert look_up(client, complaint.number, "AAAA-BBBB-CCCC").status_code == 200
    # Locked: even the right code is refused now, from this address, for this case.
    assert look_up(client, complaint.number, code).status_code == 429
    # A case that does not exist is limited the same way.
    for _ in range(3):
        look_up(client, "TS2026-99999", "AAAA-BBBB-CCCC")
    assert look_up(client, "TS2026-99999", "AAAA-BBBB-CCCC").status_code == 429
    # Another address is not locked out.
    assert look_up(client, complaint.number, code, ip="10.0.0.2").status_code == 302


def test_the_public_portal_links_to_the_status_page(client):
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("complaints:status_lookup") in home
    assert client.get(reverse("complaints:status_lookup")).status_code == 200
