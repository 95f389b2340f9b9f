"""A Redis lock store for several Rasa instances that cannot hand one conversation to two of them.

Rasa 3.6's RedisLockStore changes a conversation's ticket lock with a separate read and write, so
two instances that receive a message of the same conversation at the same moment can both take
the lock, and one of the two turns is then lost from the tracker store (the scale-out test shows
it). Here every change of a lock is one Redis transaction (WATCH/MULTI): if another instance
changed the lock in between, the change is retried on the fresh lock.

endpoints file:
    lock_store:
      type: bouwstenen.locks.AtomicRedisLockStore
      url: ...          # the same settings as Rasa's `type: redis`
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa creates a lock store named by module path
            kwargs = {**endpoint_config.kwargs, "host": endpoint_config.url or "localhost", **kwargs}
        for number in ("port", "db"):  # values from ${VAR} substitution arrive as text
            if isinstance(kwargs.get(number), str):
                kwargs[number] = int(kwargs[number])
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the conversation's lock in one transaction; a lock left without
        tickets is deleted, as Rasa's cleanup does."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = (TicketLock.from_dict(json.loads(stored)) if stored
                            else self.create_lock(conversation_id))
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another instance changed this lock first: try again on the new one

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the last ticket deletes the lock in the same transaction, so a ticket another
        # instance issued just now is never deleted with it.
        self.finish_serving(conversation_id, ticket_number)
