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
    assert len(current.events) == len(full.events) - 1  # all but the first action_session_start
    assert sum(isinstance(e, UserUttered) for e in current.events) == 30
