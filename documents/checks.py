"""System checks: PDFs need a Chinese font (else Chinese renders as boxes, silently) and
HarfBuzz's subsetter (else each render takes many seconds)."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from collections.abc import Callable, Mapping

from django.core.checks import CheckMessage, Error, Warning


def cjk_font_families(env: Mapping[str, str] | None = None) -> list[str] | None:
    """Families fontconfig (what WeasyPrint uses through Pango) has for Chinese; None if
    fontconfig's fc-list is missing. `env` replaces the environment (e.g. FONTCONFIG_FILE)."""
    fc_list = shutil.which("fc-list", path=(env or {}).get("PATH"))
    if fc_list is None:
        return None
    result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
        [fc_list, ":lang=zh", "family"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=dict(env) if env is not None else None,
    )
    return sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line})


def pdf_font_messages(
    *,
    env: Mapping[str, str] | None = None,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    families = cjk_font_families(env)
    if not families:
        messages.append(
            Error(
                "No font with Chinese characters is installed: PDFs would show every Chinese "
                "character as an empty box."
                if families is not None
                else "fontconfig's fc-list is missing, so no font can be found for PDFs.",
                hint="Install the Noto CJK fonts (Debian: apt-get install fonts-noto-cjk"
                " fontconfig), then run fc-cache.",
                id="documents.E001",
            )
        )
    if find_library("harfbuzz-subset") is None:
        messages.append(
            Warning(
                "libharfbuzz-subset is missing: WeasyPrint falls back to fontTools to subset "
                "fonts, which takes many seconds per PDF with CJK fonts.",
                hint="Install it (Debian: apt-get install libharfbuzz-subset0).",
                id="documents.W001",
            )
        )
    return messages


def check_pdf_fonts(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Registered in DocumentsConfig.ready()."""
    return pdf_font_messages()
