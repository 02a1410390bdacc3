"""What a reader sees: the DOCX through LibreOffice as A4 PDF, the HTML through headless Chromium.

Needs soffice / chromium (Debian: libreoffice-writer-nogui, chromium, fonts-noto-cjk);
each test skips with the reason when its tool is absent.
"""

import shutil
import subprocess
import tempfile

import pytest

SOFFICE = shutil.which("soffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
A4 = (595.3, 841.9)  # points


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
def test_docx_prints_on_a4_without_overflow(sample_files, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    profile = tempfile.mkdtemp()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample_files["docx"])],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with pdfplumber.open(tmp_path / "2022.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        for page in pdf.pages:
            assert (round(page.width, 1), round(page.height, 1)) == A4
            # nothing runs into the page edge: every table line and glyph stays inside 1.5 cm
            edge = 1.5 / 2.54 * 72
            xs = [obj["x1"] for obj in page.chars + page.lines + page.rects]
            assert not xs or max(xs) <= page.width - edge
        assert "申请人情况" in text and "第二十条第（一）项" in text and "未经复议直接起诉" in text


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed: apt-get install chromium")
def test_html_renders_in_a_browser(sample_files, tmp_path):
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tempfile.mkdtemp()}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            sample_files["html"].as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000
