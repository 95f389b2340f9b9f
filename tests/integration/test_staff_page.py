"""The staff page in a real browser: the token, a pasted case, a stored conversation by id, a
crisis, copy as text and the JSON download. Chromium from the system (/usr/bin/chromium)."""
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.integration.stack import ARTIFACTS, CHROMIUM, STAFF_TOKEN, running_stack

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium for the browser tests", allow_module_level=True)

pytestmark = pytest.mark.slow

TWO_SIGNALS = "Ze bonkt elke avond met haar hoofd tegen de muur en ze klampt zich de hele dag aan me vast."
MIXED = "Hij is niet agressief, maar hij pikt wel geld uit mijn portemonnee. Vroeger wiegde hij zichzelf."
CRISIS = "Mijn dochter wil niet meer leven en ze bonkt met haar hoofd."


@pytest.fixture(scope="module")
def stack(model, tmp_path_factory):
    with running_stack(model, tmp_path_factory.mktemp("staff"), staff=True) as running:
        yield running


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.staff_url)
    page = context.new_page()
    yield page
    context.close()


def login(page, stack, token=STAFF_TOKEN):
    page.goto(stack.staff_url + "/")
    page.fill("#token", token)
    with page.expect_navigation():
        page.click("button[type=submit]")


def show_card(page, text):
    page.fill("#text", text)
    page.click("#text-form button[type=submit]")
    page.wait_for_selector("#card:not([hidden])")


def http(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"\nscreenshot: {path}")
    return path


