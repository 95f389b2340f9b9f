"""Never silent, nothing leaked: hostile input through both channels, a stalled action server,
the API behind its token, personal data kept out of the tracker store and the logs."""
import asyncio
import json
import signal
import sqlite3
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hostile import hostile_messages
from tests.integration.stack import RASA_TOKEN, running_stack

pytestmark = pytest.mark.slow
ACTION_TIMEOUT = 3


@pytest.fixture(scope="module")
def stack(model, tmp_path_factory):
    with running_stack(model, tmp_path_factory.mktemp("reliability"), action_timeout=ACTION_TIMEOUT) as stack:
        yield stack


def post(url, body: bytes, timeout=60):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.load(response)


def rest(stack, sender, message):
    status, messages = post(f"{stack.rasa_url}/webhooks/rest/webhook",
                            json.dumps({"sender": sender, "message": message}).encode())
    assert status == 200
    return messages


def text_of(messages):
    return " ".join(m.get("text", "") for m in messages)


def stored_rows(stack, sender):
    with sqlite3.connect(stack.tracker_db) as db:
        return [row[0] for row in db.execute("select data from events where sender_id = ?", (sender,))]


def rows_once_saved(stack, sender, seconds=15):
    """The stored rows of a conversation, waiting for the save: Rasa sends the replies while it
    handles a turn and saves the tracker after that."""
    deadline = time.monotonic() + seconds
    while True:
        rows = stored_rows(stack, sender)
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


class SocketUser:
    """One widget-like socket.io client (polling transport, as a browser falls back to)."""

    def __init__(self, stack):
        import socketio

        self.stack, self.client, self.inbox, self.session_id = stack, socketio.AsyncClient(), asyncio.Queue(), None
        self.client.on("bot_uttered", self.inbox.put_nowait)
        self.confirmed = asyncio.Event()
        self.client.on("session_confirm", self._confirm)

    async def _confirm(self, session_id):
        self.session_id = session_id
        self.confirmed.set()

    async def connect(self, origin=None):
        origin = origin or self.stack.env["BOUWSTENEN_ALLOWED_ORIGINS"].split(",")[0]
        await self.client.connect(self.stack.rasa_url, headers={"Origin": origin}, transports=["polling"])
        await self.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(self.confirmed.wait(), 10)

    async def say(self, message, first_reply_within=20.0):
        """All replies to one message: the first within the limit, then until 0.3 s of quiet."""
        await self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})
        replies = [await asyncio.wait_for(self.inbox.get(), first_reply_within)]
        while True:
            try:
                replies.append(await asyncio.wait_for(self.inbox.get(), 0.3))
            except asyncio.TimeoutError:
                return replies


def test_the_api_refuses_requests_without_the_token(stack):
    for path, body in (("/status", None), ("/conversations/someone/tracker", None),
                       ("/model/parse", b'{"text": "hoi"}')):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(f"{stack.rasa_url}{path}", data=body), timeout=10)
        assert refused.value.code == 401
    with urllib.request.urlopen(f"{stack.rasa_url}/status?token={RASA_TOKEN}", timeout=10) as response:
        assert response.status == 200


def test_personal_data_never_reaches_the_store_or_the_log(stack):
    secrets = ["06-12345678", "jan.jansen@example.nl", "NL91ABNA0417164300", "Kerkstraat 12"]
    rest(stack, "privacy-1", f"bel me op {secrets[0]} of mail {secrets[1]}, hij bonkt met zijn hoofd")
    rest(stack, "privacy-1", f"mijn iban is {secrets[2]} en we wonen op de {secrets[3]}")

    async def over_socket():
        user = SocketUser(stack)
        await user.connect()
        await user.say(f"ze laat me niet los, mijn nummer is {secrets[0]}")
        await user.client.disconnect()
        return user.session_id

    socket_sender = asyncio.run(over_socket())
    for sender in ("privacy-1", socket_sender):
        rows = rows_once_saved(stack, sender)
        assert any("[telefoonnummer]" in row for row in rows), "the redacted message is stored"
        for secret in secrets:
            assert not any(secret in row for row in rows), f"{secret} was stored"
    logs = "".join(path.read_text(errors="replace") for path in stack.logs.values())
    assert not any(secret in logs for secret in secrets)
    assert "hij bonkt met zijn hoofd" not in logs  # the log level prints no message text


