from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.access import register_file_access, unregister_file_access
from documents.services import store_file
from documents.views import file_response

from .samples import SAMPLES, ooxml, pdf

pytestmark = pytest.mark.django_db


def stored(name: str, content: bytes, user=None):
    return store_file(upload=SimpleUploadedFile(name, content), use="general", acting_user=user)


def body(response) -> bytes:
    """The streamed bytes. Reading to the end closes the file; response.close() would also fire
    request_finished, which closes the test's database connection."""
    content = b"".join(response.streaming_content)
    if response.file_to_stream is not None:
        response.file_to_stream.close()
    return content


@pytest.fixture
def bid_file(cast):
    return stored("投标文件（商务部分）.pdf", pdf(), cast.supplier)


def download(client, user, stored_file):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("documents:download", args=[stored_file.uuid]))


def test_it_serves_a_file_with_its_type_chinese_name_length_and_safe_headers(client, cast):
    content = ooxml("docx")
    stored_file = stored("关于采购需求的说明.docx", content, cast.supplier)
    response = download(client, cast.supplier, stored_file)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('关于采购需求的说明.docx')}" in disposition
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert body(response) == content


def test_it_names_the_download_after_what_the_file_really_is(client, cast):
    stored_file = stored("报价.pdf", ooxml("docx"), cast.supplier)
    response = download(client, cast.supplier, stored_file)
    assert quote("报价.docx") in response["Content-Disposition"]
    body(response)


def test_it_can_serve_inline(cast):
    stored_file = stored("scan.png", SAMPLES["png"](), cast.supplier)
    response = file_response(stored_file, as_attachment=False)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    body(response)


def test_it_lets_the_uploader_download(client, cast, bid_file):
    response = download(client, cast.supplier, bid_file)
    assert response.status_code == 200
    body(response)


def test_it_lets_the_bureau_download(client, cast, bid_file):
    response = download(client, cast.bureau, bid_file)
    assert response.status_code == 200
    body(response)


@pytest.mark.parametrize(
    "role", ["purchaser", "purchaser2", "agency", "supplier2", "expert", "bank", "outsider"]
)
def test_it_hides_the_file_from_every_other_role(client, cast, bid_file, role):
    assert download(client, getattr(cast, role), bid_file).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, bid_file):
    response = download(client, None, bid_file)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_answers_404_for_a_file_that_does_not_exist(client, cast):
    client.force_login(cast.bureau)
    url = reverse("documents:download", args=["8d7f0b5e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_it_refuses_other_methods(client, cast, bid_file):
    client.force_login(cast.supplier)
    url = reverse("documents:download", args=[bid_file.uuid])
    assert client.post(url).status_code == 405


@pytest.fixture
def checker():
    registered = []

    def register(function):
        register_file_access(function)
        registered.append(function)
        return function

    yield register
    for function in registered:
        unregister_file_access(function)


def test_it_lets_a_registered_checker_grant_access(client, cast, bid_file, checker):
    checker(lambda user, f: True if user == cast.agency else None)
    response = download(client, cast.agency, bid_file)
    assert response.status_code == 200
    body(response)
    client.logout()
    assert download(client, cast.purchaser, bid_file).status_code == 404


def test_it_lets_a_checker_veto_even_the_bureau_but_not_the_uploader(
    client, cast, bid_file, checker
):
    # A sealed bid before the opening: nobody but the bidder may read it.
    checker(lambda user, f: False)
    checker(lambda user, f: True)
    assert download(client, cast.bureau, bid_file).status_code == 404
    client.logout()
    response = download(client, cast.supplier, bid_file)
    assert response.status_code == 200
    body(response)


def test_it_refuses_a_deactivated_uploader(client, cast, bid_file):
    client.force_login(cast.supplier)
    cast.supplier.is_active = False
    cast.supplier.save()
    url = reverse("documents:download", args=[bid_file.uuid])
    # The session no longer signs anyone in (Django refuses an inactive user): sign in again.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
