"""PDFs from Django templates with WeasyPrint: Chinese fonts, static files from disk, no network.

Rendering a one-page notice takes about 0.25 s once WeasyPrint is imported (0.8 s, done on the
first call): HarfBuzz's subsetter (libharfbuzz-subset0) cuts the 20 MB Noto CJK fonts down to
the glyphs used. Without it WeasyPrint falls back to fontTools, which takes many seconds per
CJK font (documents.checks warns).
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Relative and root-relative URLs in PDF templates ({% static %} gives "/static/...") resolve
# against this origin, which the fetcher maps to files on disk. ".invalid" never resolves
# (RFC 2606), so even a bug could not turn it into a network request.
PDF_BASE_URL = "https://pdf.invalid/"


class StaticFilesOnly(Exception):
    """The PDF asked for something other than a static file; it is left out."""


def find_static_file(url: str) -> Path | None:
    """The file on disk that a static URL names (STATIC_ROOT first, then the finders), or None."""
    static_url = settings.STATIC_URL or "/static/"
    prefixes = [PDF_BASE_URL.rstrip("/") + "/" + static_url.lstrip("/")]
    if urlsplit(static_url).scheme:  # STATIC_URL on another host (a CDN): same files
        prefixes.append(static_url)
    target = urlsplit(url)._replace(query="", fragment="").geturl()
    prefix = next((p for p in prefixes if target.startswith(p)), None)
    if prefix is None:
        return None
    relative = posixpath.normpath(unquote(target[len(prefix) :])).lstrip("/")
    if not relative or relative.startswith(".."):
        return None
    if settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(settings.STATIC_ROOT, relative))
        except SuspiciousFileOperation:
            return None
        if candidate.is_file():
            return candidate
    found = finders.find(relative)
    return Path(found) if isinstance(found, str) else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves static files from disk and data: URLs; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                # A data: URL carries its bytes inline; DataHandler only decodes, it opens nothing.
                with DataHandler().data_open(Request(url)) as response:  # noqa: S310
                    return URLFetcherResponse(
                        url,
                        response.read(),
                        {"Content-Type": response.headers.get("Content-Type", "")},
                    )
            path = find_static_file(url)
            if path is None:
                raise StaticFilesOnly(f"PDF rendering loads only static files, not {url!r}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher()


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string (for `content:` in a template's <style>)."""
    escaped = re.sub(r'["\\\n\r<>&]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every special character is escaped above


def page_counter_css() -> SafeString:
    """'Page {page} of {pages}' in the active language as a CSS `content` value."""
    pattern = gettext("Page {page} of {pages}")
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - built from css_string() and counters


def render_pdf(*, template_name: str, context: dict) -> bytes:
    """Render the template (usually extending documents/pdf_base.html) to PDF bytes."""
    from weasyprint import HTML

    site_name = str(settings.SITE_NAME)
    pdf_context = {
        "pdf": {
            "site_name": site_name,
            "site_name_css": css_string(site_name),
            "page_counter_css": page_counter_css(),
        },
        **context,
    }
    html = render_to_string(template_name, pdf_context)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf()
