"""The single-server tracker store: a length limit on sessions that carries the slots over."""
import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bouwstenen.paths import DOMAIN_FILE
from bouwstenen.stores import LocalSQLTrackerStore

DOMAIN = Domain.load(str(DOMAIN_FILE))


def _turn(n):
    return [UserUttered(f"bericht {n}", {"name": "describe_behaviour", "confidence": 1.0}),
            ActionExecuted("action_describe"), BotUttered(f"antwoord {n}"),
            SlotSet("focus_block", 1 + n % 5), SlotSet("heard_signals", [{"id": f"s{n}"}]),
            ActionExecuted("action_listen")]


def _store(tmp_path, **kwargs):
    return LocalSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), **kwargs)


def _conversation(store, turns):
    """A conversation of ``turns`` turns, saved after each turn as Rasa does."""
    async def run():
        tracker = DialogueStateTracker.from_events(
            "ouder", [ActionExecuted("action_session_start"), SessionStarted(),
                      ActionExecuted("action_listen")], slots=DOMAIN.slots)
        await store.save(tracker)
        for n in range(turns):
            tracker = await store.retrieve("ouder")
            for event in _turn(n):
                tracker.update(event)
            await store.save(tracker)
        return await store.retrieve("ouder"), await store.retrieve_full_tracker("ouder")
    return asyncio.run(run())


def test_a_long_session_goes_on_in_a_new_one_with_the_slots_carried_over(tmp_path):
    current, full = _conversation(_store(tmp_path, max_session_events=40), 30)
    # Every event stays stored; what is loaded per turn stays bounded.
    assert sum(isinstance(e, UserUttered) for e in full.events) == 30
    assert len(current.events) <= 40 + len(_turn(0)) + 5
    assert isinstance(current.events[0], SessionStarted)
    # The slots are those of the last turn, as if the session had never been cut.
    assert current.get_slot("focus_block") == 1 + 29 % 5
    assert current.get_slot("heard_signals") == [{"id": "s29"}]
    assert current.latest_action_name == "action_listen"


def test_without_a_limit_the_session_keeps_every_event(tmp_path):
    current, full = _conversation(_store(tmp_path, max_session_events=0), 30)
    assert [e.as_dict() for e in current.applied_events()] == [e.as_dict() for e in full.applied_events()]
    assert sum(isinstance(e, UserUttered) for e in current.events) == 30


def test_a_conversation_in_progress_is_not_loaded_from_the_database_every_turn(tmp_path, monkeypatch):
    from rasa.core.tracker_store import SQLTrackerStore

    store = _store(tmp_path)
    loads = []
    rasa_retrieve = SQLTrackerStore.retrieve

    async def counting_retrieve(self, sender_id):
        loads.append(sender_id)
        return await rasa_retrieve(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", counting_retrieve)
    _conversation(store, 5)
    assert loads == []  # created here, then the kept copy every turn
    fresh = asyncio.run(_store(tmp_path, cached_conversations=0).retrieve("ouder"))
    kept = asyncio.run(store.retrieve("ouder"))
    # What Rasa works with (the events since the session started) is the same as a fresh load.
    assert [e.as_dict() for e in kept.applied_events()] == [e.as_dict() for e in fresh.applied_events()]
    assert sum(isinstance(e, UserUttered) for e in fresh.events) == 5


def test_what_another_process_wrote_or_erased_is_seen(tmp_path):
    store, other = _store(tmp_path), _store(tmp_path)
    _conversation(store, 3)

    async def other_turn():
        tracker = await other.retrieve("ouder")
        for event in _turn(99):
            tracker.update(event)
        await other.save(tracker)
    asyncio.run(other_turn())
    tracker = asyncio.run(store.retrieve("ouder"))
    assert tracker.latest_message.text == "bericht 99" and tracker.get_slot("focus_block") == 5

    with other.session_scope() as session:  # as `bouwstenen-privacy erase` does
        session.query(other.SQLEvent).filter(other.SQLEvent.sender_id == "ouder").delete()
        session.commit()
    assert asyncio.run(store.retrieve("ouder")) is None


def test_events_of_a_turn_that_failed_half_way_are_not_kept(tmp_path):
    store = _store(tmp_path)
    _conversation(store, 3)

    async def failed_turn():
        tracker = await store.retrieve("ouder")
        tracker.update(UserUttered("nooit opgeslagen", {"name": "greet", "confidence": 1.0}))
        # ... the turn fails here: no save
        return await store.retrieve("ouder")
    tracker = asyncio.run(failed_turn())
    assert tracker.latest_message.text == "bericht 2"


def test_after_a_new_session_only_that_session_is_loaded(tmp_path):
    """Rasa starts a new session after an hour of silence, on the tracker it has in hand; the
    next turn must work with that session only, as when loaded from the database."""
    store = _store(tmp_path)
    _conversation(store, 3)

    async def next_session():
        tracker = await store.retrieve("ouder")
        for event in [ActionExecuted("action_session_start"), SessionStarted(),
                      ActionExecuted("action_listen"), *_turn(7)]:
            tracker.update(event)
        await store.save(tracker)
        return await store.retrieve("ouder")
    tracker = asyncio.run(next_session())
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["bericht 7"]
