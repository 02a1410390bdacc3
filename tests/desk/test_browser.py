"""The desk in a real browser (Debian's Chromium driven by Playwright; nothing is downloaded): from the sample county
as `make demo` leaves it and the desk as the README starts it, a 鄌郚镇 clerk hands in a ledger with one bad row, sees
the problem, hands in the corrected file, refreshes the figures, writes the narrative, previews and downloads the
report; then the 昌乐县 reviewer sees the board, opens a cell's records, dismisses a warning with a reason and signs
the report off. Screenshots of every step go to tests/artifacts/desk/ (git-ignored).

The two tests run in order on one desk: the reviewer's flow continues where the clerk's ended."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT
from tests.support.raw_ledgers import TANGWU

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "desk"
GONGKAI = Path(sys.executable).parent / "gongkai"
PASSWORD = "demo-password-1"
# what headless Chromium needs on a machine with no network but loopback
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium chromium-driver fonts-noto-cjk); .ci/run installs it"),
]

HEAD = "申请编号,统一社会信用代码,收到申请日期,申请人类型,申请人,答复日期,处理结果\n"
BAD = HEAD + (
    f"TW-2022-91,{TANGWU},2022-03-01,自然人,张三,2022-03-10,予以公开\n"
    f"TW-2022-92,{TANGWU},2022-04-01,商业企业,某公司,2022-04-15,部分公开\n"
    f"TW-2022-93,{TANGWU},2022-05-10,自然人,李四,2022-05-01,本机关不掌握相关政府信息\n"
)
GOOD = BAD.replace("2022-05-10", "2022-04-20")
ADDED = "（三）本年度报送台试写的一段说明。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The sample county after `gongkai demo`, two accounts, and `gongkai serve` running."""
    pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) is not installed")
    home = tmp_path_factory.mktemp("browser")
    narratives = home / "narratives"
    shutil.copytree(PROJECT_ROOT / "data" / "narratives", narratives)
    env = os.environ | {
        "GONGKAI_RAW_DIR": str(home / "raw"),
        "GONGKAI_WAREHOUSE": str(home / "warehouse" / "gongkai.duckdb"),
        "GONGKAI_NARRATIVES_DIR": str(narratives),
        "GONGKAI_DESK_DIR": str(home / "desk"),
        "GONGKAI_PII_KEY": "test-key-not-secret",
        "DAGSTER_HOME": str(home / "dagster"),
    }
    generated = subprocess.run([GONGKAI, "generate"], env=env, capture_output=True, text=True, timeout=300)
    assert generated.returncode == 0, generated.stderr[-2000:]
    # the sample declares 鄌郚镇 had no appeals in 2022; without that line the appeals ledger is not accounted
    # for — the warning the reviewer checks and dismisses below
    register = home / "raw" / "submissions.csv"
    lines = register.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{TANGWU},") or ",2022,复议诉讼," not in line]
    assert len(kept) == len(lines) - 1
    register.write_text("".join(kept), encoding="utf-8-sig")
    demo = subprocess.run([GONGKAI, "demo"], env=env, capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-2000:]
    for name, scope in (("tangwu", ["--agency", TANGWU]), ("changle", ["--county", "昌乐县"])):
        added = subprocess.run([GONGKAI, "user", "add", name, *scope, "--password-stdin"], input=PASSWORD + "\n", env=env, capture_output=True, text=True)
        assert added.returncode == 0, added.stderr
    port = _free_port()
    server = subprocess.Popen([GONGKAI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/login", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"gongkai serve exited: {server.stderr.read()[-2000:]}")
            time.sleep(0.5)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    files = home / "files"
    files.mkdir()
    (files / "鄌郚镇依申请公开台账.csv").write_text(BAD, encoding="utf-8")
    (files / "corrected" / "鄌郚镇依申请公开台账.csv").parent.mkdir()
    (files / "corrected" / "鄌郚镇依申请公开台账.csv").write_text(GOOD, encoding="utf-8")
    yield {"base": base, "home": home, "files": files, "narratives": narratives}
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser(desk):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _login(page, base: str, name: str) -> None:
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_clerk_hands_in_corrects_writes_previews_and_downloads(desk, browser):
    base = desk["base"]
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    _login(page, base, "tangwu")
    assert f"/agency/{TANGWU}/" in page.url
    page.click("nav.years a:text-is('2022')")
    assert page.url.endswith(f"/agency/{TANGWU}/2022")
    _shot(page, "01-clerk-home")

    # a ledger with one bad row: its problem, by row, in the clerk's words
    page.select_option("#upload-kind", "applications")
    page.set_input_files("#upload-file", str(desk["files"] / "鄌郚镇依申请公开台账.csv"))
    page.click("#upload-submit")
    page.wait_for_selector("#upload-status")
    assert "有问题行需要更正" in page.inner_text("#upload-status")
    problems = page.inner_text("#problems")
    assert "第4行" in problems and "TW-2022-93" in problems and "答复日期早于收到申请日期" in problems
    _shot(page, "02-clerk-upload-with-a-bad-row")

    # the corrected file
    page.click("text=← 返回")
    page.select_option("#upload-kind", "applications")
    page.set_input_files("#upload-file", str(desk["files"] / "corrected" / "鄌郚镇依申请公开台账.csv"))
    page.click("#upload-submit")
    page.wait_for_selector("#upload-status")
    assert "全部通过" in page.inner_text("#upload-status")
    assert "通过 3 行" in page.inner_text("#upload-counts")
    _shot(page, "03-clerk-corrected-upload")

    # refresh the figures in the background, with progress on the page
    page.click("text=← 返回")
    page.click("#refresh-start")
    # the page's script polls, shows "更新完成于…", then reloads the page, which the server renders "上次更新完成于…"
    page.wait_for_selector("#progress-state:has-text('上次更新完成于')", timeout=600_000)
    _shot(page, "04-clerk-after-refresh")
    assert "已报送（本年 3 条）" in page.inner_text("#ledger-applications")

    # the narrative, with the year's figures beside it
    page.click("#edit-narrative")
    assert "本年度新收政府信息公开申请3件" in page.inner_text("aside.figures")
    text = page.input_value("#narrative-text")
    page.fill("#narrative-text", text.rstrip() + "\n" + ADDED + "\n")
    page.click("#narrative-save")
    page.wait_for_selector("#saved")
    assert ADDED in (desk["narratives"] / TANGWU / "2022.md").read_text(encoding="utf-8")
    _shot(page, "05-clerk-narrative")

    # preview (a new tab) and downloads
    with context.expect_page() as opened:
        page.click("#preview")
    preview = opened.value
    preview.wait_for_load_state()
    assert "昌乐县鄌郚镇人民政府" in preview.content() and ADDED in preview.inner_text("body")
    _shot(preview, "06-clerk-preview")
    preview.close()
    page.click("text=← 返回")
    for fmt in ("docx", "xlsx"):
        with page.expect_download() as download:
            page.click(f"#download-{fmt}")
        saved = ARTIFACTS / f"鄌郚镇2022.{fmt}"
        download.value.save_as(saved)
        assert saved.read_bytes()[:2] == b"PK"
    import docx

    assert any(ADDED in p.text for p in docx.Document(io.BytesIO((ARTIFACTS / "鄌郚镇2022.docx").read_bytes())).paragraphs)
    context.close()


def test_reviewer_sees_the_board_opens_records_dismisses_a_warning_and_signs_off(desk, browser):
    base = desk["base"]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _login(page, base, "changle")
    assert "/county/" in page.url
    _shot(page, "07-reviewer-landing")
    page.click("nav.years a:text-is('2022')")
    row = page.locator(f"tr[data-agency='{TANGWU}']")
    assert "昌乐县鄌郚镇人民政府" in row.inner_text() and "复议诉讼台账" not in row.inner_text()
    assert page.locator("#board tr[data-agency]").count() == 14
    _shot(page, "07-reviewer-board-2022")

    # a cell's records
    row.locator("a").first.click()
    page.click("a[data-cell='A.1.total']")
    assert page.inner_text("#cell-value") == "3"
    _shot(page, "08-reviewer-cell")
    page.go_back()

    # the warning: no appeals ledger and no "none" — dismissed with a reason
    finding = page.locator("tr[data-finding='ledger:appeals']")
    assert "复议诉讼台账" in finding.inner_text()
    finding.locator("input.reason").fill("经核实，2022年本镇无行政复议和行政诉讼案件")
    finding.locator("button.dismiss").click()
    page.wait_for_load_state()
    finding = page.locator("tr[data-finding='ledger:appeals']")
    assert "已忽略" in finding.inner_text() and "经核实" in finding.inner_text()
    assert page.locator("#ready").is_visible()
    _shot(page, "09-reviewer-dismissed")

    # sign-off: submitted, then approved
    page.click("#submit-report")
    page.wait_for_selector("#approve-report")
    page.click("#approve-report")
    page.wait_for_load_state()
    assert "已审核通过" in page.inner_text("#report-state")
    assert "审核通过" in page.inner_text("#signoff-history")
    _shot(page, "10-reviewer-approved")
    page.click("text=全县看板")
    assert "已审核通过" in page.locator(f"tr[data-agency='{TANGWU}']").inner_text()
    context.close()
