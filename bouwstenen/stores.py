"""The tracker store of a single-server installation.

Rasa's SQL tracker store, with two changes:

- On SQLite, write-ahead logging with `synchronous=NORMAL`. Rasa's store commits every turn with
  a full fsync while the whole server waits (the store is synchronous and runs on the event
  loop): about 16 ms per turn on the benchmark machine. With WAL a commit is durable against a
  crash of the server and no longer waits for the disk on every turn (SQLite's documented
  trade-off: after a power failure the last turns may be lost, never the database).
- Sessions have a length limit besides Rasa's time limit (``session_config`` in domain.yml).
  Rasa loads, replays and featurises every event of the current session on every turn, and sends
  them all to the action server: a conversation that never ends gets slower with every turn.
  When a session passes ``max_session_events`` events (at the end of a turn), the store starts a
  new session, as Rasa's own session start does but carrying the slots over, so the
  conversation goes on where it was (what was heard, the block in focus). The older events stay
  stored (the staff page and ``retrieve_full_tracker`` still see the whole conversation).

endpoints.yml:
    tracker_store:
      type: bouwstenen.stores.LocalSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db
      max_session_events: 400        # optional; 0 turns the length limit off
"""
from __future__ import annotations

import json
from typing import Any, List

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

# About 45 turns of this assistant (8-9 events per turn): far more than a chat with a parent
# usually has, and a turn with this many events still costs little more than the first.
DEFAULT_MAX_SESSION_EVENTS = 400


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def continuation_events(tracker: DialogueStateTracker) -> List[Event]:
    """The events that start a new session which carries this tracker's slots over: what Rasa's
    ``action_session_start`` logs with ``carry_over_slots_to_new_session: true``."""
    slots = [SlotSet(slot.name, slot.value) for slot in tracker.slots.values()
             if slot.value != slot.initial_value]
    return [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), *slots,
            ActionExecuted(ACTION_LISTEN_NAME)]


class LocalSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store; on SQLite with write-ahead logging, and with a length limit on
    sessions (any database)."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_session_events = int(max_session_events or 0)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_settings)
            self.engine.dispose()  # connections made before the listener get the settings too

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if (self.max_session_events and len(tracker.events) > self.max_session_events
                and tracker.latest_action_name == ACTION_LISTEN_NAME):
            self._append(tracker.sender_id, continuation_events(tracker))

    def _append(self, sender_id: str, events: List[Event]) -> None:
        """Store events after the tracker's own (rows as Rasa's ``save`` writes them)."""
        with self.session_scope() as session:
            for event in events:
                data = event.as_dict()
                session.add(self.SQLEvent(sender_id=sender_id, type_name=event.type_name,
                                          timestamp=data.get("timestamp"), intent_name=None,
                                          action_name=data.get("name"), data=json.dumps(data)))
            session.commit()
