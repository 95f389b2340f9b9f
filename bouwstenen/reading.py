"""What one message says, read once: the risk in it with the words that raised it, and the
behaviour signals with their status and their place in the text (character offsets).

The Rasa server reads every message in its NLU pipeline (``rasa_components.SignalReader``) and
the reading travels with the message in its parse data (``signals``, ``risk``, ``risk_spans``).
So the action server uses what the server already read, and needs neither spaCy nor the compiled
lexicon in memory; the staff card and the chat summary use the same readings.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from bouwstenen.recognition import SignalMatch, default_recogniser, find_phrase
from bouwstenen.safety import default_detector, detect_risk
from bouwstenen.similarity import with_similarity
from bouwstenen.text import analyse

Span = Tuple[int, int]
NOT_CHECKED = object()  # read() checks the risk itself unless told what it is


def read(text: str, risk=NOT_CHECKED, intent: Optional[str] = None) -> Dict:
    """The reading of ``text``: ``{"risk", "risk_spans", "signals"}``; each signal is
    ``SignalMatch.to_dict()`` plus ``clause``, ``start``, ``end`` and ``words`` (offsets; empty
    for a similarity guess, which has no words of its own). ``intent``: the classifier's, when
    known; a description the lexicon finds nothing in may then get a guess (bouwstenen.similarity)."""
    text = text if isinstance(text, str) else ""
    if not text.strip():
        return {"risk": None, "risk_spans": [], "signals": []}
    if risk is NOT_CHECKED:
        risk = detect_risk(text)
    signals = []
    for match in with_similarity(text, default_recogniser().recognise(text), intent, risk):
        start, end, words = locate(text, match) if not match.guessed else (0, 0, [])
        signals.append({**match.to_dict(), "clause": match.clause, "start": start, "end": end,
                        "words": [list(w) for w in words]})
    return {"risk": risk, "risk_spans": [list(s) for s in locate_risk(text, risk)] if risk else [],
            "signals": signals}


def signals_of(reading: Dict) -> List[SignalMatch]:
    return [SignalMatch.from_dict(s, s.get("clause", 0)) for s in reading["signals"]]


def from_parse_data(parse_data: Dict) -> Optional[Dict]:
    """The reading the NLU pipeline stored with a message; an empty one for a button payload
    ("/ask_advice", which skips the pipeline and describes nothing); None when there is none."""
    if isinstance(parse_data.get("signals"), list):
        return {"risk": parse_data.get("risk"), "risk_spans": parse_data.get("risk_spans") or [],
                "signals": parse_data["signals"]}
    if (parse_data.get("text") or "").startswith("/"):
        return {"risk": None, "risk_spans": [], "signals": []}
    return None


def locate(text: str, match: SignalMatch) -> Tuple[int, int, List[Span]]:
    """Character offsets in ``text`` of a recognised signal: (start, end, words).

    ``start``/``end`` span the parent's words from the first to the last matched word (the
    ``match`` text); ``words`` are the matched words themselves. The recogniser keeps the
    clause; the phrase that matched is found again there in the same order it tried them.
    """
    analysis = analyse(text)
    if 0 <= match.clause < len(analysis.clauses):
        tokens = analysis.clauses[match.clause]
        for phrase in default_recogniser().signal_phrases.get(match.signal_id, []):
            indexes = find_phrase(phrase, tokens)
            if indexes is None:
                continue
            words = [(analysis.origin[tokens[i].start], analysis.origin[tokens[i].end - 1] + 1)
                     for i in indexes]
            start, end = words[0][0], words[-1][1]
            if text[start:end] == match.match:
                return start, end, words
            break
    # Should not happen; still never point at the wrong words.
    start = text.find(match.match)
    if start < 0:
        return 0, 0, []
    return start, start + len(match.match), [(start, start + len(match.match))]


def locate_risk(text: str, category: str) -> List[Span]:
    """Character offsets in ``text`` of the words that raised the risk (first phrase of the
    category that matches, per clause)."""
    analysis = analyse(text)
    spans = []
    for tokens in analysis.clauses:
        for phrase in default_detector().phrases.get(category, []):
            indexes = find_phrase(phrase, tokens)
            if indexes is not None:
                spans.append((analysis.origin[tokens[indexes[0]].start],
                              analysis.origin[tokens[indexes[-1]].end - 1] + 1))
                break
    return spans


def read_all(texts: Sequence[str], readings: Optional[Sequence[Optional[Dict]]] = None,
             intents: Optional[Sequence[Optional[str]]] = None) -> List[Dict]:
    """A reading per text: the given one where there is one, else read now (with its intent)."""
    readings = list(readings) if readings is not None else [None] * len(texts)
    intents = list(intents) if intents is not None else [None] * len(texts)
    if len(readings) != len(texts):
        raise ValueError("readings must have one entry per message")
    return [r if r is not None else read(t, intent=i) for t, r, i in zip(texts, readings, intents)]
