"""A sample PDF rendered by documents.pdf and stored by documents.services (issue 3 §5)."""

from __future__ import annotations

from django.utils import timezone, translation

from documents.models import StoredFile
from documents.pdf import render_pdf
from documents.services import store_bytes

from . import DemoContext

NAME = "阳光采购平台文件上传须知.pdf"


def run(ctx: DemoContext) -> None:
    existing = StoredFile.objects.filter(use="general", original_name=NAME).first()
    if existing is None:
        with translation.override("zh-hans"):
            content = render_pdf(
                template_name="documents/pdf_sample.html",
                context={
                    "title": "阳光采购平台文件上传须知",
                    "issuer": "平顶山市财政局",
                    "issued_on": timezone.localdate(),
                    "paragraphs": [
                        "各采购人、采购代理机构、供应商：平台按文件内容识别文件类型，"
                        "与文件名无关；扩展名被修改的文件将被拒收。",
                        "一般附件接受 PDF、Word（.docx）、Excel（.xlsx）、PNG 和 JPEG 图片，"
                        "单个文件不超过 20 MB。空文件、损坏的文件和设置了打开密码的文件不予接收。",
                        "平台为每个文件记录 SHA-256 摘要，作为文件未被篡改的凭证。",
                    ],
                    "rows": [("一般附件大小上限（MB）", "20")],
                },
            )
        existing = store_bytes(
            content=content, name=NAME, use="general", acting_user=ctx.users.get("bureau")
        )
    ctx.extra["sample_pdf"] = existing
    ctx.say(f"documents: sample PDF {existing.original_name} (SHA-256 {existing.sha256[:12]}…)")
