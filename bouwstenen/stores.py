"""The tracker store of a single-server installation.

Rasa's SQL tracker store on SQLite commits every turn with a full fsync while the whole server
waits (the store is synchronous and runs on the event loop): about 16 ms per turn on the
benchmark machine. With write-ahead logging and `synchronous=NORMAL` a commit is durable against
a crash of the server and no longer waits for the disk on every turn (SQLite's documented
trade-off: after a power failure the last turns may be lost, never the database).

endpoints.yml:
    tracker_store:
      type: bouwstenen.stores.LocalSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LocalSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store; on SQLite with write-ahead logging (other databases unchanged)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_settings)
            self.engine.dispose()  # connections made before the listener get the settings too
