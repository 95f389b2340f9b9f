"""Reading a message once in the Rasa server's NLU pipeline, and using that reading later."""
import json
import subprocess
import sys

from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from bouwstenen import nlp
from bouwstenen.reading import from_parse_data, read
from bouwstenen.rasa_components import DescriptionOverride, SafetyOverride, SignalReader
from tests.conftest import PROJECT_ROOT

DESCRIPTION = "Ze bonkt 's avonds met haar hoofd, maar slaan doet ze niet"


def test_a_reading_holds_the_signals_with_their_status_and_the_parents_words():
    reading = read(DESCRIPTION)
    assert reading["risk"] is None and reading["risk_spans"] == []
    by_id = {s["id"]: s for s in reading["signals"]}
    assert by_id["head_banging"]["status"] == "present"
    assert any(s["status"] == "denied" for s in reading["signals"])
    for s in reading["signals"]:
        assert DESCRIPTION[s["start"]:s["end"]] == s["match"]
        assert all(s["start"] <= a < b <= s["end"] for a, b in s["words"])
    assert json.loads(json.dumps(reading)) == reading  # travels as JSON in the parse data


def test_a_risk_is_read_with_its_words():
    text = "Hij zegt dat hij dood wil en bonkt met zijn hoofd"
    reading = read(text)
    assert reading["risk"] is not None and reading["risk_spans"]
    assert all(0 <= a < b <= len(text) for a, b in reading["risk_spans"])


def test_the_signal_reader_adds_the_reading_and_keeps_the_intent():
    model = SpacyModel(model=nlp.load_pipeline(), model_name=nlp.configured_model_name())
    message = Message(data={"text": DESCRIPTION})
    message.set("intent", {"name": "describe_behaviour", "confidence": 0.9}, add_to_output=True)
    crisis = Message(data={"text": "ik ben bang dat hij zichzelf iets aandoet"})
    crisis.set("intent", {"name": "describe_behaviour", "confidence": 0.9}, add_to_output=True)
    messages = SafetyOverride().process([message, crisis], model)
    SignalReader().process(messages, model)
    parse_data = message.as_dict(only_output_properties=True)
    assert parse_data["intent"]["name"] == "describe_behaviour"
    assert from_parse_data(parse_data) == read(DESCRIPTION)
    crisis_data = crisis.as_dict(only_output_properties=True)
    assert crisis_data["intent"]["name"] == "crisis"
    assert crisis_data["risk_spans"] == read(crisis.get("text"))["risk_spans"] != []


def _classified(text, intent):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.6}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.6}], add_to_output=True)
    return message


def test_a_description_taken_for_small_talk_becomes_a_description():
    model = SpacyModel(model=nlp.load_pipeline(), model_name=nlp.configured_model_name())
    cases = [
        (_classified("ons meisje kruipt weg in haar hoekje en laat niemand toe", "out_of_scope"), "describe_behaviour"),
        (_classified("ja, en ik voel me zo afgewezen door haar", "affirm"), "describe_parent_feeling"),
        (_classified("doei, fijne avond", "goodbye"), "goodbye"),                       # no behaviour
        (_classified("nee hoor, slaan doet ze niet", "out_of_scope"), "out_of_scope"),  # denied
        (_classified("wat kan ik doen als hij bonkt met zijn hoofd?", "ask_advice"), "ask_advice"),
    ]
    DescriptionOverride().process([m for m, _ in cases], model)
    for message, expected in cases:
        data = message.as_dict(only_output_properties=True)
        assert data["intent"]["name"] == expected, message.get("text")
        assert data["intent_ranking"][0]["name"] == expected


def test_a_button_payload_has_an_empty_reading_and_an_old_message_none():
    assert from_parse_data({"text": "/ask_advice", "intent": {"name": "ask_advice"}})["signals"] == []
    assert from_parse_data({"text": "hij bonkt", "intent": {"name": "describe_behaviour"}}) is None


def test_the_action_server_answers_from_the_reading_without_spacy_or_the_lexicon():
    """The action server process stays small: with the reading in the parse data it never loads
    spaCy (and its ~90 MB lemma table) nor compiles the lexicon."""
    latest = {"text": DESCRIPTION, "intent": {"name": "describe_behaviour", "confidence": 1.0},
              **read(DESCRIPTION)}
    code = f"""
import json, sys
from bouwstenen import action_server
action_server.keep_tensorflow_out()
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions import actions
from bouwstenen import recognition
latest = json.loads({json.dumps(json.dumps(latest))})
tracker = Tracker("t", {{}}, latest, [{{"event": "user", "text": latest["text"], "parse_data": latest}}],
                  False, None, {{}}, "action_listen")
dispatcher = CollectingDispatcher()
events = actions.ActionDescribe().run(dispatcher, tracker, {{}})
actions.ActionSummary().run(dispatcher, tracker, {{}})
print(json.dumps({{"spacy": "spacy" in sys.modules, "compiled": recognition.default_recogniser.cache_info().currsize,
                  "text": " ".join(m["text"] for m in dispatcher.messages), "events": events}}))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["spacy"] is False and out["compiled"] == 0
    assert "Bouwsteen 1" in out["text"] and "bonkt 's avonds met haar hoofd" in out["text"]
    slots = {e["name"]: e["value"] for e in out["events"]}
    assert slots["focus_block"] == 1
