from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import StoredFile
from documents.services import store_file

from .samples import SAMPLES, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(cast):
    return [
        store_file(
            upload=SimpleUploadedFile("资格证明.pdf", pdf()),
            use="general",
            acting_user=cast.supplier,
        ),
        store_file(
            upload=SimpleUploadedFile("现场照片.jpg", SAMPLES["jpeg"]()),
            use="general",
            acting_user=cast.purchaser,
        ),
    ]


def test_it_lists_stored_files_for_the_bureau_with_filters(client, cast, files):
    client.force_login(cast.bureau)
    response = client.get(reverse("admin:documents_storedfile_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "资格证明.pdf" in html and "现场照片.jpg" in html
    filtered = client.get(reverse("admin:documents_storedfile_changelist") + "?kind__exact=jpeg")
    assert "现场照片.jpg" in filtered.content.decode()
    assert "资格证明.pdf" not in filtered.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:documents_storedfile_changelist") in index


def test_it_shows_a_file_read_only_with_its_hash_and_a_download_link(client, cast, files):
    client.force_login(cast.bureau)
    stored_file = files[0]
    response = client.get(reverse("admin:documents_storedfile_change", args=[stored_file.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert stored_file.sha256 in html
    assert reverse("documents:download", args=[stored_file.uuid]) in html
    assert 'name="_save"' not in html


def test_it_lets_nobody_add_change_or_delete_through_the_admin(client, cast, files):
    client.force_login(cast.bureau)
    stored_file = files[0]
    assert client.get(reverse("admin:documents_storedfile_add")).status_code == 403
    change = reverse("admin:documents_storedfile_change", args=[stored_file.pk])
    assert client.post(change, {"original_name": "改名.pdf"}).status_code == 403
    delete = reverse("admin:documents_storedfile_delete", args=[stored_file.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    stored_file.refresh_from_db()
    assert stored_file.original_name == "资格证明.pdf"
    assert StoredFile.objects.count() == 2


@pytest.mark.parametrize("role", ["purchaser", "supplier", "agency", "bank", "expert"])
def test_it_keeps_other_roles_out_of_the_admin(client, cast, files, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("admin:documents_storedfile_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def sealed_drafts():
    """A seal for the tests: files whose name starts with 密封 (as bidding seals receipts)."""
    return StoredFile.objects.filter(original_name__startswith="密封")


@pytest.fixture
def sealed(db):
    from common.sealing import register_seal, unregister_seal

    register_seal(StoredFile, sealed_drafts)
    stored = store_file(
        upload=SimpleUploadedFile("密封回执.pdf", pdf()), use="general", acting_user=None
    )
    yield stored
    unregister_seal(StoredFile, sealed_drafts)


@pytest.mark.parametrize("who", ["bureau", "superuser"])
def test_it_leaves_sealed_files_out_for_everyone(client, cast, files, sealed, who):
    from tests.factories import UserFactory

    user = cast.bureau if who == "bureau" else UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    url = reverse("admin:documents_storedfile_changelist")
    response = client.get(url)
    html = response.content.decode()
    assert response.context["cl"].result_count == 2
    assert "密封回执.pdf" not in html and sealed.sha256 not in html and str(sealed.uuid) not in html
    for params in [{"q": sealed.sha256}, {"q": str(sealed.uuid)}, {"use": "general"}]:
        assert "密封回执.pdf" not in client.get(url, params).content.decode(), params
    change = client.get(reverse("admin:documents_storedfile_change", args=[sealed.pk]))
    missing = client.get(reverse("admin:documents_storedfile_change", args=[999999]))
    assert change.status_code == missing.status_code == 302


def test_the_kind_filter_offers_no_kind_that_only_sealed_files_have(client, cast, sealed):
    store_file(
        upload=SimpleUploadedFile("现场照片.jpg", SAMPLES["jpeg"]()),
        use="general",
        acting_user=cast.purchaser,
    )
    client.force_login(cast.bureau)
    html = client.get(reverse("admin:documents_storedfile_changelist")).content.decode()
    assert "?kind=jpeg" in html
    assert "?kind=pdf" not in html  # the sealed file is a PDF; the visible one a JPEG
