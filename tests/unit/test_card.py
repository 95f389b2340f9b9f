"""The triage card (bouwstenen.card) on known cases, and the staff page's auth helpers."""
import asyncio

import pytest

from bouwstenen import dialogue
from bouwstenen.card import NOT_DESCRIBED, NOT_TRIAGED, build_card, card_as_text, summary_facts
from bouwstenen.reading import read, signals_of
from bouwstenen.scoring import assess
from bouwstenen.staff import (Auth, ConfigError, SESSION_COOKIE, TOKEN_ENV, messages_from_body,
                              parent_turns_async, read_token, same_origin)

TWO_SIGNALS = "Ze bonkt elke avond met haar hoofd tegen de muur en ze klampt zich de hele dag aan me vast."
MIXED = "Hij is niet agressief, maar hij pikt wel geld uit mijn portemonnee. Vroeger wiegde hij zichzelf."
CRISIS = "Mijn dochter wil niet meer leven en ze bonkt met haar hoofd."


def _highlighted(card, message=0):
    m = card["messages"][message]
    return {h["signal_id"]: m["text"][h["start"]:h["end"]] for h in m["highlights"]}


def test_a_pasted_description_with_two_signals(knowledge, recognise):
    card = build_card([TWO_SIGNALS])
    assert [s["id"] for s in card["signals"]] == ["head_banging", "clinging"]
    assert card["set_aside"] == [] and card["risk"] is None and card["triaged"]
    # The parent's own words, at their offsets in what the parent wrote.
    highlights = card["messages"][0]["highlights"]
    head = next(h for h in highlights if h["signal_id"] == "head_banging")
    assert head["start"] == TWO_SIGNALS.index("bonkt") and head["end"] == TWO_SIGNALS.index(" tegen")
    assert [TWO_SIGNALS[w["start"]:w["end"]] for w in head["words"]] == ["bonkt", "hoofd"]
    assert _highlighted(card) == {"head_banging": "bonkt elke avond met haar hoofd",
                                  "clinging": "klampt zich de hele dag aan me vast"}
    # Ranking: the behaviour the message is mostly about counts double, the other once, and
    # clinging is shared by 2 and 3; support starts at the lowest block.
    (main,) = [s for s in card["signals"] if s.get("main")]
    assert main["weight"] == 2.0 and [s["weight"] for s in card["signals"] if s is not main] == [1.0]
    expected = ([(1, 0.667), (3, 0.167), (2, 0.167)] if main["id"] == "head_banging"
                else [(3, 0.333), (2, 0.333), (1, 0.333)])
    assert [(b["bouwsteen"], b["score"]) for b in card["bouwstenen"]] == expected
    assert card["start_bouwsteen"] == 1
    assert card["confidence"] == assess(signals_of(read(TWO_SIGNALS))).confidence
    assert knowledge.model.pyramid in card["pyramid_note"]


def test_what_the_model_says_and_the_questions_come_from_knowledge(knowledge):
    card = build_card([TWO_SIGNALS])
    for block in card["bouwstenen"]:
        source = knowledge.block(block["bouwsteen"])
        assert block["naam"] == source.name and block["titel"] == source.title
        assert block["what_the_model_says"]["short"] == source.short
        assert block["what_the_model_says"]["problem_pole"]["summary"] == source.problem_pole.summary
        assert block["what_the_model_says"]["child_behaviour"] == source.child_behaviour
        assert block["follow_up_questions"] == list(source.follow_up_questions)
    assert [b["neighbours"] for b in card["bouwstenen"]] == [[2], [2, 4], [1, 3]]


def test_highlights_keep_the_parents_spelling():
    text = "Hé, zij wíl ALLES zelf bepalen!"
    card = build_card([text])
    for h in card["messages"][0]["highlights"]:
        match = next(s["match"] for s in card["signals"] + card["set_aside"] if s["id"] == h["signal_id"])
        assert text[h["start"]:h["end"]] == match
    assert _highlighted(card)["needs_control"] == "zij wíl ALLES zelf bepalen"


def test_denied_and_past_are_set_aside():
    card = build_card([MIXED])
    assert [s["id"] for s in card["signals"]] == ["stealing"]
    assert {s["id"]: s["status"] for s in card["set_aside"]} == {"aggression": "denied", "self_rocking": "past"}
    assert [b["bouwsteen"] for b in card["bouwstenen"]] == [3]
    statuses = {h["signal_id"]: h["status"] for h in card["messages"][0]["highlights"]}
    assert statuses == {"aggression": "denied", "stealing": "present", "self_rocking": "past"}
    assert _highlighted(card)["self_rocking"] == "wiegde hij zichzelf"


