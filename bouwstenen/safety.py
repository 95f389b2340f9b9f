"""Crisis and safeguarding detection. A hit is never triaged: the urgent-help reply comes first.

Deliberately simple and independent of any classifier: phrases from knowledge/safety.yml on
words and lemmas, with no negation handling (when in doubt, the contacts are shown).
"""
from __future__ import annotations

import functools
from typing import Dict, List, Optional

from bouwstenen import knowledge as kb
from bouwstenen.recognition import Phrase, compile_phrase, find_phrase
from bouwstenen.text import analyse


class SafetyDetector:
    def __init__(self, knowledge: kb.Knowledge):
        self.phrases: Dict[str, List[Phrase]] = {
            c.id: [compile_phrase(p) for p in c.phrases] for c in knowledge.risk_categories.values()
        }

    def detect(self, text: str) -> Optional[str]:
        """The first risk category the message falls in, or None."""
        clauses = analyse(text).clauses
        for category, phrases in self.phrases.items():
            for phrase in phrases:
                if any(find_phrase(phrase, tokens) is not None for tokens in clauses):
                    return category
        return None


@functools.lru_cache(maxsize=None)
def default_detector() -> SafetyDetector:
    return SafetyDetector(kb.load())


def detect_risk(text: str) -> Optional[str]:
    return default_detector().detect(text)
