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

from bouwstenen import knowledge as kb
from bouwstenen import nlp, reading, similarity
from bouwstenen.recognition import default_recogniser
from bouwstenen.safety import default_detector

CRISIS_INTENT = "crisis"
# Intents a message that describes a behaviour was taken for when the classifier missed it:
# small talk and off-topic. Not questions or requests (ask_*, summary, clarify), which may name a
# behaviour, not frustration with the assistant, and never crisis.
MISTAKABLE_INTENTS = {"out_of_scope", "greet", "goodbye", "thank", "affirm", "restart", "bot_challenge"}


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
class DescriptionOverride(_UsesRasasSpacy):
    """Makes a message in which the lexicon reads a present behaviour a description, when the
    classifier took it for small talk or off-topic ("ons meisje kruipt weg in haar hoekje en laat
    niemand toe" as out_of_scope): ``describe_parent_feeling`` when every such behaviour is the
    parent's own, else ``describe_behaviour``. Comes before SafetyOverride, which has the last word.
    """

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        self.share(model)
        signals = kb.load().signals
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in MISTAKABLE_INTENTS:
                continue
            present = [m for m in default_recogniser().recognise(message.get(TEXT) or "") if m.present]
            if not present:
                continue
            side_parent = all(signals[m.signal_id].side == "parent" for m in present)
            name = "describe_parent_feeling" if side_parent else "describe_behaviour"
            described = {"name": name, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            message.set(INTENT, described, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [described] + ranking, add_to_output=True)
        return messages


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
    Comes after SafetyOverride, whose ``risk`` it uses, and after the classifiers, whose intent
    decides whether a description the lexicon finds nothing in gets a similarity guess. Changes no
    intent.
    """

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SignalReader":
        similarity.default_fallback()  # trained when the model loads, not on a parent's message
        return cls()

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        self.share(model)
        for message in messages:
            found = reading.read(message.get(TEXT) or "", risk=message.get("risk"),
                                 intent=(message.get(INTENT) or {}).get("name"))
            message.set("signals", found["signals"], add_to_output=True)
            message.set("risk_spans", found["risk_spans"], add_to_output=True)
        return messages