def test_someone_elses_behaviour_claims_no_block():
    card = build_card(["Het zoontje van mijn zus slaat andere kinderen."])
    assert card["signals"] == [] and card["bouwstenen"] == [] and card["start_bouwsteen"] is None
    assert [s["status"] for s in card["set_aside"]] == ["other_person"]
    assert "Geen bouwsteen" in card["status"]


def test_a_crisis_is_not_triaged(knowledge):
    card = build_card([CRISIS])
    assert card["risk"] == "suicide" and not card["triaged"]
    assert card["bouwstenen"] == [] and card["start_bouwsteen"] is None and card["confidence"] is None
    assert card["status"] == NOT_TRIAGED
    assert [c["name"] for c in card["risk_contacts"]] == [c.name for c in knowledge.urgent_help]
    risk_marks = [h for h in card["messages"][0]["highlights"] if h["status"] == "risk"]
    assert [CRISIS[h["start"]:h["end"]] for h in risk_marks] == ["wil niet meer leven"]
    assert risk_marks[0]["risk"] == "suicide" and risk_marks[0]["label"] == knowledge.risk_categories["suicide"].label
    text = card_as_text(card)
    assert text.index("RISICO") < text.index("Herkende signalen")
    assert "Niet getrieerd" in text and "112" in text and "Bouwsteen 1:" not in text


def test_a_crisis_in_an_earlier_message_still_counts():
    card = build_card([CRISIS, "hij klampt zich de hele dag aan me vast"])
    assert card["risk"] == "suicide" and card["risks"][0]["message"] == 0 and card["bouwstenen"] == []


def test_a_conversation_weights_earlier_messages_half():
    messages = ["hij klampt zich de hele dag aan me vast", "en hij bonkt met zijn hoofd tegen de muur"]
    card = build_card(messages)
    weights = {s["id"]: s["weight"] for s in card["signals"]}
    assert weights == {"clinging": 0.5, "head_banging": 1.0}
    # clinging 0.5 shared by 2 and 3, head banging 1 on block 1: 1 / 1.5, 0.25 / 1.5 each.
    assert [(b["bouwsteen"], b["score"]) for b in card["bouwstenen"]] == [(1, 0.667), (3, 0.167), (2, 0.167)]
    assert card["messages"][0]["highlights"][0]["signal_id"] == "clinging"
    assert [s["message"] for s in card["signals"]] == [0, 1]


def test_the_card_states_what_the_chat_says():
    """Same engine facts as the chat: dialogue.describe turn by turn, then the summary."""
    messages = ["hij klampt zich de hele dag aan me vast", "hij is niet agressief",
                "en hij bonkt met zijn hoofd tegen de muur"]
    heard, blocks = [], []
    for text in messages:
        turn = dialogue.describe(text, heard, "describe_behaviour")
        if turn.blocks:
            heard, blocks = turn.heard, turn.blocks
    card = build_card(messages, ["describe_behaviour"] * 3)
    facts = summary_facts(card)
    assert facts["blocks"] == blocks
    assert facts["signals"] == [(h["label"], h["match"]) for h in heard]
    summary = dialogue.summary(messages, ["describe_behaviour"] * 3).text
    for label, match in facts["signals"]:
        assert label in summary and match in summary
    assert f"bouwsteen {facts['start_bouwsteen']}" in summary
    assert "agressie" in summary.split("Niet meegeteld")[1]  # the denied one, set aside


def test_the_summary_after_a_crisis_repeats_the_urgent_help(knowledge):
    summary = dialogue.summary(["hij bonkt met zijn hoofd", "ik wil niet meer leven"],
                               ["describe_behaviour", "crisis"]).text
    assert all(c.phone in summary for c in knowledge.urgent_help)


def test_a_question_about_the_model_is_not_a_description():
    card = build_card(["wat is hoofdbonken?"], ["ask_block"])
    assert card["signals"] == [] and card["bouwstenen"] == []
    assert [s["status"] for s in card["set_aside"]] == [NOT_DESCRIBED]
    assert not card["messages"][0]["counted"]
    assert build_card(["wat is hoofdbonken?"], ["nlu_fallback"])["bouwstenen"]  # as the chat


def test_empty_and_mismatched_input():
    card = build_card([""])
    assert card["signals"] == [] and card["bouwstenen"] == [] and card["risk"] is None
    with pytest.raises(ValueError):
        build_card(["a", "b"], ["greet"])


