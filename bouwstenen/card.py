"""The triage card: one engine behind the staff page, the chat summary and the CLI.

A card is built from what a parent wrote: one pasted description, or the parent's messages of
one conversation. It holds everything a helpline worker needs to read at a glance: risk first,
the signals with the parent's own words (and their character offsets, for highlighting), what
was set aside, the building blocks ranked with what the model says about them and the
follow-up questions that tell them apart. It supports the worker's judgement and never
replaces it.

Weighting follows the chat exactly: the signals of the last counted message with present
signals weigh 1, the signals heard in earlier messages weigh half
(``bouwstenen.scoring.assess``). A message counts as a description when its intent is one the
chat describes under (``bouwstenen.dialogue.DESCRIBING_INTENTS``) or when no intent is known
(a pasted text). A crisis in any message means: not triaged, no block, refer to urgent help.

Every model fact on the card comes from knowledge/.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from bouwstenen import knowledge as kb
from bouwstenen.reading import read_all, signals_of
from bouwstenen.recognition import DENIED, OTHER_PERSON, PAST, PRESENT, SIMILARITY, SignalMatch
from bouwstenen.scoring import EARLIER_TURN_WEIGHT, MAIN_WEIGHT, assess
from bouwstenen.text import MAX_CHARS

CARD_VERSION = 1

# Not a status of the recogniser: behaviour named in a message that was no description (a
# question about the model, "wat is hoofdbonken?"). The chat does not count it either.
NOT_DESCRIBED = "not_described"

STATUS_WORDS = {
    PRESENT: "telt mee",
    DENIED: "ontkend",
    PAST: "voorbij",
    OTHER_PERSON: "over iemand anders",
    NOT_DESCRIBED: "geen beschrijving (vraag of ander onderwerp)",
}

NOTE = ("Deze kaart ondersteunt je eigen oordeel en vervangt het niet. Het is informatie uit het "
        "Bouwstenenmodel, geen diagnose: vraag door en beslis zelf.")
NOT_TRIAGED = "Niet getrieerd: verwijs naar dringende hulp."
NOTHING_CLAIMED = ("Geen bouwsteen: er is geen gedrag herkend dat meetelt (niets herkend, ontkend, "
                   "voorbij, over iemand anders, of geen beschrijving).")
CONFIDENCE_WORDS = {"hoog": "hoog", "middel": "middel", "laag": "laag"}


def _describing_intents() -> set:
    from bouwstenen.dialogue import DESCRIBING_INTENTS  # same set as the chat

    return set(DESCRIBING_INTENTS)


# --- building the card --------------------------------------------------------------------

def _signal_entry(s: SignalMatch, message: int, status: str) -> Dict:
    entry = {"id": s.signal_id, "label": s.label, "bouwstenen": list(s.bouwstenen),
             "match": s.match, "status": status, "status_tekst": STATUS_WORDS[status],
             "message": message}
    if s.guessed:  # no words of its own: what it is like instead
        entry.update(via=s.via, similar_to=s.similar_to)
    if s.main:
        entry["main"] = True
    return entry


def _words_as_text(s: Dict) -> str:
    if s.get("via") == SIMILARITY:
        return f"lijkt op \u201c{s['similar_to']}\u201d (gelijkenis, geen letterlijke woorden)"
    return f"\u201c{s['match']}\u201d"


def _contact(c: kb.Contact) -> Dict:
    return {"name": c.name, "phone": c.phone, "email": c.email, "url": c.url, "when": c.when}


def _what_the_model_says(block: kb.Bouwsteen) -> Dict:
    return {
        "short": block.short,
        "problem_pole": {"name": block.problem_pole.name, "summary": block.problem_pole.summary},
        "healthy_pole": {"name": block.healthy_pole.name, "summary": block.healthy_pole.summary},
        "child_behaviour": block.child_behaviour,
        "parent_behaviour": block.parent_behaviour,
        "interaction": block.interaction,
    }


def _neighbours(number: int, k: kb.Knowledge) -> List[int]:
    return [n for n in (number - 1, number + 1) if n in k.bouwstenen]


def build_card(messages: Sequence[str], intents: Optional[Sequence[Optional[str]]] = None,
               knowledge: Optional[kb.Knowledge] = None,
               readings: Optional[Sequence[Optional[Dict]]] = None) -> Dict:
    """The card for one or more messages of a parent, oldest first (fields: module docstring
    and docs/staff.md). ``intents``: the classifier's intent per message, when known;
    ``readings``: per message what the NLU pipeline already read (``bouwstenen.reading``), when
    known (the messages without one are read here)."""
    k = knowledge or kb.load()
    texts = [m if isinstance(m, str) else "" for m in messages]
    intents = list(intents) if intents is not None else [None] * len(texts)
    if len(intents) != len(texts):
        raise ValueError("intents must have one entry per message")
    describing = _describing_intents()

    card_messages: List[Dict] = []
    per_message: List[Tuple[bool, List[SignalMatch]]] = []
    risks: List[Dict] = []
    for index, (text, intent, reading) in enumerate(zip(texts, intents, read_all(texts, readings, intents))):
        risk = reading["risk"]
        signals = signals_of(reading)
        counted = intent is None or intent in describing
        per_message.append((counted, signals))
        if risk:
            category = k.risk_categories.get(risk)
            risks.append({"category": risk, "label": category.label if category else risk,
                          "message": index})
        highlights = []
        if risk:
            label = k.risk_categories[risk].label if risk in k.risk_categories else risk
            highlights += [{"start": a, "end": b, "signal_id": None, "risk": risk, "label": label,
                            "status": "risk", "words": [{"start": a, "end": b}]}
                           for a, b in reading["risk_spans"]]
        for s, found in zip(signals, reading["signals"]):
            status = s.status if counted else NOT_DESCRIBED
            highlights.append({"start": found["start"], "end": found["end"], "signal_id": s.signal_id,
                               "risk": None, "label": s.label, "status": status,
                               "words": [{"start": a, "end": b} for a, b in found["words"]]})
        card_messages.append({"index": index, "text": text, "intent": intent, "counted": counted,
                              "risk": risk, "truncated": len(text) > MAX_CHARS,
                              "highlights": highlights})

    # The chat's state: the last counted message with present signals is "now"; what was
    # heard before it weighs half. A later mention replaces an earlier one (as in the chat).
    current_index = None
    for index, (counted, signals) in enumerate(per_message):
        if counted and any(s.present for s in signals):
            current_index = index
    heard: Dict[str, Dict] = {}
    set_aside: List[Dict] = []
    for index, (counted, signals) in enumerate(per_message):
        for s in signals:
            if counted and s.present:
                heard.pop(s.signal_id, None)  # the latest mention, at the end (as the chat)
                heard[s.signal_id] = _signal_entry(s, index, PRESENT)
            else:
                set_aside.append(_signal_entry(s, index, s.status if counted else NOT_DESCRIBED))

    current_signals = per_message[current_index][1] if current_index is not None else []
    current_ids = {s.signal_id for s in current_signals if s.present}
    earlier_ids = [sid for sid, entry in heard.items() if sid not in current_ids]
    for sid, entry in heard.items():
        entry["weight"] = ((MAIN_WEIGHT if entry.get("main") else 1.0) if sid in current_ids
                           else EARLIER_TURN_WEIGHT)
    signals_out = list(heard.values())  # earlier ones first, then those of the current message

    risk = risks[0]["category"] if risks else None
    card: Dict = {
        "version": CARD_VERSION,
        "risk": risk,
        "risk_label": risks[0]["label"] if risks else None,
        "risks": risks,
        "risk_contacts": [_contact(c) for c in k.urgent_help] if risk else [],
        "triaged": risk is None,
        "messages": card_messages,
        "signals": signals_out,
        "set_aside": set_aside,
        "bouwstenen": [],
        "likely_bouwsteen": None,
        "start_bouwsteen": None,
        "confidence": None,
        "pyramid_note": None,
        "note": NOTE,
        "status": None,
        "human_contact": _contact(k.organisation.human_contact),
        "credit": k.model.credit,
    }
    if risk:
        card["status"] = NOT_TRIAGED
        return card
    if not signals_out:
        card["status"] = NOTHING_CLAIMED
        return card

    assessment = assess(current_signals, earlier_ids, knowledge=k)
    blocks = []
    for b in assessment.ranked:
        block = k.block(b.bouwsteen)
        blocks.append({
            "bouwsteen": b.bouwsteen,
            "naam": b.naam,
            "titel": block.title,
            "score": b.score,
            "signals": [s["id"] for s in signals_out if b.bouwsteen in s["bouwstenen"]],
            "what_the_model_says": _what_the_model_says(block),
            "follow_up_questions": list(block.follow_up_questions),
            "neighbours": _neighbours(b.bouwsteen, k),
        })
    card["bouwstenen"] = blocks
    card["likely_bouwsteen"] = assessment.likely.bouwsteen if assessment.likely else None
    card["start_bouwsteen"] = assessment.start_block
    card["confidence"] = assessment.confidence
    card["pyramid_note"] = f"{k.model.pyramid} Hier is dat bouwsteen {assessment.start_block}."
    tied = sorted(b.bouwsteen for b in assessment.ranked if b.score == assessment.ranked[0].score)
    if len(tied) > 1:
        card["status"] = ("Gelijke score voor " + _join([f"bouwsteen {n}" for n in tied]) +
                          ": de vervolgvragen helpen kiezen.")
    return card


# --- the card as text, for a case file ----------------------------------------------------

def _join(words: List[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _contact_line(c: Dict) -> str:
    ways = [w for w in (c.get("phone"), c.get("email"), c.get("url")) if w]
    return f"{c['name']}: {', '.join(ways)} ({c['when']})"


def card_as_text(card: Dict) -> str:
    """The card in plain Dutch text, for a case file."""
    lines: List[str] = ["TRIAGEKAART BOUWSTENEN-ASSISTENT", card["note"], ""]
    if card["risk"]:
        where = _join([f"bericht {r['message'] + 1}" for r in card["risks"]])
        labels = _join(list(dict.fromkeys(r["label"] for r in card["risks"])))
        lines += [f"RISICO: {labels} ({where}).", NOT_TRIAGED, "Dringende hulp:"]
        lines += [f"- {_contact_line(c)}" for c in card["risk_contacts"]]
        lines.append("")
    else:
        lines += ["Risico: geen risicosignalen gevonden in de tekst (blijf zelf alert).", ""]

    messages = card["messages"]
    lines.append("Wat de ouder schreef:" if len(messages) == 1 else
                 f"Wat de ouder schreef ({len(messages)} berichten, oudste eerst):")
    for m in messages:
        extra = "" if m["counted"] else " [geen beschrijving, telt niet mee]"
        lines.append(f"{m['index'] + 1}. \u201c{m['text']}\u201d{extra}")
    lines.append("")

    several = len(messages) > 1
    if card["signals"]:
        lines.append("Herkende signalen (ter informatie, niet getrieerd):" if card["risk"] else
                     "Herkende signalen (tellen mee):")
        for s in card["signals"]:
            where = f"bericht {s['message'] + 1}, " if several else ""
            weight = ("niet getrieerd" if card["risk"] else
                      "telt half" if s.get("weight") == EARLIER_TURN_WEIGHT else
                      "telt dubbel, hier gaat het bericht vooral over" if s.get("weight") == MAIN_WEIGHT
                      else "telt volledig")
            lines.append(f"- {s['label']}: {_words_as_text(s)} ({where}bouwsteen "
                         f"{_join([str(b) for b in s['bouwstenen']])}; {weight})")
    else:
        lines.append("Herkende signalen: geen die meetellen.")
    if card["set_aside"]:
        lines.append("Niet meegeteld:")
        for s in card["set_aside"]:
            where = f"bericht {s['message'] + 1}, " if several else ""
            lines.append(f"- {s['label']}: {_words_as_text(s)} ({where}{s['status_tekst']})")
    lines.append("")

    if card["risk"]:
        lines.append("Bouwstenen: niet getrieerd vanwege het risico.")
    elif not card["bouwstenen"]:
        lines.append(card["status"] or NOTHING_CLAIMED)
    else:
        lines.append("Bouwstenen (best passend eerst):")
        for b in card["bouwstenen"]:
            lines.append(f"- {b['titel']} \u2013 score {_score(b['score'])}")
        lines.append(f"Zekerheid: {card['confidence']}. Begin bij bouwsteen "
                     f"{card['start_bouwsteen']} (de laagste in beeld).")
        lines.append(card["pyramid_note"])
        if card["status"]:
            lines.append(card["status"])
        for b in card["bouwstenen"]:
            says = b["what_the_model_says"]
            lines += ["", f"{b['titel']}", f"Wat het model zegt: {says['short']}",
                      f"Als er een gat is ({says['problem_pole']['name']}): {says['problem_pole']['summary']}",
                      f"Gedrag van het kind: {says['child_behaviour']}"]
            neighbours = _join([f"bouwsteen {n}" for n in b["neighbours"]])
            lines.append(f"Vervolgvragen (onderscheid met {neighbours}):")
            lines += [f"- {q}" for q in b["follow_up_questions"]]
    lines += ["", card["credit"]]
    return "\n".join(lines) + "\n"


def summary_facts(card: Dict) -> Dict:
    """The facts the chat's summary states, from the card: the signals heard (label and the
    parent's words), the blocks best first and the block where support starts."""
    return {
        "signals": [(s["label"], s["match"]) for s in card["signals"]],
        "blocks": [b["bouwsteen"] for b in card["bouwstenen"]],
        "start_bouwsteen": card["start_bouwsteen"],
    }
