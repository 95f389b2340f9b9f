"""Costs Rasa 3.6 pays on every turn that do not change its behaviour when paid once.

Both were found by profiling a turn of this assistant (docs/benchmarks.md) and are applied in
the Rasa server when it loads the channels (bouwstenen/channels.py):

- Every answer of the action server is checked with `jsonschema.validate`, which first checks
  Rasa's large events schema against the JSON-Schema metaschema: about half of the server's time
  in a turn with a custom action. Here the validator for that schema is built once; answers are
  judged exactly as before (same schema, same best-match error).
- Loading a conversation looks up each stored event's class by scanning every subclass of
  `Event`, once per event: with a long conversation that scan was a third of the whole turn.
  Here the class found for a type name is remembered; unknown names still go to Rasa's lookup.
- Every call to the action server opens a new HTTP session and so a new TCP connection, and
  closes it after the answer (8 % of the server's time under load). Here each endpoint keeps one
  session, so connections are kept alive and reused; requests, headers and timeouts are Rasa's
  own. The action server keeps idle connections open longer than this client does
  (bouwstenen/action_server.py), so the client never reuses one the server is closing.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional, Type

import aiohttp
import rasa.core.actions.action
import rasa.shared.core.events
import rasa.utils.endpoints


def validate_action_results_with_one_validator() -> None:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    remote_action = rasa.core.actions.action.RemoteAction
    schema = remote_action.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def validate(self, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (". Failed to validate Action server response from API, make sure "
                              "your response from the Action endpoint is valid.")
            raise error
        return True

    remote_action._validate_action_result = validate


def remember_event_classes() -> None:
    event = rasa.shared.core.events.Event
    if getattr(event.resolve_by_type, "remembers", False):
        return
    rasa_lookup = event.resolve_by_type
    found: Dict[str, Type] = {}

    def resolve_by_type(type_name: str, default: Optional[Type] = None) -> Optional[Type]:
        cls = found.get(type_name)
        if cls is None:
            cls = rasa_lookup(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type.remembers = True
    event.resolve_by_type = staticmethod(resolve_by_type)


class _Borrowed:
    """A kept session for Rasa's ``async with self.session() as session``: not closed after."""

    def __init__(self, session: aiohttp.ClientSession):
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


# Idle connections are closed by the client after this long; the action server waits longer.
CLIENT_KEEPALIVE_SECONDS = 15


def keep_endpoint_sessions() -> None:
    endpoint = rasa.utils.endpoints.EndpointConfig
    if getattr(endpoint.session, "keeps", False):
        return
    rasa_session = endpoint.session

    def session(self) -> _Borrowed:
        loop = asyncio.get_running_loop()  # Rasa asks for a session inside its request coroutine
        kept, kept_loop = getattr(self, "_kept_session", (None, None))
        if kept is None or kept.closed or kept_loop is not loop:
            fresh = rasa_session(self)  # Rasa's headers, auth and timeout
            kept = aiohttp.ClientSession(
                headers=fresh.headers, auth=fresh.auth, timeout=fresh.timeout,
                connector=aiohttp.TCPConnector(keepalive_timeout=CLIENT_KEEPALIVE_SECONDS))
            loop.create_task(fresh.close())
            self._kept_session = (kept, loop)
        return _Borrowed(kept)

    session.keeps = True
    endpoint.session = session


def apply() -> None:
    validate_action_results_with_one_validator()
    remember_event_classes()
    keep_endpoint_sessions()
