"""What a file really is, decided from its bytes alone: never from its name or the browser's word.

Why our own table and not `filetype`/`puremagic`/libmagic: those answer "what does the start
look like", by magic numbers (and, for puremagic, the file name). We need a closed list of kinds
and, for each, proof that the file is whole: a PDF that parses and ends with its end-of-file
marker, an Office Open XML package whose main part is there and whose members pass their CRC,
an Office 97-2003 file whose directory names its main stream (doc vs xls vs ppt, which only
reading the OLE2 directory can tell). That needs `zipfile`, `pypdf` and `olefile` anyway; the
magic numbers themselves are the short table in `_MAGIC` below.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

import olefile
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

HEAD_BYTES = 8192
TAIL_BYTES = 1024  # a PDF's %%EOF must lie within its last 1024 bytes (PDF 1.7, annex H.3 note 3)
CHUNK = 1024 * 1024
# Office packages are ZIP files; reading every member (for its CRC) costs what they unpack to.
# Honest 20 MB workbooks unpack to a few hundred MB at most; a "zip bomb" claims far more.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

ZIP_FAMILY = frozenset({"zip", "docx", "xlsx", "pptx", "ofd"})
OLE_FAMILY = frozenset({"doc", "xls", "ppt", "ole"})
OFFICE_KINDS = frozenset({"docx", "xlsx", "pptx", "doc", "xls", "ppt"})

CORRUPT = "corrupt"
ENCRYPTED = "encrypted"

PDF_TRUNCATED = _(
    "the PDF ends before its end-of-file marker, so it was probably not saved or uploaded completely"
)
PDF_UNREADABLE = _("the PDF's internal structure cannot be read")
PDF_NO_PAGES = _("the PDF has no pages")
PDF_PASSWORD = _("the PDF is protected by an opening password; upload it without the password")
ZIP_UNREADABLE = _("the ZIP structure is damaged or incomplete")
ZIP_MEMBER_BROKEN = _("a part inside the file is damaged (checksum mismatch)")
ZIP_TOO_LARGE = _("the archive unpacks to more than 1 GB")
OOXML_INCOMPLETE = _("the Office document is missing required parts")
OLE_UNREADABLE = _("the Office 97-2003 file structure is damaged")
OFFICE_PASSWORD = _(
    "the Office document is protected by an opening password; upload it without the password"
)
IMAGE_TRUNCATED = _("the image is cut off before its end")

# (signature, offset, kind); the ZIP and OLE2 containers are looked into further.
_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "pdf"),
    (b"PK\x03\x04", 0, "zip"),
    (b"PK\x05\x06", 0, "zip"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "ole"),
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"Rar!\x1a\x07", 0, "rar"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z"),
    (b"\x1f\x8b", 0, "gzip"),
    (b"\x7fELF", 0, "elf"),
]

# [Content_Types].xml names the package's main part by its content type (ECMA-376 part 2).
_OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docx",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "pptx",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "pptx",
}
# What a damaged archive raises: bad headers, truncation, CRC mismatch, a broken deflate
# stream, an unsupported compression method.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']')


@dataclass(frozen=True)
class Sniffed:
    """A file's kind; `problem` says why it is damaged (empty when it reads whole)."""

    kind: str
    problem: str = ""
    problem_code: str = ""
    # What a damaged file may have been meant to be (a truncated .docx no longer shows it is
    # one): the caller reports "damaged" rather than "wrong type" when one of these is allowed.
    could_be: frozenset[str] = field(default_factory=frozenset)

    @property
    def ok(self) -> bool:
        return not self.problem


def sniff(fileobj: IO[bytes]) -> Sniffed:
    """Tell what `fileobj` (binary, seekable) is, and whether it is whole."""
    size = fileobj.seek(0, 2)
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(max(0, size - TAIL_BYTES))
    tail = fileobj.read()
    fileobj.seek(0)
    try:
        kind = next(kind for magic, at, kind in _MAGIC if head[at : at + len(magic)] == magic)
    except StopIteration:
        kind = "exe" if _is_windows_program(head) else ""
    if kind == "pdf":
        return _sniff_pdf(fileobj, tail)
    if kind == "zip":
        return _sniff_zip(fileobj)
    if kind == "ole":
        return _sniff_ole(fileobj)
    if kind == "png" and b"IEND" not in tail:
        return _damaged("png", IMAGE_TRUNCATED)
    if kind == "jpeg" and b"\xff\xd9" not in tail:
        return _damaged("jpeg", IMAGE_TRUNCATED)
    if kind == "gif" and not tail.rstrip(b"\x00").endswith(b";"):
        return _damaged("gif", IMAGE_TRUNCATED)
    if kind:
        return Sniffed(kind)
    return Sniffed("txt" if _is_utf8_text(fileobj) else "unknown")