def test_wrong_or_missing_token_is_refused(stack, page):
    body = json.dumps({"text": TWO_SIGNALS}).encode()
    json_headers = {"Content-Type": "application/json"}
    for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"},
                    {"Authorization": f"Basic {STAFF_TOKEN}"}):
        status, text = http(f"{stack.staff_url}/api/card", body, {**json_headers, **headers})
        assert status == 401 and "Geen toegang" in text and "bouwstenen" not in text and "bonkt" not in text
    assert http(f"{stack.staff_url}/api/conversation/iemand")[0] == 401
    assert http(f"{stack.staff_url}/static/staff.js")[0] == 401
    assert http(f"{stack.staff_url}/health")[0] == 200

    response = page.goto(stack.staff_url + "/")
    assert response.status == 401 and response.headers["x-frame-options"] == "DENY"
    assert "no-store" in response.headers["cache-control"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("#card").count() == 0 and page.locator("#token").is_visible()
    page.fill("#token", "wrong-token-wrong-token")
    with page.expect_navigation() as navigation:
        page.click("button[type=submit]")
    assert navigation.value.status == 401
    assert "Onjuiste token" in page.inner_text("#melding")
    assert page.locator("#card").count() == 0
    # The browser has no session now: the API refuses it too.
    status = page.evaluate("""async () => (await fetch('/api/card', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({text: 'hij slaat'})})).status""")
    assert status == 401


def test_a_pasted_case_gives_the_card_with_the_parents_words_highlighted(stack, page):
    login(page, stack)
    show_card(page, TWO_SIGNALS)
    assert page.locator("#messages mark.present").all_inner_texts() == [
        "bonkt elke avond met haar hoofd", "klampt zich de hele dag aan me vast"]
    assert [li.get_attribute("data-signal") for li in page.locator("#signals > li").all()] == [
        "head_banging", "clinging"]
    # Best first: head banging, the behaviour this message is mostly about, counts double, then
    # clinging's two blocks tied (the higher first).
    assert [li.get_attribute("data-block") for li in page.locator("#blocks > li").all()] == ["1", "3", "2"]
    assert page.locator("#blocks > li.start-block").get_attribute("data-block") == "1"
    assert "Begin bij bouwsteen 1" in page.inner_text("#start")
    assert "telt dubbel" in page.inner_text("#signals > li[data-signal='head_banging']")
    assert page.locator("#risk").is_hidden() and page.locator("#no-risk").is_visible()
    assert "vervangt het niet" in page.inner_text("#note")
    first_block = page.inner_text("#blocks > li[data-block='1']")
    assert "Vervolgvragen" in first_block and "hoofdbonken of zichzelf wiegen" in first_block
    screenshot(page, "staff-card.png")
    page.emulate_media(media="print")
    assert page.locator("#text-form").is_hidden() and page.locator("#copy-text").is_hidden()
    assert page.locator("#blocks > li").first.is_visible()
    screenshot(page, "staff-card-print.png")
    page.emulate_media(media="screen")

    show_card(page, MIXED)
    assert page.locator("#messages mark.present").all_inner_texts() == ["pikt wel geld"]
    assert page.locator("#messages mark.set-aside").all_inner_texts() == ["agressief", "wiegde hij zichzelf"]
    set_aside = page.inner_text("#set-aside")
    assert "ontkend" in set_aside and "voorbij" in set_aside
    assert [li.get_attribute("data-block") for li in page.locator("#blocks > li").all()] == ["3"]


def test_a_parents_words_are_shown_as_text_never_as_html(stack, page):
    login(page, stack)
    show_card(page, '<img src=x onerror="document.title=\'xss\'"> hij slaat <b>zijn zus</b>')
    assert page.locator("#messages img, #messages b").count() == 0
    assert "<img src=x" in page.inner_text("#messages")
    assert page.title() != "xss"


def test_a_stored_conversation_loads_by_id(stack, page):
    sender = f"staff-test-{uuid.uuid4().hex[:8]}"
    for message in ("mijn zoon klampt zich de hele dag aan me vast",
                    "ze bonkt elke avond met haar hoofd tegen de muur"):
        status, _ = http(f"{stack.rasa_url}/webhooks/rest/webhook",
                         json.dumps({"sender": sender, "message": message}).encode(),
                         {"Content-Type": "application/json"})
        assert status == 200
    login(page, stack)
    page.fill("#conversation-id", sender)
    page.click("#conversation-form button[type=submit]")
    page.wait_for_selector("#card:not([hidden])")
    assert sender in page.inner_text("#source")
    assert page.locator("#messages > li").count() == 2
    assert page.locator("#messages mark.present").all_inner_texts() == [
        "klampt zich de hele dag aan me vast", "bonkt elke avond met haar hoofd"]
    signals = page.inner_text("#signals")
    assert "telt half" in signals and "telt volledig" in signals
    assert [li.get_attribute("data-block") for li in page.locator("#blocks > li").all()][0] == "1"

    # The same card through the JSON API, and the same engine in this process.
    status, text = http(f"{stack.staff_url}/api/conversation/{sender}",
                        headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert status == 200
    card = json.loads(text)
    from bouwstenen.card import build_card

    expected = build_card([m["text"] for m in card["messages"]], [m["intent"] for m in card["messages"]])
    assert card["bouwstenen"] == expected["bouwstenen"] and card["signals"] == expected["signals"]

    page.fill("#conversation-id", "bestaat-niet-" + sender)
    page.click("#conversation-form button[type=submit]")
    page.wait_for_selector("#error:not([hidden])")
    assert "Geen gesprek gevonden" in page.inner_text("#error")


def test_a_crisis_shows_the_risk_first_and_is_not_triaged(stack, page):
    login(page, stack)
    show_card(page, CRISIS)
    risk = page.locator("#risk")
    assert risk.is_visible()
    assert "RISICO" in risk.inner_text() and "Niet getrieerd" in risk.inner_text() and "112" in risk.inner_text()
    assert page.evaluate("""() => Boolean(document.getElementById('risk').compareDocumentPosition(
        document.getElementById('blocks-section')) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    assert page.evaluate("() => document.getElementById('risk').getBoundingClientRect().top") < \
        page.evaluate("() => document.getElementById('blocks-section').getBoundingClientRect().top")
    assert page.locator("#blocks > li").count() == 0
    assert "Niet getrieerd" in page.inner_text("#status")
    assert page.locator("#messages mark.risk").all_inner_texts() == ["wil niet meer leven"]
    screenshot(page, "staff-crisis.png")


def test_copy_as_text_and_json_download(stack, page):
    login(page, stack)
    show_card(page, MIXED + " " + TWO_SIGNALS)
    page.click("#copy-text")
    from playwright.sync_api import expect

    expect(page.locator("#copied")).to_have_text("Gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#case-text")
    assert copied.startswith("TRIAGEKAART") and "vervangt het niet" in copied
    assert "\u201cbonkt elke avond met haar hoofd\u201d" in copied and "(ontkend)" in copied
    assert "Begin bij bouwsteen 1" in copied

    with page.expect_download() as download_info:
        page.click("#download-json")
    download = download_info.value
    assert download.suggested_filename.startswith("triagekaart-") and download.suggested_filename.endswith(".json")
    card = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [s["id"] for s in card["signals"]] == ["stealing", "head_banging", "clinging"]
    assert {s["id"] for s in card["set_aside"]} == {"aggression", "self_rocking"}
    assert card["start_bouwsteen"] == 1 and card["as_text"] == copied
