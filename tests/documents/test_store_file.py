from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import transaction
from django.utils import translation

from documents.models import StoredFile
from documents.services import clean_file_name, purge_orphan_files, store_bytes, store_file
from documents.uses import MB, get_file_use, register_file_use

from .conftest import files_on_disk
from .samples import SAMPLES, ooxml, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refused(media, name: str, content: bytes, use: str = "general") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        store_file(upload=upload(name, content), use=use, acting_user=None)
    assert StoredFile.objects.count() == 0
    assert files_on_disk(media) == []
    return info.value


def test_it_stores_a_pdf_with_its_hash_size_and_sniffed_type(cast, media):
    content = pdf(pages=2)
    stored = store_file(
        upload=upload("投标文件.pdf", content), use="general", acting_user=cast.supplier
    )
    stored.refresh_from_db()
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert (stored.kind, stored.content_type) == ("pdf", "application/pdf")
    assert stored.original_name == "投标文件.pdf"
    assert stored.uploaded_by == cast.supplier
    assert stored.use == "general"
    assert stored.file.read() == content


def test_it_makes_the_storage_path_itself_and_never_uses_the_users_name(cast, media):
    stored = store_file(
        upload=upload("../../etc/投标 文件.pdf", pdf()), use="general", acting_user=cast.supplier
    )
    assert re.fullmatch(r"files/\d{4}/\d{2}/[0-9a-f-]{36}", stored.file.name)
    assert stored.file.name.endswith(str(stored.uuid))
    assert files_on_disk(media) == [media / stored.file.name]
    assert stored.original_name == "投标 文件.pdf"


def test_it_trusts_the_bytes_not_the_name_or_the_browser(media):
    stored = store_file(
        upload=upload("scan.pdf", SAMPLES["png"]()), use="general", acting_user=None
    )
    assert (stored.kind, stored.content_type) == ("png", "image/png")
    assert stored.download_name == "scan.png"


def test_it_refuses_a_windows_program_renamed_to_pdf_and_says_what_it_is(media):
    error = refused(media, "投标文件.pdf", SAMPLES["exe"]())
    assert error.code == "wrong_type"
    message = error.messages[0]
    assert "投标文件.pdf" in message
    assert "Windows 可执行程序" in message
    assert "只接受PDF、Word 文档（.docx）、Excel 工作簿（.xlsx）、PNG 图片或JPEG 图片" in message


def test_it_refuses_a_text_file_renamed_to_pdf(media):
    error = refused(media, "报价单.pdf", "报价：100 万元".encode())
    assert error.code == "wrong_type"
    assert "纯文本" in error.messages[0]


def test_it_refuses_an_unrecognised_format(media):
    error = refused(media, "x.pdf", SAMPLES["unknown"]())
    assert error.code == "wrong_type"
    assert "无法识别" in error.messages[0]


def test_it_refuses_an_empty_file(media):
    error = refused(media, "空白.pdf", b"")
    assert error.code == "empty"
    assert error.messages[0] == "文件“空白.pdf”是空文件（0 字节），请重新选择文件。"


def test_it_refuses_an_oversize_file_and_states_the_limit(media):
    register_file_use("test.tiny", allowed={"pdf", "txt"}, max_bytes=1 * MB, label="测试用途")
    error = refused(media, "大文件.txt", b"a" * (MB + 1), use="test.tiny")
    assert error.code == "too_large"
    assert "1 MB" in error.messages[0] and "测试用途" in error.messages[0]


def test_it_counts_the_bytes_itself_when_the_declared_size_lies(media):
    register_file_use("test.tiny", allowed={"pdf", "txt"}, max_bytes=1 * MB, label="测试用途")
    liar = upload("大文件.txt", b"a" * (2 * MB))
    liar.size = 10
    with pytest.raises(ValidationError) as info:
        store_file(upload=liar, use="test.tiny", acting_user=None)
    assert info.value.code == "too_large"
    assert files_on_disk(media) == []


def test_it_streams_a_large_upload_from_a_temporary_file(media):
    content = ooxml("docx", padding=6 * MB)  # above FILE_UPLOAD_MAX_MEMORY_SIZE
    temporary = TemporaryUploadedFile("大标书.docx", "application/octet-stream", len(content), None)
    temporary.write(content)
    temporary.seek(0)
    stored = store_file(upload=temporary, use="general", acting_user=None)
    temporary.close()  # the storage moved the temporary file into place
    assert stored.kind == "docx"
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_it_refuses_a_corrupt_pdf_and_leaves_nothing(media):
    content = pdf()
    error = refused(media, "损坏.pdf", content[: content.rindex(b"%%EOF")])
    assert error.code == "corrupt"
    assert "损坏.pdf" in error.messages[0] and "结束标记" in error.messages[0]


