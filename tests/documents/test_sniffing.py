from __future__ import annotations

import io
import zipfile

import pytest

from documents.sniffing import CORRUPT, ENCRYPTED, ZIP_FAMILY, sniff

from .samples import SAMPLES, ole, ooxml, pdf


def sniffed(content: bytes):
    return sniff(io.BytesIO(content))


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_it_tells_each_kind_from_its_bytes(kind):
    result = sniffed(SAMPLES[kind]())
    assert (result.kind, result.problem) == (kind, "")


def test_it_ignores_a_text_file_that_merely_starts_with_mz():
    assert sniffed(b"MZ hello, this is text\n").kind == "txt"


def test_it_does_not_call_text_with_a_nul_byte_text():
    assert sniffed("采购\x00需求".encode()).kind == "unknown"


def test_it_does_not_call_gbk_encoded_chinese_utf8_text():
    assert sniffed("采购需求".encode("gbk")).kind == "unknown"


def test_it_finds_a_pdf_cut_off_before_its_end_marker():
    content = pdf()
    result = sniffed(content[: content.rindex(b"%%EOF")])
    assert result.kind == "pdf"
    assert result.problem_code == CORRUPT


def test_it_finds_a_pdf_whose_structure_is_garbage():
    result = sniffed(b"%PDF-1.7\n" + b"\x00garbage " * 200 + b"\n%%EOF\n")
    assert (result.kind, result.problem_code) == ("pdf", CORRUPT)


def test_it_finds_a_pdf_locked_with_an_opening_password():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = sniffed(buffer.getvalue())
    assert (result.kind, result.problem_code) == ("pdf", ENCRYPTED)


def test_it_accepts_a_pdf_locked_only_against_editing():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert sniffed(buffer.getvalue()).ok


def test_it_finds_a_truncated_docx_and_says_it_may_have_been_office():
    content = ooxml("docx")
    result = sniffed(content[: len(content) // 2])
    assert result.problem_code == CORRUPT
    assert result.could_be == ZIP_FAMILY


def test_it_finds_a_docx_without_its_main_part():
    result = sniffed(ooxml("docx", with_main_part=False))
    assert (result.kind, result.problem_code) == ("docx", CORRUPT)


def test_it_finds_office_folders_without_content_types():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = sniffed(buffer.getvalue())
    assert (result.kind, result.problem_code) == ("xlsx", CORRUPT)


def test_it_finds_a_damaged_member_by_its_checksum():
    content = bytearray(ooxml("docx", padding=5000))
    at = content.index(b"\x00" * 5000)  # the stored padding member's data
    content[at + 100] = 0xFF
    result = sniffed(bytes(content))
    assert result.problem_code == CORRUPT
    assert "docx" in result.could_be


def test_it_finds_a_damaged_ole_directory():
    content = bytearray(ole("WordDocument"))
    content[48:52] = b"\x50\x00\x00\x00"  # first directory sector: far past the end
    result = sniffed(bytes(content))
    assert (result.kind, result.problem_code) == ("ole", CORRUPT)
    assert "doc" in result.could_be


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif"])
def test_it_finds_a_cut_off_image(kind):
    content = SAMPLES[kind]()
    result = sniffed(content[: len(content) - 12])
    assert (result.kind, result.problem_code) == (kind, CORRUPT)


def test_it_leaves_the_file_position_at_the_start():
    stream = io.BytesIO(ooxml("xlsx"))
    stream.seek(10)
    sniff(stream)
    assert stream.tell() == 0
