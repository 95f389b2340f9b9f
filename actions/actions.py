"""Rasa custom actions: a thin layer over bouwstenen.dialogue (plain Python, tested without Rasa).

Each action reads the message and the slots, asks the domain code for the reply, sends each
paragraph as its own message (its own chat bubble) and stores what the conversation heard.
What a message says (its signals, its risk) was read by the Rasa server's NLU pipeline and comes
with the message (bouwstenen.reading), so this server loads neither spaCy nor the lexicon; only
a message without a reading (from before that pipeline) is read here, loading them then.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bouwstenen import dialogue, replies
from bouwstenen import knowledge as kb
from bouwstenen.reading import from_parse_data, signals_of
from bouwstenen.recognition import SignalMatch

kb.load()  # read and check knowledge/ when the action server starts, not on the first turn


def send(dispatcher: CollectingDispatcher, reply: replies.Reply) -> None:
    last = len(reply.paragraphs) - 1
    for index, paragraph in enumerate(reply.paragraphs):
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] if index == last else []
        dispatcher.utter_message(text=paragraph, buttons=buttons)


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _signals(tracker: Tracker) -> Optional[List[SignalMatch]]:
    """The signals the NLU pipeline read in the latest message, or None when it left none."""
    reading = from_parse_data(tracker.latest_message)
    return signals_of(reading) if reading is not None else None


class ActionDescribe(Action):
    def name(self) -> Text:
        return "action_describe"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        turn = dialogue.describe(_text(tracker), tracker.get_slot("heard_signals") or [], intent,
                                 _signals(tracker))
        send(dispatcher, turn.reply)
        if not turn.blocks:
            # Only a message the classifier did not understand counts towards "twice in a row".
            return [SlotSet("not_understood", intent == "nlu_fallback")]
        return [SlotSet("heard_signals", turn.heard), SlotSet("blocks_in_play", turn.blocks),
                SlotSet("focus_block", turn.focus), SlotSet("not_understood", False)]


class ActionClarify(Action):
    """The answer to the clarifying question: which of two equally likely blocks fits best."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        turn = dialogue.clarify(next(tracker.get_latest_entity_values("block"), None), _text(tracker),
                                tracker.get_slot("blocks_in_play") or [], _signals(tracker))
        send(dispatcher, turn.reply)
        return [SlotSet("blocks_in_play", turn.blocks), SlotSet("focus_block", turn.focus)] if turn.focus else []


class ActionAdvice(Action):
    def name(self) -> Text:
        return "action_advice"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        blocks = tracker.get_slot("blocks_in_play") or []
        if not blocks and tracker.get_slot("focus_block"):
            blocks = [tracker.get_slot("focus_block")]
        send(dispatcher, dialogue.advice(blocks))
        return []


class ActionWhy(Action):
    def name(self) -> Text:
        return "action_why"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        send(dispatcher, dialogue.why(tracker.get_slot("heard_signals") or [],
                                      tracker.get_slot("blocks_in_play") or []))
        return []


class ActionExplainBlock(Action):
    """"wat is bouwsteen 3?" (short) and "vertel meer" (both poles)."""

    def name(self) -> Text:
        return "action_explain_block"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        detailed = tracker.latest_message.get("intent", {}).get("name") == "ask_more"
        turn = dialogue.explain(_text(tracker), tracker.get_slot("focus_block"), detailed=detailed,
                                signals=_signals(tracker))
        send(dispatcher, turn.reply)
        return [SlotSet("focus_block", turn.focus)] if turn.focus else []


class ActionOverview(Action):
    def name(self) -> Text:
        return "action_overview"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        send(dispatcher, replies.overview())
        return []


class ActionDifference(Action):
    def name(self) -> Text:
        return "action_difference"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        send(dispatcher, dialogue.difference(_text(tracker), tracker.get_slot("focus_block")))
        return []


def _parent_messages(tracker: Tracker):
    """What the parent wrote since the conversation (re)started, with the intent and the
    reading of each, leaving out button payloads and the request for the summary itself."""
    messages, intents, readings = [], [], []
    for event in tracker.events:
        if event.get("event") in ("restart", "session_started"):
            messages, intents, readings = [], [], []
        elif event.get("event") == "user" and (event.get("text") or "").strip():
            if event["text"].startswith("/"):
                continue
            parse_data = event.get("parse_data") or {}
            messages.append(event["text"])
            intents.append((parse_data.get("intent") or {}).get("name"))
            readings.append(from_parse_data(parse_data))
    if intents and intents[-1] == "summary":
        messages, intents, readings = messages[:-1], intents[:-1], readings[:-1]
    return messages, intents, readings


class ActionSummary(Action):
    def name(self) -> Text:
        return "action_summary"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        send(dispatcher, dialogue.summary(*_parent_messages(tracker)))
        return []


class ActionOtherLanguage(Action):
    def name(self) -> Text:
        return "action_other_language"

    def run(self, dispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        send(dispatcher, replies.other_language(_text(tracker)))
        return []
