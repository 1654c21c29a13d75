from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from documents.checks import cjk_font_families, pdf_font_messages

ROOT = Path(__file__).resolve().parents[2]


def no_fonts_env(tmp_path) -> dict[str, str]:
    """An environment whose fontconfig knows no font directories at all."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    return {**os.environ, "FONTCONFIG_FILE": str(config), "FONTCONFIG_PATH": str(tmp_path)}


def test_it_finds_the_installed_cjk_fonts():
    assert "Noto Serif CJK SC" in (cjk_font_families() or [])


def test_it_is_quiet_when_fonts_and_harfbuzz_are_installed():
    assert pdf_font_messages() == []


def test_it_errors_when_no_cjk_font_is_installed(tmp_path):
    messages = pdf_font_messages(env=no_fonts_env(tmp_path))
    assert [m.id for m in messages] == ["documents.E001"]
    assert "empty box" in messages[0].msg


def test_it_warns_without_harfbuzz_subset():
    messages = pdf_font_messages(find_library=lambda name: None)
    assert [m.id for m in messages] == ["documents.W001"]


def test_manage_py_check_fails_without_cjk_fonts(tmp_path):
    env = {**no_fonts_env(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "documents.E001" in result.stderr
