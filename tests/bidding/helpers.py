"""Builders for bidding tests: an announced lot, bids sealed through the service."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import OrganisationKind
from bench.builders import announced_project
from bidding import crypto
from bidding.models import Bid
from bidding.services import Evidence, submit_bid
from procurement.models import Lot, ProcurementKind
from procurement.services.plans import PlanLotValues
from tests.factories import OrganisationFactory, UserFactory

PASSPHRASE = "correct horse battery"
BUDGET = Decimal("1500000.00")


def announced_lot(cast, *, deadline: dt.datetime | None = None, **plan_fields) -> Lot:
    """The one lot of a project announced through the service (clock, announcement, audit).

    Announced now, or 30 days before `deadline` (default: 20 days from now) when that is
    earlier, so that the bid period is legal; the purchaser acts throughout.
    """
    plan_fields.setdefault(
        "lots",
        [PlanLotValues(name="教学一体机", kind=ProcurementKind.GOODS, budget=BUDGET)],
    )
    project = announced_project(
        purchaser=cast.purchaser,
        bureau=cast.bureau,
        deadline=deadline or timezone.now() + dt.timedelta(days=20),
        budget=BUDGET,
        **plan_fields,
    )
    return project.lots.get()


def third_supplier(name: str = "郑州丙工程有限公司", username: str = "supplier3"):
    org = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name=name)
    return UserFactory(username=username, full_name="供应商老王", organisation=org)


def pdf_file(
    name: str = "投标文件.pdf", author: str = "张三", marker: str = ""
) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": author, "/Creator": "WPS", "/Subject": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def docx_file(
    name: str = "技术方案.docx", author: str = "李四", body: str = "方案"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", f"<w:document><w:t>{body}</w:t></w:document>")
        z.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y">'
            f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            "</cp:coreProperties>",
        )
    return SimpleUploadedFile(name, buffer.getvalue())


SME = [
    {
        "item": "教学一体机",
        "manufacturer": "郑州甲科技有限公司",
        "size_class": "small",
        "industry": "industry",
        "employees": 80,
        "revenue": "5000.00",
        "total_assets": "3000.00",
    }
]


def bid(
    lot,
    user,
    price="123456.78",
    *,
    files=None,
    passphrase=PASSPHRASE,
    key_file=None,
    ip="10.0.0.1",
    device="dev-1",
    sme=None,
    policy=None,
):
    return submit_bid(
        lot=lot,
        price=Decimal(price),
        files=files or [pdf_file()],
        sme_items=sme if sme is not None else SME,
        policy=policy,
        passphrase=None if key_file else passphrase,
        key_file=key_file,
        evidence=Evidence(ip_address=ip, device_id=device, user_agent="pytest"),
        acting_user=user,
    )


def as_format_1(b: Bid, *, sme: list[dict] | None = None) -> Bid:
    """The bid as format 1 stored it: names, kinds, sizes and declaration in clear, no manifest.

    The price and files were sealed alike in both formats, so dropping the manifest and writing
    the clear columns back gives exactly a bid of the old format.
    """
    for f, (name, kind) in zip(
        b.files.order_by("position"), [("旧格式.pdf", "pdf"), ("旧方案.docx", "docx")], strict=False
    ):
        f.original_name, f.kind, f.size = name, kind, len(f.blob.read()) - 16
        f.save()
    Bid.objects.filter(pk=b.pk).update(
        format_version=crypto.FORMAT_V1,
        manifest_nonce=b"",
        manifest_ciphertext=b"",
        sme_items=SME if sme is None else sme,
    )
    b.refresh_from_db()
    return b