def test_card_as_text_has_the_key_facts(knowledge):
    card = build_card([MIXED + " " + TWO_SIGNALS])
    text = card_as_text(card)
    assert text.startswith("TRIAGEKAART")
    assert "geen diagnose" in text and "vervangt het niet" in text
    for s in card["signals"]:
        assert s["label"] in text and f"\u201c{s['match']}\u201d" in text
    assert "agressie: \u201cagressief\u201d (ontkend)" in text
    assert "zichzelf wiegen: \u201cwiegde hij zichzelf\u201d (voorbij)" in text
    best = card["bouwstenen"][0]
    assert f"{best['titel']} \u2013 score {best['score']:.2f}".replace(".", ",") in text
    assert f"Begin bij bouwsteen {card['start_bouwsteen']}" in text
    assert knowledge.block(card["start_bouwsteen"]).follow_up_questions[0] in text
    assert knowledge.model.credit in text


# --- staff page: token, session, requests ---------------------------------------------------

TOKEN = "test-staff-token"


def test_the_token_must_be_set_and_long_enough():
    with pytest.raises(ConfigError, match=TOKEN_ENV):
        read_token({})
    with pytest.raises(ConfigError, match="te kort"):
        read_token({TOKEN_ENV: "kort"})
    assert read_token({TOKEN_ENV: TOKEN}) == TOKEN
    with pytest.raises(ConfigError):
        Auth("kort")


def test_token_and_bearer_checks():
    auth = Auth(TOKEN, secret=b"s")
    assert auth.check_token(TOKEN)
    assert not auth.check_token("test-staff-tokeN") and not auth.check_token("") and not auth.check_token(None)
    assert auth.check_bearer(f"Bearer {TOKEN}") and auth.check_bearer(f"bearer {TOKEN}")
    assert not auth.check_bearer(f"Basic {TOKEN}") and not auth.check_bearer("Bearer wrong") and not auth.check_bearer(None)


def test_session_cookie_is_signed_and_expires():
    auth = Auth(TOKEN, secret=b"s", lifetime=3600)
    value = auth.session_value(now=1_000_000)
    assert TOKEN not in value
    assert auth.check_session(value, now=1_000_100)
    assert not auth.check_session(value, now=1_000_000 + 3601)            # expired
    assert not auth.check_session(value[:-1] + ("0" if value[-1] != "0" else "1"), now=1_000_100)  # tampered
    assert not auth.check_session(value.replace("1000000", "1000500"), now=1_000_600)  # re-dated
    assert not auth.check_session("", now=1_000_100) and not auth.check_session("abc.def", now=1)
    assert not Auth(TOKEN, secret=b"other").check_session(value, now=1_000_100)  # after a restart
    assert not Auth("another-token-of-16", secret=b"s").check_session(value, now=1_000_100)
    assert auth.authorised({}, {SESSION_COOKIE: value}, now=1_000_100)
    assert auth.authorised({"authorization": f"Bearer {TOKEN}"}, {})
    assert not auth.authorised({}, {}) and not auth.authorised({"authorization": "Bearer x"}, {"other": value})


def test_request_bodies_and_origins():
    assert messages_from_body({"text": "hoi"}) == (["hoi"], None)
    assert messages_from_body({"messages": ["a", "b"]}) == (["a", "b"], None)
    for bad in (None, [], {"text": 3}, {"text": "  "}, {"messages": "a"}, {"messages": []},
                {"messages": [1]}, {"text": "x" * 30000}):
        messages, error = messages_from_body(bad)
        assert messages is None and error
    assert same_origin({"host": "localhost:9000", "origin": "http://localhost:9000"})
    assert same_origin({"host": "localhost:9000"})
    assert not same_origin({"host": "localhost:9000", "origin": "http://evil.example"})


def test_parent_turns_come_with_their_intents():
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker.from_events("c1", [
        ActionExecuted("action_listen"),
        UserUttered("hij klampt", intent={"name": "describe_behaviour", "confidence": 0.9}),
        BotUttered("..."),
        UserUttered("/ask_advice", intent={"name": "ask_advice", "confidence": 1.0}),
        UserUttered("wat is bouwsteen 2?", intent={"name": "ask_block", "confidence": 0.8}),
    ])

    async def run():
        await store.save(tracker)
        return await parent_turns_async(store, "c1"), await parent_turns_async(store, "nobody")

    found, missing = asyncio.run(run())
    assert found == (["hij klampt", "wat is bouwsteen 2?"], ["describe_behaviour", "ask_block"])
    assert missing is None
