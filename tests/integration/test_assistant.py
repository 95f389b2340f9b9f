"""The slow suite: train, validate, `rasa test`, the triage CLI on the held-out set, and a real
conversation over the REST channel with the action server and the Rasa server running."""
import json
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.integration.stack import BIN, ROOT, running_stack

pytestmark = pytest.mark.slow


def rasa(*args, timeout=1800):
    result = subprocess.run([str(BIN / "rasa"), *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"rasa {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_training_data_validates():
    rasa("data", "validate", "--fail-on-warnings")


def test_rasa_test_stories_without_prediction_errors(model, tmp_path):
    rasa("test", "core", "--model", str(model), "--stories", "tests/test_stories.yml",
         "--fail-on-prediction-errors", "--out", str(tmp_path))


def test_triage_cli_on_the_heldout_set(model):
    sys.path.insert(0, str(ROOT / "bench"))
    import recognition

    messages = recognition.load_heldout()
    figures = recognition.score(messages, recognition.triage_cli(messages, model))
    print("\n" + "\n".join(f"{k}: {v:.3f}" for k, v in figures.items()))
    # Floors a little below the measured figures (docs/recognition.md): a drop here is a
    # regression. The targets of the recognition issue are higher; see the README.
    assert figures["top-1 accuracy"] >= 0.76
    assert figures["top-2 accuracy"] >= 0.79
    assert figures["false claims (denied/off-topic/smalltalk)"] <= 0.082  # 7 of 86
    assert figures["model questions, right block"] >= 0.90


@pytest.fixture(scope="module")
def servers(model, tmp_path_factory):
    with running_stack(model, tmp_path_factory.mktemp("servers")) as stack:
        yield {"rasa_port": stack.ports["rasa"], "actions": stack.processes["actions"], "stack": stack}


def say(servers, sender, message):
    return [m.get("text", "") for m in chat(servers, sender, message)]


def test_a_dutch_conversation_over_rest(servers):
    opening = " ".join(say(servers, "ouder-1", "hoi"))
    assert "chatbot" in opening and "geen diagnose" in opening
    described = " ".join(say(servers, "ouder-1", "ze bonkt 's avonds met haar hoofd tegen het bed"))
    assert "Bouwsteen 1: basisveiligheid of angst" in described  # from the custom action
    advice = " ".join(say(servers, "ouder-1", "wat kan ik doen?"))
    assert "Bouwsteen 1" in advice and "- " in advice
    model_question = " ".join(say(servers, "ouder-1", "wat is bouwsteen 3?"))
    assert "Bouwsteen 3: zelfvertrouwen of onzekerheid" in model_question


def chat(servers, sender, message):
    """The full bot messages (text and buttons) for one user message."""
    request = urllib.request.Request(
        f"http://localhost:{servers['rasa_port']}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _text(messages):
    return " ".join(m.get("text", "") for m in messages)


def _buttons(messages):
    return [b["title"] for m in messages for b in m.get("buttons", [])]


def test_describe_then_more_why_and_several_turns(servers, knowledge):
    reply = chat(servers, "ouder-3", "hij zit elke avond op de bank heen en weer te wiegen")
    assert "Wat ik herken" in _text(reply)
    assert {"Wat kan ik doen?", "Vertel meer over deze bouwsteen", "Waarom denk je dat?"} <= set(_buttons(reply))
    more = _text(chat(servers, "ouder-3", "vertel meer over deze bouwsteen"))
    assert "Als het goed gaat" in more and "Als er een gat is" in more
    why = _text(chat(servers, "ouder-3", "waarom denk je dat?"))
    assert "Je schreef" in why and "wiegen" in why
    later = _text(chat(servers, "ouder-3", "en hij pikt geld uit mijn portemonnee"))
    assert "eerder vertelde" in later and "Bouwsteen 3" in later and "Bouwsteen 1" in later


def test_ambiguity_gets_a_clarifying_question_whose_answer_settles_it(servers, knowledge):
    reply = chat(servers, "ouder-4", "ze klampt zich de hele dag aan me vast")
    assert knowledge.block(2).clarify_option in _buttons(reply)
    answer = _text(chat(servers, "ouder-4", '/clarify{"block": "3"}'))
    assert "Dan kijk ik vooral naar Bouwsteen 3" in answer


def test_a_parent_feeling_is_met_with_care(servers, knowledge):
    reply = _text(chat(servers, "ouder-5", "ik voel me zo afgewezen door mijn dochter"))
    assert knowledge.model.parent_care.split(".")[0] in reply


def test_questions_about_the_model(servers, knowledge):
    assert knowledge.block(1).title in _text(chat(servers, "ouder-6", "wat betekent basisveiligheid?"))
    difference = _text(chat(servers, "ouder-6", "wat is het verschil tussen bouwsteen 2 en 4?"))
    assert knowledge.block(2).title in difference and knowledge.block(4).title in difference
    overview = _text(chat(servers, "ouder-6", "geef me eens een overzicht van het hele model"))
    assert all(b.name in overview for b in knowledge.bouwstenen.values())
    assert knowledge.model.author in _text(chat(servers, "ouder-6", "wie heeft dit model bedacht?"))


def test_crisis_mid_flow_then_carry_on(servers, knowledge):
    chat(servers, "ouder-7", "hij pikt steeds snoep uit de kast")
    crisis = _text(chat(servers, "ouder-7", "en ik ben bang dat ik hem iets aandoe"))
    assert all(c.phone in crisis for c in knowledge.urgent_help)
    followup = _text(chat(servers, "ouder-7", "nee, zo bedoel ik het niet"))
    assert "De nummers hierboven blijven gelden" in followup


def test_the_small_paths(servers, knowledge):
    contact = knowledge.organisation.human_contact
    assert contact.phone in _text(chat(servers, "ouder-8", "kan ik met een mens praten?"))
    assert "only speak Dutch" in _text(chat(servers, "ouder-8", "hello, can you help me with my daughter?"))
    assert "niet mee helpen" in _text(chat(servers, "ouder-8", "hoe vraag ik een nieuw paspoort aan voor mijn zoon?"))
    assert "Graag gedaan" in _text(chat(servers, "ouder-8", "dank je wel!"))
    assert "Sorry" in _text(chat(servers, "ouder-8", "je snapt er echt niks van"))
    assert "Dag" in _text(chat(servers, "ouder-8", "doei, tot ziens"))


def test_restart_gives_a_clean_conversation(servers):
    chat(servers, "ouder-9", "ze bonkt met haar hoofd tegen de muur")
    assert "opnieuw" in _text(chat(servers, "ouder-9", "opnieuw beginnen"))
    assert "nog geen gedrag" in _text(chat(servers, "ouder-9", "waarom denk je dat?"))


def test_not_understood_twice_offers_the_blocks_and_a_person(servers):
    first = chat(servers, "ouder-11", "qwrtz plof blub")
    assert "anders zeggen" in _text(first)
    second = chat(servers, "ouder-11", "fnorgel wibbel wob")
    assert "anders zeggen" not in _text(second)
    assert {f"Bouwsteen {n}" for n in range(1, 6)} | {"Met een mens praten"} <= set(_buttons(second))


def test_bad_input_always_gets_an_answer(servers):
    for message in ["", "   ", "😀😀😀", "<img src=x onerror=alert(1)>", "x" * 20000, "/restart",
                    "describe_behaviour", "\u202e\u05e9\u05dc\u05d5\u05dd"]:
        assert chat(servers, "ouder-10", message), f"no answer to {message[:30]!r}"


def test_crisis_reply_works_with_the_action_server_down(servers, knowledge):
    servers["actions"].send_signal(signal.SIGTERM)
    servers["actions"].wait(timeout=20)
    reply = " ".join(say(servers, "ouder-2", "mijn zoon zegt steeds dat hij dood wil"))
    for contact in knowledge.urgent_help:
        assert contact.phone in reply
    # Anything that needs the action server still gets an answer, with the human contact.
    reply = " ".join(say(servers, "ouder-2", "hij pikt geld uit mijn portemonnee"))
    assert "er ging iets mis" in reply and knowledge.organisation.human_contact.phone in reply
