"""The custom actions with Rasa SDK's dispatcher and trackers built from the real domain.yml."""
import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions
from bouwstenen.paths import DOMAIN_FILE

DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


def tracker(text, intent="describe_behaviour", **slots):
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots)
    return Tracker("test", all_slots, {"text": text, "intent": {"name": intent, "confidence": 1.0}},
                   [], False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, DOMAIN)
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_describe_names_the_block_and_offers_next_steps():
    messages, slots = run(actions.ActionDescribe(), tracker("ze bonkt 's avonds met haar hoofd tegen het bed"))
    text = " ".join(m["text"] for m in messages)
    assert "Bouwsteen 1: basisveiligheid of angst" in text
    assert "geen diagnose" in text
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/ask_advice", "/ask_more", "/ask_why"]
    assert slots["blocks_in_play"][0] == 1 and slots["focus_block"] == 1
    assert slots["heard_signals"][0]["bouwstenen"] == [1]


def test_describe_keeps_what_it_heard_and_the_likely_block_can_change():
    _, first = run(actions.ActionDescribe(), tracker("hij laat me geen seconde los"))
    messages, second = run(actions.ActionDescribe(), tracker(
        "en hij pikt geld uit mijn portemonnee", heard_signals=first["heard_signals"]))
    assert len(second["heard_signals"]) == 2
    assert second["blocks_in_play"][0] == 3
    assert "laagste" in " ".join(m["text"] for m in messages) or 2 in second["blocks_in_play"]


def test_describe_without_behaviour_asks_for_more_and_keeps_the_slots():
    messages, slots = run(actions.ActionDescribe(), tracker("hij is helemaal niet agressief"))
    assert slots == {"not_understood": False}
    assert "geen conclusie" in messages[0]["text"]


def test_advice_comes_from_the_lowest_block_in_play(knowledge):
    messages, _ = run(actions.ActionAdvice(), tracker("wat kan ik doen?", "ask_advice", blocks_in_play=[3, 2]))
    text = "\n".join(m["text"] for m in messages)
    for item in knowledge.block(2).advice:
        assert item in text


def test_why_quotes_the_parents_words():
    _, slots = run(actions.ActionDescribe(), tracker("hij wil overal de baas over zijn"))
    messages, _ = run(actions.ActionWhy(), tracker("waarom?", "ask_why", **slots))
    assert any("baas" in m["text"] for m in messages)


@pytest.mark.parametrize("text, intent, expected", [
    ("wat is bouwsteen 3?", "ask_block", "Bouwsteen 3: zelfvertrouwen of onzekerheid"),
    ("wat betekent basisveiligheid?", "ask_block", "Bouwsteen 1: basisveiligheid of angst"),
])
def test_explain_block(text, intent, expected):
    messages, slots = run(actions.ActionExplainBlock(), tracker(text, intent))
    assert expected in messages[0]["text"]
    assert slots["focus_block"] == int(expected.split()[1][0])


def test_tell_more_gives_both_poles_of_the_block_in_focus(knowledge):
    messages, _ = run(actions.ActionExplainBlock(), tracker("vertel meer", "ask_more", focus_block=2))
    text = " ".join(m["text"] for m in messages)
    assert knowledge.block(2).healthy_pole.summary in text and knowledge.block(2).problem_pole.summary in text


def test_overview_lists_all_five_and_credits_the_author(knowledge):
    messages, _ = run(actions.ActionOverview(), tracker("overzicht", "ask_overview"))
    text = " ".join(m["text"] for m in messages)
    assert all(b.name in text for b in knowledge.bouwstenen.values())
    assert knowledge.model.author in text


def test_difference_between_two_blocks(knowledge):
    messages, _ = run(actions.ActionDifference(), tracker("verschil tussen bouwsteen 2 en 3", "ask_difference"))
    text = " ".join(m["text"] for m in messages)
    assert knowledge.block(2).title in text and knowledge.block(3).title in text


def test_a_behaviour_under_two_blocks_gets_one_clarifying_question_that_settles_the_ranking(knowledge):
    messages, slots = run(actions.ActionDescribe(), tracker("hij klampt zich de hele dag aan me vast"))
    assert slots["blocks_in_play"] == [3, 2]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert payloads[:2] == ['/clarify{"block": "2"}', '/clarify{"block": "3"}']
    assert knowledge.block(3).clarify_option in [b["title"] for b in messages[-1]["buttons"]]

    answer = tracker("/clarify", "clarify", **slots)
    answer.latest_message["entities"] = [{"entity": "block", "value": "3"}]
    messages, slots = run(actions.ActionClarify(), answer)
    assert slots["blocks_in_play"] == [3, 2] and slots["focus_block"] == 3
    text = " ".join(m["text"] for m in messages)
    assert knowledge.block(3).title in text and "Bouwsteen 2 is ook in beeld" in text


def test_a_typed_clarification_is_understood():
    messages, slots = run(actions.ActionClarify(), tracker("vooral bouwsteen 2", "clarify", blocks_in_play=[2, 3]))
    assert slots["blocks_in_play"] == [2, 3] and slots["focus_block"] == 2


def test_a_message_the_classifier_did_not_understand_counts_towards_twice_in_a_row():
    _, slots = run(actions.ActionDescribe(), tracker("qwrtz plof blub", "nlu_fallback"))
    assert slots == {"not_understood": True}


def _user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def test_the_summary_covers_the_conversation_since_the_last_restart():
    events = [_user("ze pikt geld uit mijn tas", "describe_behaviour"), {"event": "restart"},
              _user("hij bonkt met zijn hoofd tegen de muur", "describe_behaviour"),
              _user("/ask_advice", "ask_advice"), _user("wat is bouwsteen 4?", "ask_block"),
              _user("vat het eens samen", "summary")]
    t = Tracker("test", {name: None for name in DOMAIN["slots"]},
                {"text": "vat het eens samen", "intent": {"name": "summary"}}, events, False, None, {},
                "action_listen")
    text = " ".join(m["text"] for m in run(actions.ActionSummary(), t)[0])
    assert "bonkt met zijn hoofd" in text and "Bouwsteen 1" in text
    assert "geld" not in text and "Bouwsteen 4" not in text  # before the restart; a question
