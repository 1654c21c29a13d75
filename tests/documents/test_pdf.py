from __future__ import annotations

import datetime
import http.server
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.utils import translation

from documents.pdf import PDF_BASE_URL, find_static_file, render_pdf

from .samples import pdf as blank_pdf

TEMPLATES_DIR = Path(__file__).parent / "templates"
LETTER = {
    "title": "关于督促按期签订政府采购合同的提醒函",
    "issuer": "郑州市财政局",
    "issued_on": datetime.date(2026, 11, 3),
    "paragraphs": [
        "郑州市教育局：贵单位“智慧校园建设”项目已于2026年10月30日确定中标供应商，"
        "依据《中华人民共和国政府采购法》第四十六条，应当自中标通知书发出之日起三十日内签订合同。"
    ],
    "rows": [("设备购置费", "1,024,500.00")],
}


def pdftotext(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def letter() -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(template_name="documents/pdf_sample.html", context=LETTER)


def test_it_renders_chinese_that_pdftotext_reads_back(letter, tmp_path):
    text = pdftotext(letter, tmp_path)
    assert "关于督促按期签订政府采购合同的提醒函" in text
    assert "《中华人民共和国政府采购法》第四十六条" in text
    assert "1,024,500.00" in text


def test_it_embeds_the_noto_cjk_fonts(letter, tmp_path):
    embedded = fonts(letter, tmp_path)
    assert "Noto-Serif-CJK-SC" in embedded
    # The headings' sans-serif comes from documents/pdf.css: the static file was loaded.
    assert "Noto-Sans-CJK-SC" in embedded


def test_it_prints_the_site_name_and_page_numbers(letter, tmp_path):
    text = pdftotext(letter, tmp_path)
    assert "阳光采购" in text
    assert "第1页共1页" in text.replace(" ", "")  # pdftotext drops spaces beside CJK glyphs


def test_it_numbers_pages_in_english_too(tmp_path):
    with translation.override("en"):
        content = render_pdf(
            template_name="documents/pdf_sample.html",
            context={**LETTER, "paragraphs": LETTER["paragraphs"] * 30},
        )
    text = pdftotext(content, tmp_path)
    assert "Page 1 of 3" in text and "Page 3 of 3" in text


def test_it_renders_a_page_well_under_three_seconds(letter):
    started = time.perf_counter()
    render_pdf(template_name="documents/pdf_sample.html", context=LETTER)
    elapsed = time.perf_counter() - started
    assert elapsed < 3, f"one page took {elapsed:.2f} s"


@pytest.fixture
def outside_server():
    """A real HTTP server on localhost that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_it_never_fetches_anything_but_static_files(settings, outside_server, tmp_path):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]
    url, requests = outside_server
    content = render_pdf(
        template_name="documents_test/fetch.html",
        context={"title": "测试", "text": "只加载本地静态文件", "outside": url},
    )
    assert requests == []
    assert "只加载本地静态文件" in pdftotext(content, tmp_path)
    assert "Noto-Sans-CJK-SC" in fonts(content, tmp_path)


def test_it_finds_static_files_on_disk_and_nothing_outside_them(settings, tmp_path):
    css = find_static_file(f"{PDF_BASE_URL}static/documents/pdf.css?v=1")
    assert css is not None and css.name == "pdf.css"
    assert find_static_file(f"{PDF_BASE_URL}static/../config/settings/base.py") is None
    assert find_static_file(f"{PDF_BASE_URL}static/%2e%2e/manage.py") is None
    assert find_static_file(f"{PDF_BASE_URL}media/files/x") is None
    assert find_static_file("http://127.0.0.1/static/documents/pdf.css") is None
    assert find_static_file("file:///etc/passwd") is None

    collected = tmp_path / "collected" / "documents"
    collected.mkdir(parents=True)
    (collected / "pdf.css").write_text("/* collected */")
    settings.STATIC_ROOT = tmp_path / "collected"
    assert find_static_file(f"{PDF_BASE_URL}static/documents/pdf.css") == collected / "pdf.css"


def test_the_rendered_pdf_passes_our_own_upload_checks(letter):
    import io

    from documents.sniffing import sniff

    assert sniff(io.BytesIO(letter)).kind == "pdf"
    assert sniff(io.BytesIO(blank_pdf())).ok


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_it_rasterises_for_people_to_look_at(letter, tmp_path):
    """Writes test-artifacts/documents-pdf-sample-1.png: Chinese must show, not boxes."""
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    source = tmp_path / "letter.pdf"
    source.write_bytes(letter)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(source), str(artifacts / "documents-pdf-sample")],
        check=True,
    )
    assert (artifacts / "documents-pdf-sample-1.png").stat().st_size > 10_000
