"""Rasa input channels of the assistant (imported by Rasa only, through credentials.yml).

Both channels are Rasa's own (REST, socket.io) with the same URLs and events, plus what parents
and the organisation need on every turn:
- personal data (e-mail, phone, BSN, IBAN, address) is redacted before Rasa sees the message,
  so it is never stored or logged;
- an over-long message is cut at the limit, with a friendly note saying so;
- a turn that produced no message (action server down, slow or failing) still gets a short
  "er ging iets mis" with the human contact;
- the call to the action server has a short timeout (`action_timeout`, seconds).
The socket.io channel also checks the page's origin against the configured origins, and lets the
widget erase its own conversation ("Wis gesprek").
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import rasa.core.actions.action
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from socketio import AsyncServer

from bouwstenen import rasa_speedups, replies
from bouwstenen.privacy import redact
from bouwstenen.text import MAX_CHARS

logger = logging.getLogger(__name__)

DEFAULT_ACTION_TIMEOUT = 10  # seconds; Rasa's own default is 5 minutes of silence
ORIGINS_VARIABLE = "BOUWSTENEN_ALLOWED_ORIGINS"
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
LONGEST_WORD = 64  # no Dutch word is longer; a longer unbroken run is spam or a link
_LONG_RUN = re.compile(r"\S{%d}(?=\S)" % LONGEST_WORD)


def limit_action_calls(seconds: float) -> None:
    """Rasa 3.6 has no setting for the action server's timeout; it reads this module constant
    on every call, so setting it here bounds how long a parent can wait for a custom action."""
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds


rasa_speedups.apply()  # per-turn costs of Rasa 3.6 paid once (see that module)


def prepare(text: Any) -> Tuple[str, Optional[str]]:
    """(text as Rasa should see it, note for the parent or None)."""
    # Redact before cutting, so a number on the cut cannot slip through half.
    text = redact(text) if isinstance(text, str) else ""
    # Tokenisers slow down quadratically on very long unbroken runs (a wall of emoji):
    # break them into word-sized pieces.
    text = _LONG_RUN.sub(lambda m: m.group(0) + " ", text)
    note = None
    if len(text) > MAX_CHARS:
        text, note = text[:MAX_CHARS], replies.long_message_note(MAX_CHARS)
    return text, note


def allowed_origins(configured: Optional[List[str]]) -> List[str]:
    """Origins the widget may be embedded on: the environment variable wins over credentials.yml."""
    from_env = os.environ.get(ORIGINS_VARIABLE, "").strip()
    if from_env:
        return [o.strip() for o in from_env.split(",") if o.strip()]
    return list(configured or [])


def _request_body(request: Request) -> Dict[str, Any]:
    """The JSON body as a dict, whatever was sent: invalid UTF-8 becomes U+FFFD, and a body
    that is not a JSON object counts as an empty message (which gets an answer)."""
    if not hasattr(request.ctx, "body"):
        try:
            body = json.loads(request.body.decode("utf-8", errors="replace") or "{}")
        except ValueError:
            body = {}
        request.ctx.body = body if isinstance(body, dict) else {}
    return request.ctx.body


class ReliableRestInput(RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) that always answers."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "ReliableRestInput":
        limit_action_calls((credentials or {}).get("action_timeout", DEFAULT_ACTION_TIMEOUT))
        return cls()

    async def _extract_sender(self, request: Request) -> Optional[str]:
        sender = _request_body(request).get("sender")
        return sender if isinstance(sender, str) and sender else None

    def _extract_message(self, request: Request) -> str:
        message = _request_body(request).get("message")
        return message if isinstance(message, str) else ""

    def _extract_input_channel(self, request: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _request_body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def answered(message: UserMessage) -> None:
            output = message.output_channel
            message.text, note = prepare(message.text)
            if not message.text.strip():  # nothing to understand: answer without a turn
                await output.send_text_message(message.sender_id, replies.empty_message().text)
                return
            if note:
                await output.send_text_message(message.sender_id, note)
            before = len(output.messages) if isinstance(output, CollectingOutputChannel) else None
            try:
                await on_new_message(message)
            except (Exception, asyncio.CancelledError):
                # Logged without the message: Rasa's own handler would log the parent's text.
                logger.exception("A turn failed (%s channel)", self.name())
            if before is not None and len(output.messages) == before:
                await output.send_text_message(message.sender_id, replies.technical_problem().text)

        return super().blueprint(answered)


class _CountingOutput(SocketIOOutput):
    """Socket.io output that knows whether the turn said anything."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, message: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, message)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        self.sent += 1
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class _AppAwareBlueprint(SocketBlueprint):
    """Remembers the Sanic app, whose agent holds the tracker store (for "Wis gesprek")."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class ReliableSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (same events: session_request, user_uttered, bot_uttered) for the
    chat widget, with origin checks and erasing of the widget's own conversation."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "ReliableSocketIOInput":
        credentials = dict(credentials or {})
        limit_action_calls(credentials.pop("action_timeout", DEFAULT_ACTION_TIMEOUT))
        origins = credentials.pop("cors_allowed_origins", None)
        channel = super().from_credentials(credentials)
        channel.configured_origins = origins
        return channel

    configured_origins: Optional[List[str]] = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = allowed_origins(self.configured_origins)
        # The Engine.IO server checks the Origin of every connection, websocket included (browsers
        # apply no CORS to websockets), and answers CORS for the polling transport.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins or None)  # None: same origin only
        self.sio = sio
        blueprint = _AppAwareBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        sessions: Dict[str, str] = {}  # socket id -> the conversation it may speak for

        @blueprint.route("/", methods=["GET"])
        async def health(_) -> Any:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            # Only ids this server could have handed out are accepted, so a page cannot
            # attach itself to another channel's conversation.
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = wanted if isinstance(wanted, str) and SESSION_ID.match(wanted) else uuid.uuid4().hex
            sessions[sid] = session_id
            if self.session_persistence:
                await sio.enter_room(sid, session_id)  # a coroutine in python-socketio 5.x
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("erase_session", namespace=self.namespace)
        async def erase_session(sid: str, data: Any = None) -> None:
            session_id = sessions.pop(sid, None)
            if session_id:
                from bouwstenen import conversations

                try:
                    conversations.erase(blueprint.ctx.app.ctx.agent.tracker_store, session_id)
                except Exception:  # never leave the widget waiting; the screen is cleared anyway
                    logger.exception("Could not erase a conversation")
                if self.session_persistence:
                    await sio.leave_room(sid, session_id)
            await sio.emit("session_erased", {}, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            output = _CountingOutput(sio, self.bot_message_evt)
            data = data if isinstance(data, dict) else {}
            sender_id = sessions.get(sid) if self.session_persistence else sid
            if not sender_id:
                await output.send_text_message(sid, "Even opnieuw verbinden... stuur je bericht zo nog eens.")
                return
            text, note = prepare(data.get("message"))
            if not text.strip():
                await output.send_text_message(sender_id, replies.empty_message().text)
                return
            if note:
                await output.send_text_message(sender_id, note)
            metadata = data.get(self.metadata_key)
            metadata = metadata if isinstance(metadata, dict) else {}
            before = output.sent
            try:
                await on_new_message(UserMessage(text, output, sender_id, input_channel=self.name(),
                                                 metadata=metadata))
            except (Exception, asyncio.CancelledError):
                logger.exception("A turn failed (%s channel)", self.name())
            if output.sent == before:
                await output.send_text_message(sender_id, replies.technical_problem().text)

        return blueprint
