"""Which building block(s) a description fits, and how sure that is.

Every present signal gives one point, shared equally among the blocks the source lists it under;
of several, the one the message is mostly about gives two (``SignalMatch.main``); signals heard
in earlier turns count half. A block's score is its share of all points, so the
scores of a description add up to 1. The likely block is the best-scoring one. On a tie, when the
parent tells how it is for them, it is the block of the parent's own feeling, else the lower one;
when only the child's behaviour is told, it is the higher block: the lower block's signs (unrest,
sleep, tension) then mostly accompany a more specific behaviour. (Both measured on the development
sets.) Because gaps in a lower block play through into the higher ones, support starts at the
lowest block in play.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from bouwstenen import knowledge as kb
from bouwstenen.recognition import SignalMatch

EARLIER_TURN_WEIGHT = 0.5
MAIN_WEIGHT = 2.0  # of several behaviours, the one the message is mostly about (similarity.py)
HIGH, MEDIUM, LOW = "hoog", "middel", "laag"


@dataclass(frozen=True)
class BlockScore:
    bouwsteen: int
    naam: str
    score: float


@dataclass(frozen=True)
class Assessment:
    signals: List[SignalMatch]            # everything recognised in this message, any status
    ranked: List[BlockScore]              # best first; empty when nothing may be claimed
    confidence: Optional[str]             # hoog | middel | laag, None when nothing is claimed

    @property
    def present(self) -> List[SignalMatch]:
        return [s for s in self.signals if s.present]

    @property
    def not_present(self) -> List[SignalMatch]:
        return [s for s in self.signals if not s.present]

    @property
    def likely(self) -> Optional[BlockScore]:
        return self.ranked[0] if self.ranked else None

    @property
    def start_block(self) -> Optional[int]:
        """Where support starts: the lowest block in play."""
        return min(b.bouwsteen for b in self.ranked) if self.ranked else None

    @property
    def blocks(self) -> List[int]:
        return [b.bouwsteen for b in self.ranked]


def assess(
    signals: Sequence[SignalMatch],
    earlier_signal_ids: Iterable[str] = (),
    knowledge: Optional[kb.Knowledge] = None,
) -> Assessment:
    knowledge = knowledge or kb.load()
    points = {n: 0.0 for n in knowledge.bouwstenen}
    current = {s.signal_id for s in signals if s.present}
    main = {s.signal_id for s in signals if s.present and s.main}
    weighted = [(sid, MAIN_WEIGHT if sid in main else 1.0) for sid in current] + [
        (sid, EARLIER_TURN_WEIGHT) for sid in dict.fromkeys(earlier_signal_ids) if sid not in current
    ]
    parent_points = {n: 0.0 for n in knowledge.bouwstenen}  # of the parent's own feelings, this turn
    for signal_id, weight in weighted:
        signal = knowledge.signals[signal_id]
        for block in signal.bouwstenen:
            points[block] += weight / len(signal.bouwstenen)
            if signal.side == "parent" and signal_id in current:
                parent_points[block] += weight / len(signal.bouwstenen)
    total = sum(points.values())
    parent_speaks = any(parent_points.values())

    def tie_order(block: int) -> tuple:
        # A parent who says how it is for them: their own feeling's block, then the lower one.
        # Only the child's behaviour: the higher block (see the module's docstring).
        return (-parent_points[block], block) if parent_speaks else (-block,)

    ranked = sorted(
        (BlockScore(n, knowledge.block(n).name, round(p / total, 3)) for n, p in points.items() if p > 0),
        key=lambda b: (-b.score, *tie_order(b.bouwsteen)),
    ) if total else []
    # A similarity guess alone is never more than a low-confidence reading.
    guessed_only = bool(current) and all(s.guessed for s in signals if s.present)
    return Assessment(list(signals), ranked, LOW if ranked and guessed_only else _confidence(ranked, len(current)))


def _confidence(ranked: List[BlockScore], present_count: int) -> Optional[str]:
    if not ranked:
        return None
    margin = ranked[0].score - (ranked[1].score if len(ranked) > 1 else 0.0)
    if margin < 0.15 or present_count == 0:
        return LOW
    if present_count >= 2 and ranked[0].score >= 0.6:
        return HIGH
    return MEDIUM
