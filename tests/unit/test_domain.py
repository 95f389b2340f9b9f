"""domain.yml, data/ and the action server agree with each other and with knowledge/."""
import inspect
from pathlib import Path

import yaml

from bouwstenen import domain_sync
from bouwstenen.paths import DOMAIN_FILE, PROJECT_ROOT


def _yaml(path):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _domain():
    return _yaml(DOMAIN_FILE)


def test_generated_responses_are_in_step_with_knowledge():
    assert domain_sync.current_block(DOMAIN_FILE.read_text(encoding="utf-8")) == domain_sync.render(), (
        "run: .venv/bin/python -m bouwstenen.domain_sync"
    )


def test_crisis_response_has_every_urgent_contact(knowledge):
    text = _domain()["responses"]["utter_crisis"][0]["text"]
    for contact in knowledge.urgent_help:
        assert contact.name in text and contact.phone in text


def test_action_server_registers_exactly_the_domain_actions():
    from rasa_sdk import Action

    import actions.actions as module

    registered = {cls().name() for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Action) and cls is not Action}
    assert registered == set(_domain()["actions"])


def test_intents_in_data_are_the_domain_intents():
    in_data = set()
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        in_data |= {item["intent"] for item in _yaml(path)["nlu"] if "intent" in item}
    assert in_data == set(_domain()["intents"])


def test_every_action_in_rules_and_stories_exists():
    domain = _domain()
    known = set(domain["actions"]) | set(domain["responses"]) | {"action_restart", "action_listen"}
    for name in ("rules.yml", "stories.yml"):
        data = _yaml(PROJECT_ROOT / "data" / name)
        for flow in data.get("rules", []) + data.get("stories", []):
            for step in flow["steps"]:
                if "action" in step:
                    assert step["action"] in known, (name, step["action"])


def test_crisis_is_forced_by_a_rule_to_a_domain_response():
    rules = _yaml(PROJECT_ROOT / "data" / "rules.yml")["rules"]
    crisis = [r for r in rules if r["steps"][0] == {"intent": "crisis"}]
    assert crisis and crisis[0]["steps"][1] == {"action": "utter_crisis"}
    assert "utter_crisis" in _domain()["responses"]  # a response, not a custom action


def test_nothing_after_the_safety_override_can_change_the_intent():
    config = _yaml(PROJECT_ROOT / "config.yml")
    names = [c["name"] for c in config["pipeline"]]
    after = names[names.index("bouwstenen.rasa_components.SafetyOverride") + 1:]
    assert after == ["bouwstenen.rasa_components.SignalReader"]  # adds signals, never an intent
    before = names[:names.index("bouwstenen.rasa_components.SafetyOverride")]
    assert "bouwstenen.rasa_components.DescriptionOverride" in before
    assert config["assistant_id"] == "bouwstenen-assistent"
