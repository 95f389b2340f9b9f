"""Rasa NLU components of the assistant (imported by Rasa only, through config.yml)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bouwstenen import nlp, reading
from bouwstenen.safety import default_detector

CRISIS_INTENT = "crisis"


class _UsesRasasSpacy(GraphComponent):
    """A component without training that analyses text with the spaCy pipeline SpacyNLP loaded:
    the domain code shares that one rather than load a second copy into the server."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "_UsesRasasSpacy":
        return cls()

    @staticmethod
    def share(model: SpacyModel) -> None:
        nlp.share_pipeline(model.model_name, model.model)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False,
                          model_from="SpacyNLP")
class SafetyOverride(_UsesRasasSpacy):
    """Makes every message about danger the ``crisis`` intent, whatever the classifier ranked.

    The crisis reply is then forced by a rule and is a domain response, so it works without the
    action server. The risk category is added to the parse data as ``risk``.
    """

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        self.share(model)
        detector = default_detector()
        for message in messages:
            risk = detector.detect(message.get(TEXT) or "")
            if risk is None:
                continue
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis] + ranking, add_to_output=True)
            message.set("risk", risk, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False,
                          model_from="SpacyNLP")
class SignalReader(_UsesRasasSpacy):
    """Reads every message once, in the Rasa server: the behaviour signals it describes, with
    their status and character offsets, and the words of any risk (``bouwstenen.reading``).

    Adds ``signals`` and ``risk_spans`` to the parse data, where the custom actions, the chat
    summary and the staff card find them; so the action server needs no spaCy and no lexicon.
    Comes after SafetyOverride, whose ``risk`` it uses. Changes no intent.
    """

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        self.share(model)
        for message in messages:
            found = reading.read(message.get(TEXT) or "", risk=message.get("risk"))
            message.set("signals", found["signals"], add_to_output=True)
            message.set("risk_spans", found["risk_spans"], add_to_output=True)
        return messages
