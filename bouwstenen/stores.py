"""The tracker store of a single-server installation.

Rasa's SQL tracker store, with these changes (each measured in docs/benchmarks.md):

- On SQLite, write-ahead logging with `synchronous=NORMAL`. Rasa's store commits every turn with
  a full fsync while the whole server waits (the store is synchronous and runs on the event
  loop): about 16 ms per turn on the benchmark machine. With WAL a commit is durable against a
  crash of the server and no longer waits for the disk on every turn (SQLite's documented
  trade-off: after a power failure the last turns may be lost, never the database). And one
  kept connection instead of a new one per turn (SQLAlchemy 1.4 opens and closes a SQLite file
  connection for every session).
- The conversations in progress stay in memory between turns (write-through: every turn is
  still written to the database before the reply goes out). Loading a conversation from the
  database means reading, decoding and replaying every event of it on every turn. A cached
  conversation is used only when the newest event id in the database is still the one this
  store wrote and the conversation has no unsaved events (a turn that failed half-way); else it
  is loaded again. So an erasure, or a turn handled by another Rasa instance, is always seen.
- Sessions have a length limit besides Rasa's time limit (``session_config`` in domain.yml).
  Rasa replays and featurises every event of the current session on every turn, and sends them
  all to the action server: a conversation that never ends gets slower with every turn. When a
  session passes ``max_session_events`` events (at the end of a turn), the store starts a new
  session, as Rasa's own session start does but carrying the slots over, so the conversation
  goes on where it was (what was heard, the block in focus). The older events stay stored (the
  staff page and ``retrieve_full_tracker`` still see the whole conversation).

endpoints.yml:
    tracker_store:
      type: bouwstenen.stores.LocalSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db
      max_session_events: 400        # optional; 0 turns the length limit off
      cached_conversations: 100      # optional; 0 turns the cache off
"""
from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

# About 45 turns of this assistant (8-9 events per turn): far more than a chat with a parent
# usually has, and a turn with this many events still costs little more than the first.
DEFAULT_MAX_SESSION_EVENTS = 400
# Conversations kept in memory; far more than are in progress at once on one server.
DEFAULT_CACHED_CONVERSATIONS = 100


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


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored: int             # how many of the tracker's events are in the database
    last_id: Optional[int]  # the newest event id of the conversation in the database


class LocalSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store: on SQLite with write-ahead logging and one kept connection; with
    conversations in progress kept in memory and a length limit on sessions (any database)."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_session_events = int(max_session_events or 0)
        self.cached_conversations = int(cached_conversations or 0)
        self._cache: "OrderedDict[str, _Cached]" = OrderedDict()
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_settings)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        events = self.SQLEvent.__table__
        self._last_id_query = sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender_id"))

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        cached = self._cache.pop(sender_id, None)
        with self.session_scope() as session:
            last_id = self._last_id(session, sender_id)
        if cached is not None and cached.last_id == last_id and len(cached.tracker.events) == cached.stored:
            self._remember(cached)
            return cached.tracker
        if last_id is None:
            return None  # nothing stored for this conversation
        # Newest id first: a row written meanwhile only makes the cached copy look out of date.
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(_Cached(tracker, len(tracker.events), last_id))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        cached = self._cache.pop(sender_id, None)
        with self.session_scope() as session:
            if cached is not None and cached.tracker is tracker:
                new = list(itertools.islice(tracker.events, cached.stored, None))
                last_id = cached.last_id
            elif self._last_id(session, sender_id) is None:
                new, last_id = list(tracker.events), None  # a new conversation
            else:
                new = list(self._additional_events(session, tracker))
                last_id = None
            last_id = self._insert(session, sender_id, new) or last_id or self._last_id(session, sender_id)
            if (self.max_session_events and len(tracker.events) > self.max_session_events
                    and tracker.latest_action_name == ACTION_LISTEN_NAME):
                self._insert(session, sender_id, continuation_events(tracker))
                session.commit()
                return  # the next turn loads the new session
            session.commit()
        # A tracker that holds a previous session as well is loaded from the database next turn,
        # which holds only the current session. (Rasa itself ignores what comes before the last
        # session start, so keeping a first session's leading `action_session_start` is alike.)
        if sum(isinstance(e, SessionStarted) for e in tracker.events) <= 1:
            self._remember(_Cached(tracker, len(tracker.events), last_id))

    def _insert(self, session, sender_id: str, events: Iterable[Event]) -> Optional[int]:
        """Add events as rows the way Rasa's ``save`` writes them (in bulk rather than through
        the ORM); the id of the last one."""
        rows = []
        for event in events:
            data = event.as_dict()
            rows.append({"sender_id": sender_id, "type_name": event.type_name,
                         "timestamp": data.get("timestamp"),
                         "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                         "action_name": data.get("name"), "data": json.dumps(data)})
        if not rows:
            return None
        insert = self.SQLEvent.__table__.insert()
        if len(rows) > 1:
            session.execute(insert, rows[:-1])
        return session.execute(insert, rows[-1]).inserted_primary_key[0]  # the last one's id

    def _last_id(self, session, sender_id: str) -> Optional[int]:
        return session.execute(self._last_id_query, {"sender_id": sender_id}).scalar()

    def _remember(self, cached: _Cached) -> None:
        if not self.cached_conversations:
            return
        self._cache[cached.tracker.sender_id] = cached
        while len(self._cache) > self.cached_conversations:
            self._cache.popitem(last=False)
