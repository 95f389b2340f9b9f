"""A second way to recognise a behaviour: for a description the phrase lexicon finds nothing in.

The phrase lexicon is precise but only knows the phrasings written into it; a parent who puts it
differently gets nothing. This fallback is a linear classifier (scikit-learn's LinearSVC) over
character and word n-grams, trained on what the knowledge already holds: the lexicon's example
sentences and the labelled parent messages of ``knowledge/descriptions.yml`` for the signals, and
as a class of its own what describes nothing (the messages labelled so there, and the NLU training
examples of every intent that is not a description or a crisis). It trains in about two seconds,
once per process (when the Rasa server loads its model).

Two uses. (1) A guess where the lexicon found no behaviour at all (not even a denied one), the
message is no risk, and the intent classifier took it for a description; and only when the guess
is not "nothing" and scores at least ``MIN_SCORE``. A guess is an ordinary present signal marked
``via="similarity"``, with the training sentence it is most like (``similar_to``) so a reader can
see why; the assessment then never has more than low confidence. (2) Where the lexicon found
several present behaviours, the one the message is mostly about (``main``), which then counts
double in the scoring: the labelled messages name their main behaviour first, and the classifier
learned to tell it from the ones that come with it.
"""
from __future__ import annotations

import ctypes
import dataclasses
import functools
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from bouwstenen import knowledge as kb
from bouwstenen.paths import KNOWLEDGE_DIR, PROJECT_ROOT
from bouwstenen.recognition import PRESENT, SIMILARITY, SignalMatch
from bouwstenen.text import MAX_CHARS, normalise

# The decision score a guess needs: the more careful of the two values tried (-0.6 and -0.4,
# compared on the fresh sets); the held-out set shows what it does (docs/recognition.md).
MIN_SCORE = -0.4
# Intents under which a guess may be made: the classifier's own descriptions (not its fallback,
# nor a question, nor small talk).
GUESSING_INTENTS = {"describe_behaviour", "describe_parent_feeling"}
NOTHING = "__nothing__"
_DESCRIBING_KINDS = {"behaviour", "parent", "interaction"}
# Intents whose NLU examples may describe a behaviour, so they are not examples of "nothing".
_MAY_DESCRIBE_INTENTS = {"describe_behaviour", "describe_parent_feeling", "crisis", "clarify"}


def training_data(knowledge: kb.Knowledge, descriptions: Path, nlu_dir: Path) -> List[Tuple[str, str]]:
    """(text, signal id or NOTHING) pairs from the knowledge and the NLU training data."""
    pairs = [(example, signal.id) for signal in knowledge.signals.values() for example in signal.examples]
    for message in yaml.safe_load(descriptions.read_text(encoding="utf-8"))["messages"]:
        if message["kind"] in _DESCRIBING_KINDS:
            pairs.append((message["text"], message["expect"][0]))
        else:
            pairs.append((message["text"], NOTHING))
    for path in sorted(nlu_dir.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item and item["intent"] not in _MAY_DESCRIBE_INTENTS:
                pairs += [(line.strip()[2:], NOTHING) for line in item["examples"].splitlines()
                          if line.strip().startswith("- ")]
    return pairs


class SimilarityFallback:
    def __init__(self, knowledge: kb.Knowledge, pairs: Sequence[Tuple[str, str]]):
        # Imported here: the action server imports this module but never trains or guesses.
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_union
        from sklearn.svm import LinearSVC

        self.knowledge = knowledge
        self.texts = [text for text, _ in pairs]
        labels = [label for _, label in pairs]
        # Looked up per message, so worked out once: each label's training rows, each class's column.
        self._rows: Dict[str, List[int]] = {}
        for i, label in enumerate(labels):
            self._rows.setdefault(label, []).append(i)
        self.vectoriser = make_union(
            # character n-grams within words: typos, inflections, compounds, Flemish spellings
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        self.vectors = self.vectoriser.fit_transform([normalise(t) for t in self.texts])
        self.classifier = LinearSVC(C=1.0, random_state=0).fit(self.vectors, labels)
        self._column = {label: i for i, label in enumerate(self.classifier.classes_)}
        # Memory (the Rasa server keeps this): the n-grams cut by min_df are only kept for
        # inspection, and single precision is plenty for scores and similarities.
        for _, vectoriser in self.vectoriser.transformer_list:
            del vectoriser.stop_words_
        self.vectors = self.vectors.astype(np.float32)
        self.classifier.coef_ = self.classifier.coef_.astype(np.float32)

    def guess(self, text: str) -> Optional[SignalMatch]:
        """The signal the message most likely describes, or None when the best guess is nothing
        or too unsure."""
        vector, scores = self._scores(text)
        best = int(scores.argmax())
        label = self.classifier.classes_[best]
        if label == NOTHING or scores[best] < MIN_SCORE:
            return None
        signal = self.knowledge.signals[label]
        return SignalMatch(signal.id, signal.label, tuple(signal.bouwstenen), "", PRESENT, 0,
                           via=SIMILARITY, similar_to=self._most_similar(vector, label))

    def main_signal(self, text: str, signal_ids) -> str:
        """Of several behaviours found in a message, the one it is mostly about: the one the
        classifier scores highest. It learned that from messages labelled main one first, so in
        "ze zit tot diep in de nacht te gamen en kan niet stoppen, het is een verslaving" the
        addiction, not the losing control that comes with it."""
        _, scores = self._scores(text)
        return max(sorted(signal_ids), key=lambda signal_id: scores[self._column[signal_id]])

    def _scores(self, text: str):
        """The message's vector and its decision score per class."""
        vector = self.vectoriser.transform([normalise(text[:MAX_CHARS])])
        return vector, self.classifier.decision_function(vector)[0]

    def _most_similar(self, vector, label: str) -> str:
        """The training sentence of that signal closest to the message (cosine: the rows are
        L2-normalised per vectoriser)."""
        rows = self._rows[label]
        similarity = (self.vectors[rows] @ vector.T).toarray().ravel()
        return self.texts[rows[int(similarity.argmax())]]


def with_similarity(text: str, signals: List[SignalMatch], intent: Optional[str],
                    risk: Optional[str]) -> List[SignalMatch]:
    """``signals`` as the lexicon found them, completed by the classifier: a guess when the
    lexicon found nothing in a description; the main one marked when it found several present
    behaviours (``main_signal``)."""
    if not signals:
        if risk or intent not in GUESSING_INTENTS or not (text or "").strip():
            return signals
        found = default_fallback().guess(text)
        return [found] if found else []
    present = {s.signal_id for s in signals if s.present}
    if len(present) < 2:
        return signals
    main = default_fallback().main_signal(text, present)
    return [dataclasses.replace(s, main=True) if s.present and s.signal_id == main else s for s in signals]


@functools.lru_cache(maxsize=None)
def default_fallback() -> SimilarityFallback:
    knowledge = kb.load()
    fallback = SimilarityFallback(knowledge, training_data(
        knowledge, KNOWLEDGE_DIR / "descriptions.yml", PROJECT_ROOT / "data" / "nlu"))
    _return_freed_memory()
    return fallback


def _return_freed_memory() -> None:
    """Training briefly needs about 12 MB more than the fitted model keeps; glibc holds on to
    such freed memory unless asked, and the Rasa server keeps running for weeks."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
