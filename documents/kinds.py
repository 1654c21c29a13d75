"""The kinds of file the platform recognises: a short name, a label people know, a MIME type."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """What a file is, decided from its bytes (documents.sniffing), never from its name."""

    PDF = "pdf", _("PDF")
    OFD = "ofd", _("OFD (Chinese fixed-layout document)")
    DOCX = "docx", _("Word document (.docx)")
    DOC = "doc", _("Word 97-2003 document (.doc)")
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    XLS = "xls", _("Excel 97-2003 workbook (.xls)")
    PPTX = "pptx", _("PowerPoint presentation (.pptx)")
    PPT = "ppt", _("PowerPoint 97-2003 presentation (.ppt)")
    OLE = "ole", _("other Office 97-2003 file")
    ZIP = "zip", _("ZIP archive")
    RAR = "rar", _("RAR archive")
    SEVEN_ZIP = "7z", _("7-Zip archive")
    GZIP = "gzip", _("gzip archive")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    GIF = "gif", _("GIF image")
    TXT = "txt", _("plain text (UTF-8)")
    EXE = "exe", _("Windows program")
    ELF = "elf", _("Linux program")
    UNKNOWN = "unknown", _("unrecognised format")


# The MIME type a download is served with; browsers are told not to second-guess it (nosniff).
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ppt": "application/vnd.ms-powerpoint",
    "ole": "application/x-ole-storage",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "7z": "application/x-7z-compressed",
    "gzip": "application/gzip",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "txt": "text/plain; charset=utf-8",
    "exe": "application/vnd.microsoft.portable-executable",
    "elf": "application/x-executable",
    "unknown": "application/octet-stream",
}

# Extensions a download name may keep for each kind; the first is used when the name disagrees.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "ofd": (".ofd",),
    "docx": (".docx", ".docm", ".dotx"),
    "doc": (".doc", ".dot", ".wps"),
    "xlsx": (".xlsx", ".xlsm", ".xltx"),
    "xls": (".xls", ".xlt", ".et"),
    "pptx": (".pptx", ".pptm", ".ppsx"),
    "ppt": (".ppt", ".pps", ".dps"),
    "ole": (".bin",),
    "zip": (".zip",),
    "rar": (".rar",),
    "7z": (".7z",),
    "gzip": (".gz", ".tgz"),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg", ".jpe"),
    "gif": (".gif",),
    "txt": (".txt", ".csv", ".tsv", ".md", ".xml", ".json", ".log"),
    "exe": (".exe",),
    "elf": (".bin",),
    "unknown": (".bin",),
}


def kind_label(kind: str) -> str:
    """The label people know for a kind, e.g. 'Word document (.docx)', translated."""
    try:
        return str(FileKind(kind).label)
    except ValueError:
        return str(FileKind.UNKNOWN.label)


def kinds_text(kinds: set[str] | frozenset[str]) -> str:
    """'PDF, Word document (.docx) or PNG image' in the order above, translated."""
    labels = [str(label) for value, label in FileKind.choices if value in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return gettext("%(items)s or %(last)s") % {
        "items": pgettext("list separator", ", ").join(labels[:-1]),
        "last": labels[-1],
    }
