"""Rasa input channels of the assistant (imported by Rasa only, through credentials.yml)."""
from __future__ import annotations

from typing import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bouwstenen import replies


class ReliableRestInput(RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) that never leaves a parent without an
    answer: when a turn produced no message at all (the action server is down or too slow, or
    something failed), it sends a short "er ging iets mis" with the human contact."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def answered(message: UserMessage) -> None:
            output = message.output_channel
            before = len(output.messages) if isinstance(output, CollectingOutputChannel) else None
            try:
                await on_new_message(message)
            finally:
                if before is not None and len(output.messages) == before:
                    await output.send_text_message(message.sender_id, replies.technical_problem().text)

        return super().blueprint(answered)
