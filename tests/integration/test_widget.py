"""The chat widget in a real browser (Chromium through Playwright) against the whole stack:
action server, Rasa server (socket.io channel, SQLite tracker store) and the site with the demo
page. The tests run in file order; the last one stops the Rasa server.

Screenshots go to $BOUWSTENEN_ARTIFACTS (default results/screenshots/)."""
import re
import sqlite3
import time

import pytest

from tests.integration.stack import ARTIFACTS, CHROMIUM, running_stack

if not CHROMIUM.exists():
    pytest.skip("Chromium not installed at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.slow

REPLY_SECONDS = 30  # generous: the first turn loads the pipeline
LAUNCHER = "Chat met de assistent"
DESCRIPTION = "hij bonkt elke avond met zijn hoofd tegen de muur"


@pytest.fixture(scope="module")
def stack(model, tmp_path_factory):
    with running_stack(model, tmp_path_factory.mktemp("widget"), site=True) as running:
        yield running


@pytest.fixture
def new_page(browser):
    """A page in its own browser context (its own sessionStorage: a new tab, not a reload)."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(locale="nl-NL", **context_options)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        return page

    yield make
    for context in contexts:
        context.close()


def open_widget(page, stack):
    page.goto(stack.site_url)
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.get_by_role("dialog", name="Bouwstenen-assistent")).to_be_visible()
    return page.get_by_role("textbox", name="Je bericht aan de chatbot")


def send(page, text):
    box = page.get_by_role("textbox", name="Je bericht aan de chatbot")
    box.fill(text)
    box.press("Enter")


def bot_messages(page):
    return page.locator(".bw-bot .bw-bubble")


def user_messages(page):
    return page.locator(".bw-user .bw-bubble")


def session_id(page):
    stored = page.evaluate("JSON.parse(sessionStorage.getItem('bouwstenen-widget') || 'null')")
    return stored and stored.get("sessionId")


def wait_for_session(page, other_than=None):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        current = session_id(page)
        if current and current != other_than:
            return current
        time.sleep(0.2)
    raise AssertionError("the widget got no session id")


def stored_events(stack, sender_id):
    with sqlite3.connect(stack.tracker_db) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)).fetchone()[0]


def events_once_saved(stack, sender_id, seconds=15):
    """Rasa sends the replies while it handles a turn and saves the tracker after that."""
    deadline = time.monotonic() + seconds
    while not stored_events(stack, sender_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    return stored_events(stack, sender_id)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_demo_page_is_served_with_security_headers(stack, new_page):
    page = new_page()
    response = page.goto(stack.site_url)
    assert response.ok
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and stack.rasa_url in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    expect(page).to_have_title(re.compile("Stichting Adoptiezorg Voorbeeld"))
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
    screenshot(page, "demo-desktop-closed.png")


def test_conversation_quick_reply_reload_new_tab_and_erase(stack, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    open_widget(page, stack)
    dialog = page.get_by_role("dialog", name="Bouwstenen-assistent")
    expect(dialog.get_by_text("Chatbot, geen mens", exact=True)).to_be_visible()
    expect(dialog.locator("a[href='tel:0300000000']").first).to_be_visible()
    expect(dialog.get_by_role("link", name="Privacyverklaring")).to_have_attribute(
        "href", "https://www.adoptiezorg-voorbeeld.nl/privacy")
    expect(dialog.get_by_text("Gebaseerd op het Bouwstenenmodel van Truus Bakker-van Zeil")).to_be_visible()

    send(page, DESCRIPTION)
    expect(user_messages(page).last).to_have_text(DESCRIPTION)
    expect(bot_messages(page).filter(has_text="Bouwsteen 1").first).to_be_visible(timeout=REPLY_SECONDS * 1000)
    # The bot's message is announced to screen readers.
    live = page.locator(".bw-live[aria-live='polite']")
    expect(live).to_contain_text("Bouwsteen 1")

    # A quick reply: its title becomes the parent's message, its answer follows.
    bots_before = bot_messages(page).count()
    quick = page.get_by_role("button", name="Wat kan ik doen?")
    expect(quick).to_be_visible()
    quick.click()
    expect(user_messages(page).last).to_have_text("Wat kan ik doen?")
    expect(page.locator(".bw-quick-reply", has_text="Wat kan ik doen?")).to_have_count(0, timeout=5000)
    page.wait_for_function(
        f"() => document.querySelector('#bouwstenen-widget').shadowRoot"
        f".querySelectorAll('.bw-bot .bw-bubble').length > {bots_before}", timeout=REPLY_SECONDS * 1000)
    page.wait_for_timeout(1500)  # all paragraphs of the answer
    screenshot(page, "demo-desktop-conversation.png")
    conversation = user_messages(page).all_inner_texts()
    answers = bot_messages(page).count()
    first_id = session_id(page)
    assert first_id and re.fullmatch(r"[0-9a-f]{32}", first_id)
    assert events_once_saved(stack, first_id) > 0

    # Reload in the same tab: the same conversation, still open.
    page.reload()
    expect(page.get_by_role("dialog", name="Bouwstenen-assistent")).to_be_visible()
    expect(user_messages(page)).to_have_count(len(conversation))
    assert user_messages(page).all_inner_texts() == conversation
    assert bot_messages(page).count() == answers
    assert session_id(page) == first_id

    # A new tab (own sessionStorage): a fresh conversation.
    other = new_page()
    open_widget(other, stack)
    expect(user_messages(other)).to_have_count(0)
    assert wait_for_session(other) != first_id

    # "Wis gesprek": the screen is empty, the server forgot it, a new session starts.
    wait_for_session(page)
    page.get_by_role("button", name="Wis gesprek").click()
    expect(user_messages(page)).to_have_count(0)
    expect(bot_messages(page)).to_have_count(1)  # the widget's own welcome
    new_id = wait_for_session(page, other_than=first_id)
    assert new_id != first_id
    assert stored_events(stack, first_id) == 0
    page.reload()
    expect(user_messages(page)).to_have_count(0)


def test_html_is_shown_as_text(stack, new_page):
    page = new_page()
    open_widget(page, stack)
    attacks = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]
    for attack in attacks:
        send(page, attack)
        expect(user_messages(page).last).to_have_text(attack)
    expect(bot_messages(page)).to_have_count(3, timeout=REPLY_SECONDS * 1000)  # welcome + 2 answers
    page.wait_for_timeout(1000)
    counts = page.evaluate("""() => {
        const root = document.querySelector('#bouwstenen-widget').shadowRoot;
        return {img: root.querySelectorAll('img').length + document.querySelectorAll('img').length,
                script: root.querySelectorAll('script').length}; }""")
    assert counts == {"img": 0, "script": 0}
    assert page.dialogs == []
    # Only allowlisted links, never javascript:.
    hrefs = page.evaluate("""() => Array.from(document.querySelector('#bouwstenen-widget')
        .shadowRoot.querySelectorAll('a')).map(a => a.getAttribute('href'))""")
    assert hrefs and all(re.match(r"^(tel:\+?\d+|mailto:[^@]+@[^@]+|https://)", h) for h in hrefs), hrefs


def test_keyboard_only(stack, new_page):
    page = new_page()
    page.goto(stack.site_url)
    focused_launcher = ("() => { const host = document.activeElement; return !!host && host.id === "
                        "'bouwstenen-widget' && host.shadowRoot.activeElement !== null && "
                        "host.shadowRoot.activeElement.classList.contains('bw-launcher'); }")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(focused_launcher):
            break
    else:
        raise AssertionError("Tab never reached the chat button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Bouwstenen-assistent")).to_be_visible()
    expect(page.get_by_role("textbox", name="Je bericht aan de chatbot")).to_be_focused()
    page.keyboard.type("wat is bouwsteen 3?")
    page.keyboard.press("Enter")
    expect(user_messages(page).last).to_have_text("wat is bouwsteen 3?")
    expect(bot_messages(page).filter(has_text=re.compile("bouwsteen 3", re.I)).first).to_be_visible(
        timeout=REPLY_SECONDS * 1000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Bouwstenen-assistent")).to_be_hidden()
    assert page.evaluate(focused_launcher)


def test_full_screen_on_a_phone(stack, new_page):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                    device_scale_factor=2)
    page.goto(stack.site_url)
    screenshot(page, "demo-phone-closed.png")
    page.get_by_role("button", name=LAUNCHER).click()
    send(page, DESCRIPTION)
    expect(bot_messages(page).filter(has_text="Bouwsteen 1").first).to_be_visible(timeout=REPLY_SECONDS * 1000)
    page.wait_for_timeout(1500)
    box = page.get_by_role("dialog", name="Bouwstenen-assistent").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
    screenshot(page, "demo-phone-conversation.png")


def test_no_reply_in_time_is_said_clearly(stack, new_page):
    """The same demo page with data-reply-timeout set far below any real answer time (set on
    the script tag as soon as the parser inserts it, before the deferred script runs). 1 ms: a
    turn of this assistant takes about 12 ms, so 50 ms was no longer below it."""
    page = new_page()
    page.add_init_script("""new MutationObserver(() => {
        const tag = document.querySelector('script[src*="bouwstenen-widget.js"]');
        if (tag) tag.dataset.replyTimeout = "0.001";
    }).observe(document, {childList: true, subtree: true});""")
    open_widget(page, stack)
    wait_for_session(page)
    send(page, DESCRIPTION)
    notice = page.locator(".bw-notice .bw-bubble").last
    expect(notice).to_contain_text("Er komt nu geen antwoord")
    expect(notice.locator("a[href='tel:0300000000']")).to_be_visible()
    # A late answer is still shown.
    expect(bot_messages(page).filter(has_text="Bouwsteen 1").first).to_be_visible(timeout=REPLY_SECONDS * 1000)


def test_unreachable_server_is_said_clearly(stack, new_page):
    page = new_page()
    open_widget(page, stack)
    wait_for_session(page)
    stack.stop("rasa")
    send(page, "is daar iemand?")
    notice = page.locator(".bw-notice .bw-bubble").last
    expect(notice).to_contain_text("niet bereikbaar", timeout=20000)
    expect(notice).to_contain_text("030 000 0000")
    expect(page.locator(".bw-live")).to_contain_text("niet bereikbaar")
    screenshot(page, "demo-desktop-unreachable.png")
