"""Real files of every kind, made in memory: PDFs by pypdf, Office packages and OLE2 compound
files written to their specifications, images by Pillow."""

from __future__ import annotations

import io
import struct
import zipfile

from PIL import Image
from pypdf import PdfWriter

_CT = "application/vnd.openxmlformats-officedocument"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/></Relationships>'
)
_OOXML = {
    # kind: (main part, its content type, its body)
    "docx": (
        "word/document.xml",
        f"{_CT}.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>投标文件</w:t></w:r></w:p></w:body></w:document>",
    ),
    "xlsx": (
        "xl/workbook.xml",
        f"{_CT}.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheets/></workbook>",
    ),
    "pptx": (
        "ppt/presentation.xml",
        f"{_CT}.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
}


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def ooxml(kind: str, *, with_main_part: bool = True, padding: int = 0) -> bytes:
    main, content_type, body = _OOXML[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main}" ContentType="{content_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", _RELS.format(main=main))
        folder = main.split("/")[0]
        archive.writestr(f"{folder}/_rels/{main.split('/')[1]}.rels", _RELS.format(main="x"))
        if with_main_part:
            archive.writestr(main, body)
        if padding:
            archive.writestr(f"{folder}/media/padding.bin", b"\x00" * padding, zipfile.ZIP_STORED)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("资质证明/营业执照.txt", "统一社会信用代码 91410100000000001X" * 20)
    return buffer.getvalue()


def ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


def ole(stream_name: str, *, size: int = 4096) -> bytes:
    """A minimal OLE2 compound file (MS-CFB, version 3) holding one stream at the root.

    Layout: header, sector 0 = FAT, sector 1 = directory, sectors 2.. = the stream (at least
    4096 bytes, so it lives in normal sectors rather than the mini stream).
    """
    free, end, fat_sector, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors = -(-size // 512)
    fat = [fat_sector, end] + [2 + i + 1 for i in range(data_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", nostream, nostream, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IQ", start, length)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream_name, 2, nostream, 2, size)
        + entry("", 0, nostream, 0, 0) * 2
    )
    body = (b"\x00" * size).ljust(data_sectors * 512, b"\x00")
    return header + struct.pack("<128I", *fat) + directory + body


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def windows_program() -> bytes:
    """The start of a PE file: an MZ header whose e_lfanew points at "PE\\0\\0"."""
    header = bytearray(b"MZ" + b"\x90" * 62)
    header[60:64] = struct.pack("<I", 128)
    return bytes(header) + b"\x00" * 64 + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 400


SAMPLES = {
    "pdf": pdf,
    "docx": lambda: ooxml("docx"),
    "xlsx": lambda: ooxml("xlsx"),
    "pptx": lambda: ooxml("pptx"),
    "doc": lambda: ole("WordDocument"),
    "xls": lambda: ole("Workbook"),
    "ppt": lambda: ole("PowerPoint Document"),
    "ole": lambda: ole("Contents"),
    "zip": plain_zip,
    "ofd": ofd,
    "png": lambda: image("PNG"),
    "jpeg": lambda: image("JPEG"),
    "gif": lambda: image("GIF"),
    "txt": lambda: "采购需求：台式计算机 120 台。\nPurchase: 120 desktops.\n".encode(),
    "exe": windows_program,
    "rar": lambda: b"Rar!\x1a\x07\x01\x00" + b"\x11" * 200,
    "7z": lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x22" * 200,
    "gzip": lambda: __import__("gzip").compress("采购".encode() * 100),
    "elf": lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
    "unknown": lambda: bytes(range(256)) * 4,
}
