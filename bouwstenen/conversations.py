"""Stored conversations: read, erase and expire them in Rasa's own tracker store.

The store is the one `endpoints.yml` configures (SQLite by default, PostgreSQL when scaled out),
opened through Rasa's own factory, so the staff page, the privacy commands and the Rasa server
all see the same rows. Erasing and expiring work on SQL tracker stores (and the in-memory one
used in tests); other stores are refused with a clear message.
"""
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import List, Optional

import os

from bouwstenen.paths import PROJECT_ROOT

ENDPOINTS = Path(os.environ.get("BOUWSTENEN_ENDPOINTS", PROJECT_ROOT / "endpoints.yml"))


class UnsupportedStore(RuntimeError):
    pass


def open_tracker_store(endpoints: Path = ENDPOINTS):
    """Rasa's tracker store as configured in the endpoints file (in memory when none is)."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(endpoints), "tracker_store")
    db = config.kwargs.get("db") if config else None
    if config and config.kwargs.get("dialect") == "sqlite" and db and not Path(db).is_absolute():
        # A relative SQLite file is relative to the project, whatever the working directory.
        config.kwargs["db"] = str(Path(endpoints).resolve().parent / db)
    return TrackerStore.create(config)


def concrete_store(store):
    """The real store behind Rasa's wrappers (fail-safe, awaitable)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def _run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    raise RuntimeError("use the async variant inside an event loop")


async def user_messages_async(store, sender_id: str) -> Optional[List[str]]:
    """What the parent wrote in one conversation, in order; None when there is no such
    conversation."""
    tracker = await store.retrieve_full_tracker(sender_id)
    if tracker is None or not tracker.events:
        return None
    from rasa.shared.core.events import UserUttered

    messages = [e.text for e in tracker.events if isinstance(e, UserUttered) and e.text]
    return [m for m in messages if not m.startswith("/")]  # button payloads are not words


def user_messages(store, sender_id: str) -> Optional[List[str]]:
    return _run(user_messages_async(store, sender_id))


def erase(store, sender_id: str) -> int:
    """Delete one conversation; returns the number of events (or trackers) removed."""
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore

    store = concrete_store(store)
    if isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            removed = (session.query(store.SQLEvent)
                       .filter(store.SQLEvent.sender_id == sender_id).delete())
            session.commit()
        return removed
    if isinstance(store, InMemoryTrackerStore):
        return 1 if store.store.pop(sender_id, None) is not None else 0
    raise UnsupportedStore(f"wissen kan niet in een {type(store).__name__}")


def expire(store, days: float, now: Optional[float] = None) -> int:
    """Delete every conversation whose last event is older than `days`; returns how many."""
    from rasa.core.tracker_store import SQLTrackerStore
    import sqlalchemy as sa

    store = concrete_store(store)
    if not isinstance(store, SQLTrackerStore):
        raise UnsupportedStore(f"bewaartermijn kan niet in een {type(store).__name__}")
    cutoff = (now if now is not None else time.time()) - days * 86400
    event = store.SQLEvent
    with store.session_scope() as session:
        stale = [row[0] for row in session.query(event.sender_id)
                 .group_by(event.sender_id).having(sa.func.max(event.timestamp) < cutoff)]
        for sender_id in stale:
            session.query(event).filter(event.sender_id == sender_id).delete()
        session.commit()
    return len(stale)
