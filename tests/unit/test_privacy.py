"""Personal data never reaches the store; conversations can be erased and expired."""
import time


import pytest

from bouwstenen import conversations
from bouwstenen.channels import allowed_origins, prepare
from bouwstenen.privacy import main as privacy_main
from bouwstenen.privacy import redact
from bouwstenen.text import MAX_CHARS


@pytest.mark.parametrize("text, placeholder, secret", [
    ("mail me op jan.de-vries+school@gmail.com", "[e-mailadres]", "gmail"),
    ("bel me op 06-12345678", "[telefoonnummer]", "12345678"),
    ("mijn nummer: +31 6 1234 5678", "[telefoonnummer]", "5678"),
    ("vast nummer 020 123 4567", "[telefoonnummer]", "4567"),
    ("belgisch: +32 470 12 34 56", "[telefoonnummer]", "34 56"),
    ("haar bsn is 123456782", "[BSN]", "123456782"),
    ("bsn 123.45.67.82", "[BSN]", "67.82"),
    ("iban NL91 ABNA 0417 1643 00", "[IBAN]", "ABNA"),
    ("NL91ABNA0417164300 graag", "[IBAN]", "0417"),
    ("we wonen op de Kerkstraat 12a", "[adres]", "Kerkstraat"),
    ("adres: Dorpsweg 3-5 in 3511 AB Utrecht", "[postcode]", "3511"),
])
def test_personal_data_is_replaced_by_what_it_was(text, placeholder, secret):
    redacted = redact(text)
    assert placeholder in redacted and secret not in redacted


@pytest.mark.parametrize("text", [
    "hij is 8 jaar en slaat 3 keer per dag",
    "ze bonkt al 100 keer met haar hoofd, sinds 2019",
    "om 10 uur 's avonds begint het, 2 à 3 uur lang",
    "we hebben hem in 2021 geadopteerd uit China, hij was toen 14 maanden",
])
def test_ordinary_numbers_in_a_description_stay(text):
    assert redact(text) == text


def test_the_channel_cuts_over_long_messages_with_a_note_and_redacts():
    text, note = prepare("bel 06-12345678 " + "x" * (MAX_CHARS + 100))
    assert len(text) <= MAX_CHARS and "[telefoonnummer]" in text
    assert note and str(MAX_CHARS) in note
    assert prepare(None) == ("", None)
    assert prepare("hoi") == ("hoi", None)


def test_allowed_origins_come_from_the_environment_first(monkeypatch):
    monkeypatch.delenv("BOUWSTENEN_ALLOWED_ORIGINS", raising=False)
    assert allowed_origins(["http://localhost:8080"]) == ["http://localhost:8080"]
    monkeypatch.setenv("BOUWSTENEN_ALLOWED_ORIGINS", "https://a.nl, https://b.nl")
    assert allowed_origins(["http://localhost:8080"]) == ["https://a.nl", "https://b.nl"]


@pytest.fixture
def sqlite_store(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: bouwstenen.stores.LocalSQLTrackerStore\n"
                         "  dialect: sqlite\n  db: tracker.db\n")
    return endpoints, conversations.open_tracker_store(endpoints)


def _save(store, sender_id, texts, timestamp):
    import asyncio

    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        sender_id, [UserUttered(t, timestamp=timestamp) for t in texts])
    asyncio.run(store.save(tracker))


def test_a_relative_sqlite_file_is_next_to_the_endpoints_file(sqlite_store, tmp_path):
    endpoints, store = sqlite_store
    _save(store, "a", ["hoi"], time.time())
    assert (tmp_path / "tracker.db").exists()


def test_the_local_store_writes_ahead(sqlite_store, tmp_path):
    import sqlite3

    from bouwstenen.stores import LocalSQLTrackerStore

    endpoints, store = sqlite_store
    assert isinstance(conversations.concrete_store(store), LocalSQLTrackerStore)
    _save(store, "a", ["hoi"], time.time())
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_user_messages_erase_and_expire(sqlite_store):
    endpoints, store = sqlite_store
    now = time.time()
    _save(store, "recent", ["hij bonkt met zijn hoofd", "/clarify{\"block\": \"1\"}"], now)
    _save(store, "old", ["ze pikt geld"], now - 40 * 86400)
    _save(store, "other", ["hoi"], now)
    assert conversations.user_messages(store, "recent") == ["hij bonkt met zijn hoofd"]
    assert conversations.user_messages(store, "nobody") is None

    assert conversations.expire(store, days=30, now=now) == 1
    assert conversations.user_messages(store, "old") is None
    assert conversations.user_messages(store, "recent") is not None

    assert conversations.erase(store, "recent") == 2
    assert conversations.user_messages(store, "recent") is None
    assert conversations.erase(store, "recent") == 0
    assert conversations.user_messages(store, "other") == ["hoi"]


def test_privacy_command(sqlite_store, capsys):
    endpoints, store = sqlite_store
    _save(store, "x1", ["hoi"], time.time())
    assert privacy_main(["--endpoints", str(endpoints), "erase", "x1"]) == 0
    assert "1 gebeurtenissen gewist" in capsys.readouterr().out
    assert conversations.user_messages(store, "x1") is None
    assert privacy_main(["--endpoints", str(endpoints), "expire", "--days", "30"]) == 0
    assert "0 gesprekken" in capsys.readouterr().out


def test_erasing_in_a_store_that_cannot_is_refused_clearly(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: http://localhost:1/webhook\n")
    store = conversations.open_tracker_store(endpoints)  # in memory
    with pytest.raises(conversations.UnsupportedStore):
        conversations.expire(store, 1)