def _damaged(
    kind: str, problem: object, code: str = CORRUPT, could_be: Iterable[str] | None = None
) -> Sniffed:
    """A damaged file; `problem` is a (lazy) translated reason, rendered in the active language."""
    return Sniffed(kind, str(problem), code, frozenset(could_be or {kind}))


def _is_windows_program(head: bytes) -> bool:
    """An MZ header whose e_lfanew points at a PE signature (so text starting "MZ" is not one)."""
    if head[:2] != b"MZ" or len(head) < 64:
        return False
    offset = int.from_bytes(head[60:64], "little")
    return head[offset : offset + 4] == b"PE\x00\x00"


def _is_utf8_text(fileobj: IO[bytes]) -> bool:
    """Plain text: the whole file decodes as UTF-8 (a BOM is fine) and holds no NUL byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
    return True


def _sniff_pdf(fileobj: IO[bytes], tail: bytes) -> Sniffed:
    if b"%%EOF" not in tail:
        return _damaged("pdf", PDF_TRUNCATED)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return _damaged("pdf", PDF_PASSWORD, ENCRYPTED)
        pages = len(reader.pages)
    except Exception:  # pypdf raises many types on malformed input; any of them means damaged
        return _damaged("pdf", PDF_UNREADABLE)
    finally:
        fileobj.seek(0)
    return Sniffed("pdf") if pages else _damaged("pdf", PDF_NO_PAGES)


def _sniff_zip(fileobj: IO[bytes]) -> Sniffed:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            kind, problem = _zip_kind(archive, {m.filename for m in members})
            if problem:
                return _damaged(kind, problem)
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                return _damaged(kind, ZIP_TOO_LARGE)
            for member in members:
                # Encrypted members cannot be checked without the password; the rest must pass
                # their CRC-32, which zipfile verifies once a member has been read to its end.
                if member.flag_bits & 0x1 or member.is_dir():
                    continue
                with archive.open(member) as stream:
                    while stream.read(CHUNK):
                        pass
    except _ZIP_ERRORS as error:
        problem = (
            ZIP_MEMBER_BROKEN
            if isinstance(error, zlib.error) or "CRC" in str(error)
            else ZIP_UNREADABLE
        )
        return _damaged("zip", problem, could_be=ZIP_FAMILY)
    finally:
        fileobj.seek(0)
    return Sniffed(kind)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, object]:
    """(kind, problem) of a readable ZIP: an Office Open XML package, an OFD, or a plain ZIP."""
    if "OFD.xml" in names:
        return "ofd", None
    folder_kind = next(
        (k for prefix, k in _OOXML_FOLDERS.items() if any(n.startswith(prefix) for n in names)),
        None,
    )
    if "[Content_Types].xml" not in names:
        return (folder_kind, OOXML_INCOMPLETE) if folder_kind else ("zip", None)
    content_types = archive.read("[Content_Types].xml")
    for element in _OVERRIDE.findall(content_types[: 4 * 1024 * 1024]):
        attributes = dict(_ATTRIBUTE.findall(element))
        kind = _OOXML_MAIN_TYPES.get(attributes.get(b"ContentType", b"").decode(errors="replace"))
        if kind:
            part = attributes.get(b"PartName", b"").decode(errors="replace").lstrip("/")
            return kind, (None if part in names else OOXML_INCOMPLETE)
    if folder_kind:
        return folder_kind, OOXML_INCOMPLETE
    return "zip", None


def _sniff_ole(fileobj: IO[bytes]) -> Sniffed:
    """Office 97-2003: the root storage names its main stream (MS-DOC, MS-XLS, MS-PPT)."""
    try:
        ole = olefile.OleFileIO(fileobj)
        try:
            if ole.exists("EncryptedPackage"):  # a password-protected .docx/.xlsx/.pptx
                return _damaged("ole", OFFICE_PASSWORD, ENCRYPTED, could_be=OFFICE_KINDS)
            if ole.exists("WordDocument"):
                return Sniffed("doc")
            if ole.exists("Workbook") or ole.exists("Book"):
                return Sniffed("xls")
            if ole.exists("PowerPoint Document"):
                return Sniffed("ppt")
            return Sniffed("ole")
        finally:
            ole.close()
    except Exception:  # olefile raises OSError and others on a damaged directory or FAT
        return _damaged("ole", OLE_UNREADABLE, could_be=OLE_FAMILY)
    finally:
        fileobj.seek(0)
