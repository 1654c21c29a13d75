"""A file input emptied by a refused submission says so beside it (common.forms.FileNoticeMixin):
the correction, the project's and the plan's upload forms (htmx brings the form back alone), the
objection form, the bid form and the supplier's qualification form."""

from __future__ import annotations

import re

import pytest
import time_machine
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bidding.models import Bid
from common.forms import FileNoticeMixin
from procurement.models import TenderDocument
from suppliers.models import Qualification, SizeClass
from suppliers.services import set_size_class
from tests.bidding.helpers import announced_lot

from .factories import make_announced_project, make_project, pdf_upload
from .test_method_approval import new_plan
from .test_single_source_notice import frozen, objection_form, published
from .timeline import DEADLINE, NOW

pytestmark = pytest.mark.django_db

__all__ = ["frozen"]  # the single source notice's clock, a fixture used below

NOTICE = "所选文件未保留，请重新选择文件。"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text_file(name: str = "说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"plain text, not a document")


def field_block(page: str, name: str) -> str:
    """The crispy block of one field: its label, input, errors and help."""
    start = page.index(f'id="div_id_{name}"')
    following = page.find('id="div_id_', start + 1)
    return page[start : following if following != -1 else len(page)]


class UploadForm(FileNoticeMixin, forms.Form):
    title = forms.CharField()
    file = forms.FileField()


def test_the_notice_is_on_a_bound_file_field_that_received_a_file_only():
    posted = UploadForm({"title": ""}, {"file": pdf_upload()})
    assert not posted.is_valid()
    assert str(posted["file"].errors[-1]) == NOTICE
    assert "file" not in posted.errors  # the form's own errors do not count it
    nothing_chosen = UploadForm({"title": ""}, {})
    nothing_chosen.is_valid()
    assert NOTICE not in [str(e) for e in nothing_chosen["file"].errors]
    assert list(UploadForm()["file"].errors) == []


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_refused_correction_asks_for_its_new_document_again(client, cast, at_now):
    project = make_announced_project(cast, deadline=DEADLINE)
    client.force_login(cast.purchaser)
    url = reverse("procurement:project_correct", args=[project.pk])
    page = client.post(
        url,
        {
            "contact_phone": "123",
            "changes_documents": "on",
            "new_document_title": "更正后的招标文件",
            "new_document": pdf_upload(),
        },
    ).content.decode()
    assert page.count(NOTICE) == 1 and NOTICE in field_block(page, "new_document")
    assert 'value="更正后的招标文件"' in page
    # Refused without a file chosen: nothing to choose again.
    page = client.post(url, {"contact_phone": "123"}).content.decode()
    assert NOTICE not in page


def test_a_refused_upload_on_the_project_page_comes_back_alone_with_the_notice(client, cast):
    project = make_project(cast)
    client.force_login(cast.purchaser)
    url = reverse("procurement:document_upload", args=[project.pk])
    response = client.post(url, {"title": "招标文件（第一版）", "file": text_file()}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<form") and "<html" not in page
    block = field_block(page, "file")
    assert "招标文件只接受" in block and NOTICE in block and page.count(NOTICE) == 1
    assert 'value="招标文件（第一版）"' in page
    assert not TenderDocument.objects.exists()
    saved = client.post(url, {"title": "招标文件", "file": pdf_upload()}, **HTMX)
    assert saved["HX-Redirect"] == reverse("procurement:project_detail", args=[project.pk])
    assert TenderDocument.objects.count() == 1


def test_without_javascript_a_refused_upload_is_told_in_messages(client, cast):
    project = make_project(cast)
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:document_upload", args=[project.pk]), {"file": text_file()}
    )
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("招标文件只接受" in m for m in told) and told[-1] == NOTICE


def test_a_refused_plan_document_comes_back_with_the_notice(client, cast):
    plan = new_plan(cast)
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:plan_document_upload", args=[plan.pk]),
        {"title": "专家论证意见", "file": text_file("论证.pdf")},
        **HTMX,
    )
    page = response.content.decode()
    assert 'data-testid="plan-document-form"' in page and NOTICE in field_block(page, "file")
    assert not plan.documents.exists()


def test_a_refused_objection_asks_for_its_attachment_again(client, cast, frozen):
    notice = published(cast)
    response = client.post(
        reverse("procurement:objection_file", args=[notice.pk]),
        {**objection_form(phone="", email=""), "attachment": pdf_upload("异议.pdf")},
    )
    page = response.content.decode()
    assert response.status_code == 200 and NOTICE in field_block(page, "attachment")
    assert notice.objections.count() == 0


def test_a_refused_bid_asks_for_its_files_and_key_file_again(client, cast):
    lot = announced_lot(cast)
    client.force_login(cast.supplier)
    response = client.post(
        reverse("bidding:submit", args=[lot.pk]),
        {
            "price": "12.345",
            "files": [pdf_upload("投标文件.pdf")],
            "key_method": "key_file",
            "key_file": SimpleUploadedFile("bid.ygkey", b"not a key"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOTICE in field_block(page, "files") and NOTICE in field_block(page, "key_file")
    assert page.count(NOTICE) == 2
    assert not Bid.objects.exists()


def test_a_refused_qualification_comes_back_on_the_profile_with_the_notice(client, cast):
    organisation = cast.supplier.memberships.get().organisation
    set_size_class(organisation=organisation, size_class=SizeClass.SMALL, acting_user=None)
    client.force_login(cast.supplier)
    response = client.post(
        reverse("suppliers:add_qualification"),
        {"name": "", "number": "ZZ-009", "file": pdf_upload("执照.pdf")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTICE in field_block(page, "file") and 'value="ZZ-009"' in page
    assert re.search(r'id="div_id_name".*?此项为必填项', page, re.S)
    assert not Qualification.objects.exists()