def test_over_long_messages_get_a_friendly_limit_note(stack):
    reply = text_of(rest(stack, "long-1", "hij bonkt met zijn hoofd tegen de muur. " * 400))
    assert "erg lang" in reply and "Bouwsteen 1" in reply


def test_a_thousand_hostile_messages_through_rest_all_answered(stack):
    messages = hostile_messages(1000)
    started = time.monotonic()

    def send(indexed):
        index, message = indexed
        return rest(stack, f"hostile-rest-{index % 25}", message)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, enumerate(messages)))
    silent = [m[:40] for m, a in zip(messages, answers) if not any(x.get("text") for x in a)]
    print(f"\nREST: {len(messages)} hostile messages, {len(messages) - len(silent)} answered, "
          f"{time.monotonic() - started:.0f} s")
    assert not silent
    assert all(p.poll() is None for p in stack.processes.values())
    # Invalid UTF-8 and bodies that are not a message object still get an answer, never a 5xx.
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    for body in (b'{"sender": "raw", "message": "hoi \xff\xfe daar"}', b"\xff\xfe\xfd", b"[1, 2]",
                 b'{"sender": ["x"], "message": {"a": 1}}', b"null", b""):
        status, answer = post(url, body)
        assert status == 200 and answer and answer[0]["text"]


def test_a_thousand_hostile_messages_through_socketio_all_answered(stack):
    messages = hostile_messages(1000)

    async def user_sends(share):
        user = SocketUser(stack)
        await user.connect()
        silent = [m[:40] for m in share if not any(r.get("text") for r in await user.say(m))]
        await user.client.disconnect()
        return silent

    async def all_users():
        return await asyncio.gather(*(user_sends(messages[i::8]) for i in range(8)))

    started = time.monotonic()
    silent = [m for share in asyncio.run(all_users()) for m in share]
    print(f"\nsocket.io: {len(messages)} hostile messages, {len(messages) - len(silent)} answered, "
          f"{time.monotonic() - started:.0f} s")
    assert not silent
    assert all(p.poll() is None for p in stack.processes.values())


def test_socketio_refuses_pages_from_other_origins_and_erases_on_request(stack):
    import socketio

    async def scenario():
        stranger = SocketUser(stack)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await stranger.connect(origin="https://evil.example")
        user = SocketUser(stack)
        await user.connect()
        await user.say("hij pikt steeds snoep uit de kast")
        assert rows_once_saved(stack, user.session_id)
        erased = asyncio.Event()
        user.client.on("session_erased", lambda *_: erased.set())
        await user.client.emit("erase_session", {})
        await asyncio.wait_for(erased.wait(), 10)
        await user.client.disconnect()
        return user.session_id

    assert stored_rows(stack, asyncio.run(scenario())) == []


def test_a_stalled_action_server_still_gives_an_answer_and_crisis_help(stack, knowledge):
    actions = stack.processes["actions"]
    actions.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        reply = text_of(rest(stack, "stall-1", "hij pikt geld uit mijn portemonnee"))
        waited = time.monotonic() - started
        assert "er ging iets mis" in reply and knowledge.organisation.human_contact.phone in reply
        assert waited < ACTION_TIMEOUT + 10
        crisis = text_of(rest(stack, "stall-1", "ik ben bang dat ik mijn kind iets aandoe"))
        assert all(c.phone in crisis for c in knowledge.urgent_help)
    finally:
        actions.send_signal(signal.SIGCONT)
    assert "Bouwsteen" in text_of(rest(stack, "stall-2", "hij bonkt met zijn hoofd tegen de muur"))
