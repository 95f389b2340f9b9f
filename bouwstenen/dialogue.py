"""One turn of the conversation, as plain functions over plain data.

The Rasa actions are a thin layer over these: they pass in the message and the slots, and send
out the reply and the new slot values. The triage CLI uses ``triage_record`` for the same facts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from bouwstenen import knowledge as kb
from bouwstenen import replies
from bouwstenen.recognition import SignalMatch, default_recogniser
from bouwstenen.safety import detect_risk
from bouwstenen.scoring import Assessment, assess
from bouwstenen.similarity import with_similarity
from bouwstenen.text import MAX_CHARS, normalise

# Intents under which a message may be read as a description of behaviour. A fallback is
# included: when the classifier is unsure, the lexicon may still recognise a behaviour.
DESCRIBING_INTENTS = {"describe_behaviour", "describe_parent_feeling", "nlu_fallback"}
MODEL_QUESTION_INTENTS = {"ask_block", "ask_more", "ask_difference"}


@dataclass
class Turn:
    reply: replies.Reply
    heard: List[Dict]            # every present signal heard so far, as dicts
    blocks: List[int]            # blocks in play, best first
    focus: Optional[int]         # the block the conversation is about


def _signals(text: str, signals: Optional[Sequence[SignalMatch]]) -> List[SignalMatch]:
    """The signals the NLU pipeline already read in ``text``, else those recognised now."""
    return list(signals) if signals is not None else default_recogniser().recognise(text or "")


def describe(text: str, heard: Sequence[Dict] = (), intent: Optional[str] = None,
             signals: Optional[Sequence[SignalMatch]] = None) -> Turn:
    """A description of behaviour or feelings, in the light of what was heard before.
    ``signals``: what the NLU pipeline recognised in ``text``, when known."""
    heard = list(heard)
    if not (text or "").strip():
        return Turn(replies.empty_message(), heard, [], None)
    if signals is None:  # not read by the NLU pipeline: read it now, the same way
        signals = with_similarity(text, default_recogniser().recognise(text), intent, None)
    signals = list(signals)
    present = [s for s in signals if s.present]
    if not present:
        assessment = assess(signals)  # nothing new to claim; says what was set aside, if anything
        if intent == "describe_parent_feeling" and not signals:
            reply = replies.parent_feeling_unplaced()
        else:
            reply = replies.describe(assessment)
    else:
        new_ids = {s.signal_id for s in present}
        earlier = [h for h in heard if h["id"] not in new_ids]
        assessment = assess(signals, [h["id"] for h in earlier])
        heard = earlier + [s.to_dict() for s in present]
        reply = replies.describe(assessment, earlier=[h["label"] for h in earlier])
    if len(text) > MAX_CHARS:
        reply.paragraphs.insert(0, replies.long_message_note(MAX_CHARS))
    blocks = assessment.blocks if present else []
    return Turn(reply, heard, blocks, blocks[0] if blocks else None)


def clarify(block_value, text: str, blocks: Sequence[int],
            signals: Optional[Sequence[SignalMatch]] = None) -> Turn:
    """The parent's answer to "wat herken je het meest?": that block first, the rest after."""
    named = ([int(block_value)] if str(block_value or "") in {"1", "2", "3", "4", "5"}
             else asked_blocks(text, signals))
    if not named:
        return Turn(replies.Reply(["Welke bouwsteen bedoel je? Kies er hieronder een."],
                                  replies.block_buttons()), [], list(blocks), None)
    block = named[0]
    ranked = [block] + [b for b in blocks if b != block]
    return Turn(replies.clarified(block, ranked), [], ranked, block)


def advice(blocks: Sequence[int]) -> replies.Reply:
    return replies.advice(list(blocks))


def why(heard: Sequence[Dict], blocks: Sequence[int]) -> replies.Reply:
    return replies.why([SignalMatch.from_dict(h) for h in heard], list(blocks))


_MODEL_WORDS = re.compile(r"\b(?:bouwsteen|bouwstenen|blok|fase|model)\b")
_WHICH_BLOCK = re.compile(r"\bwelke?\s+(?:bouwsteen|blok|fase)\b")


def asks_which_block(text: str) -> bool:
    """Whether a message asks about the model in so many words, whatever else it says: "hij
    pikt geld, bij welke bouwsteen hoort dat?" describes a behaviour and asks for its block."""
    normalised = normalise(text or "")
    return bool(_WHICH_BLOCK.search(normalised)) or ("?" in normalised and bool(_MODEL_WORDS.search(normalised)))


def asked_blocks(text: str, signals: Optional[Sequence[SignalMatch]] = None) -> List[int]:
    """The blocks a question is about: named by number or (pole) name, else by a theme of the
    block ("wat is eenkennigheid?"), else through a behaviour it names ("wat is schijnzekerheid?")."""
    knowledge = kb.load()
    named = knowledge.find_block_references(text or "") or knowledge.find_block_themes(text or "")
    if named:
        return named
    return list(dict.fromkeys(b for s in _signals(text, signals) for b in s.bouwstenen))


def explain(text: str, focus: Optional[int], *, detailed: bool,
            signals: Optional[Sequence[SignalMatch]] = None) -> Turn:
    """A question about a block: the one named in the text, else the one in focus."""
    named = asked_blocks(text, signals)
    number = named[0] if named else focus
    if number is None:
        return Turn(replies.overview(), [], [], None)
    return Turn(replies.explain_block(number, detailed=detailed), [], [], number)


def difference(text: str, focus: Optional[int]) -> replies.Reply:
    named = kb.load().find_block_references(text or "")
    if focus is not None and len(named) == 1 and named[0] != focus:
        named.append(focus)
    if len(named) < 2:
        return replies.Reply(
            ["Welke twee bouwstenen wil je vergelijken? Bijvoorbeeld: \u201cwat is het verschil "
             "tussen bouwsteen 2 en 3?\u201d"],
            replies.block_buttons(),
        )
    return replies.difference(named[0], named[1])


def triage_record(text: str, intent: Optional[str]) -> Dict:
    """The triage CLI's JSON object for one message (fields: see README, 'Triage')."""
    risk = detect_risk(text) if text.strip() else None
    record: Dict = {"text": text, "intent": intent, "signals": [], "bouwstenen": [], "risk": risk,
                    "confidence": None, "start_bouwsteen": None, "asked_bouwstenen": []}
    if not text.strip():
        return record
    signals = with_similarity(text, default_recogniser().recognise(text), intent, risk)
    record["signals"] = [s.to_dict() for s in signals]
    if intent in MODEL_QUESTION_INTENTS or asks_which_block(text):
        record["asked_bouwstenen"] = asked_blocks(text, signals)
    if risk or intent not in DESCRIBING_INTENTS:
        return record  # a crisis is never triaged; other intents claim no block
    assessment: Assessment = assess(signals)
    record["bouwstenen"] = [
        {"bouwsteen": b.bouwsteen, "naam": b.naam, "score": b.score} for b in assessment.ranked
    ]
    record["confidence"] = assessment.confidence
    record["start_bouwsteen"] = assessment.start_block
    return record


def summary(messages: Sequence[str], intents: Sequence[Optional[str]],
            readings: Optional[Sequence[Optional[Dict]]] = None) -> replies.Reply:
    """The parent's summary of the conversation: the same engine and facts as the staff card.
    ``readings``: per message what the NLU pipeline read, when known (``bouwstenen.reading``)."""
    from bouwstenen.card import build_card

    return replies.summary(build_card(list(messages), list(intents), readings=readings))