def test_it_refuses_a_corrupt_docx_and_leaves_nothing(media):
    content = ooxml("docx")
    error = refused(media, "标书.docx", content[: len(content) - 40])
    assert error.code == "corrupt"
    assert "损坏" in error.messages[0]


def test_it_refuses_a_docx_missing_its_main_part(media):
    error = refused(media, "标书.docx", ooxml("docx", with_main_part=False))
    assert error.code == "corrupt"
    assert "缺少" in error.messages[0]


def test_it_calls_a_damaged_zip_the_wrong_type_where_no_zip_kind_is_allowed(media):
    register_file_use("test.images", allowed={"png", "jpeg"}, max_bytes=MB, label="照片")
    content = ooxml("docx")
    error = refused(media, "photo.png", content[: len(content) // 2], use="test.images")
    assert error.code == "wrong_type"


def test_it_refuses_a_password_protected_pdf(media):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = refused(media, "加密.pdf", buffer.getvalue())
    assert error.code == "encrypted"
    assert "密码" in error.messages[0]


def test_it_removes_the_file_when_the_row_cannot_be_written(cast, media, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(StoredFile, "save", fail)
    with pytest.raises(RuntimeError):
        store_file(upload=upload("a.pdf", pdf()), use="general", acting_user=cast.supplier)
    assert files_on_disk(media) == []


def test_it_purges_files_left_by_a_rolled_back_transaction(media):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        store_file(upload=upload("a.pdf", pdf()), use="general", acting_user=None)
        raise Rollback
    kept = store_file(upload=upload("b.pdf", pdf()), use="general", acting_user=None)
    assert len(files_on_disk(media)) == 2

    assert purge_orphan_files(dry_run=True) == []  # younger than a day: left alone
    (orphan,) = purge_orphan_files(older_than=__import__("datetime").timedelta(0))
    assert files_on_disk(media) == [media / kept.file.name]
    assert orphan != kept.file.name


def test_it_stores_bytes_the_platform_made_under_the_same_rules(media):
    stored = store_bytes(content=pdf(), name="提醒函.pdf", use="documents.generated_pdf")
    assert (stored.kind, stored.uploaded_by) == ("pdf", None)
    with pytest.raises(ValidationError):
        store_bytes(content=b"not a pdf", name="x.pdf", use="documents.generated_pdf")


def test_it_refuses_an_unknown_use_as_a_programming_error(media):
    with pytest.raises(KeyError, match="nope"):
        store_file(upload=upload("a.pdf", pdf()), use="nope", acting_user=None)


def test_it_refuses_to_register_a_use_with_an_unknown_kind():
    with pytest.raises(ValueError, match="exe2"):
        register_file_use("test.bad", allowed={"exe2"}, max_bytes=MB, label="x")


def test_it_refuses_to_change_a_registered_use():
    with pytest.raises(ValueError, match="different rule"):
        register_file_use("general", allowed={"pdf"}, max_bytes=MB, label="x")
    assert get_file_use("general").max_bytes == 20 * MB


def test_it_cleans_names_from_paths_and_control_characters():
    assert clean_file_name("C:\\fakepath\\报价.pdf") == "报价.pdf"
    assert clean_file_name("a\r\nb.pdf") == "ab.pdf"
    assert clean_file_name("../..") == "未命名文件"
    long = clean_file_name("长" * 300 + ".docx")
    assert len(long) == 255 and long.endswith(".docx")


def test_it_lists_allowed_kinds_in_a_fixed_order_in_either_language():
    from documents.kinds import kinds_text

    with translation.override("en"):
        assert kinds_text({"png", "pdf", "docx"}) == "PDF, Word document (.docx) or PNG image"
        assert kinds_text({"pdf"}) == "PDF"
    assert kinds_text({"png", "pdf"}) == "PDF或PNG 图片"


def test_the_daily_task_purges_orphans_older_than_a_day(media):
    import os
    import time

    from django.conf import settings

    from documents.tasks import purge_orphan_files_task

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        orphan = store_file(upload=upload("a.pdf", pdf()), use="general", acting_user=None)
        raise Rollback
    assert purge_orphan_files_task.delay().get() == 0  # a fresh orphan may still be committing
    two_days_ago = time.time() - 2 * 86400
    os.utime(media / orphan.file.name, (two_days_ago, two_days_ago))
    assert purge_orphan_files_task.delay().get() == 1
    assert files_on_disk(media) == []
    assert "documents-purge-orphans" in settings.CELERY_BEAT_SCHEDULE
