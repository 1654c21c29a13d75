"""Uploaded files in an S3-compatible object store (issue 17 §5): the settings' backend against
a local S3 server — the one .ci/run starts (moto's server, YG_TEST_S3_ENDPOINT), or, when none
is given, the same server started here in a thread."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from documents.models import StoredFile
from documents.services import purge_orphan_files, store_bytes
from tests.documents.samples import pdf

pytestmark = pytest.mark.django_db

BUCKET = "yangguang-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def endpoint():
    url = os.environ.get("YG_TEST_S3_ENDPOINT")
    server = None
    if not url:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
        server.start()
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    if BUCKET not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=BUCKET)
    yield url
    if server is not None:
        server.stop()


@pytest.fixture
def s3(endpoint, settings):
    """STORAGES["default"] as config/settings/base.py makes it when YG_S3_BUCKET is set."""
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        **CREDENTIALS,
        "location": f"run-{timezone.now():%H%M%S%f}",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
    ):
        yield default_storage


def test_the_settings_choose_the_object_store_only_when_a_bucket_is_named():
    import importlib

    import config.settings.base as base

    assert base.STORAGES["default"]["BACKEND"] == (
        "storages.backends.s3.S3Storage"
        if os.environ.get("YG_S3_BUCKET")
        else "django.core.files.storage.FileSystemStorage"
    )
    os.environ["YG_S3_BUCKET"] = "bucket-x"
    try:
        reloaded = importlib.reload(base)
        assert reloaded.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert reloaded.STORAGES["default"]["OPTIONS"]["bucket_name"] == "bucket-x"
        assert reloaded.STORAGES["default"]["OPTIONS"]["default_acl"] == "private"
    finally:
        del os.environ["YG_S3_BUCKET"]
        importlib.reload(base)


def test_a_stored_file_goes_to_the_bucket_and_comes_back(s3):
    content = pdf()
    stored = store_bytes(content=content, name="公告.pdf", use="documents.generated_pdf")
    assert type(StoredFile._meta.get_field("file").storage._wrapped).__name__ == "S3Storage"
    assert s3.exists(stored.file.name)
    with stored.file.open("rb") as handle:
        assert handle.read() == content
    assert "X-Amz-Signature" in s3.url(stored.file.name)  # private: only signed URLs


def test_orphans_are_found_and_purged_in_the_bucket(s3):
    kept = store_bytes(content=pdf(), name="a.pdf", use="documents.generated_pdf")
    orphan = store_bytes(content=pdf(), name="b.pdf", use="documents.generated_pdf")
    name = orphan.file.name
    StoredFile.objects.filter(pk=orphan.pk).delete()
    later = timezone.now() + timedelta(days=2)
    found = purge_orphan_files(older_than=timezone.now() - later)
    assert found == [name]
    assert not s3.exists(name)
    assert s3.exists(kept.file.name)
