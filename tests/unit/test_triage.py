"""The triage CLI's contract, with a stand-in for the Rasa intent parser (the real model is used
in tests/integration/test_assistant.py)."""
import io
import json

from bouwstenen.triage import run

FIELDS = {"text", "intent", "signals", "bouwstenen", "risk"}


def triage(lines, jsonl=False, intent="describe_behaviour"):
    out = io.StringIO()
    assert run(io.StringIO(lines), out, jsonl, lambda text: intent) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_object_per_line_in_order_with_the_contract_fields():
    records = triage("ze bonkt met haar hoofd tegen het bed\n\nhij pikt geld uit mijn portemonnee\n")
    assert [r["text"] for r in records] == [
        "ze bonkt met haar hoofd tegen het bed", "", "hij pikt geld uit mijn portemonnee"]
    for record in records:
        assert FIELDS <= set(record)
    first = records[0]
    assert first["bouwstenen"][0]["bouwsteen"] == 1 and first["bouwstenen"][0]["naam"] == "basisveiligheid of angst"
    assert set(first["signals"][0]) >= {"id", "label", "bouwstenen", "match"}
    assert "bonkt" in first["signals"][0]["match"]
    assert records[1]["intent"] is None and records[1]["bouwstenen"] == [] and records[1]["signals"] == []


def test_ranked_best_first_with_scores():
    (record,) = triage("hij klampt zich aan me vast en hij pikt geld uit mijn tas\n")
    scores = [b["score"] for b in record["bouwstenen"]]
    assert scores == sorted(scores, reverse=True) and abs(sum(scores) - 1) < 0.01
    assert record["bouwstenen"][0]["bouwsteen"] == 3


def test_no_block_for_denied_behaviour_or_other_intents():
    assert triage("hij is helemaal niet agressief\n")[0]["bouwstenen"] == []
    assert triage("hij bonkt met zijn hoofd\n", intent="greet")[0]["bouwstenen"] == []


def test_a_crisis_is_flagged_and_never_triaged():
    (record,) = triage("hij bonkt met zijn hoofd en zegt dat hij dood wil\n", intent="crisis")
    assert record["risk"] == "suicide" and record["bouwstenen"] == []


def test_jsonl_input_and_bad_lines_get_an_answer():
    lines = '{"text": "hij wil overal de baas over zijn"}\nnot json\n{"no_text": 1}\n\n'
    records = triage(lines, jsonl=True)
    assert len(records) == 4
    assert records[0]["bouwstenen"]
    assert "error" in records[1] and "error" in records[2]
    assert records[3]["text"] == "" and "error" not in records[3]


def test_very_long_and_odd_lines():
    long_line = "hij bonkt met zijn hoofd " + "x" * 50000
    records = triage(long_line + "\n😀😀\n<img src=x onerror=alert(1)>\n")
    assert len(records) == 3
    assert records[0]["text"] == long_line and records[0]["bouwstenen"][0]["bouwsteen"] == 1
    assert records[1]["bouwstenen"] == [] and records[2]["bouwstenen"] == []


def test_model_questions_name_the_block_asked_about():
    (record,) = triage("wat is bouwsteen 3?\n", intent="ask_block")
    assert record["asked_bouwstenen"] == [3] and record["bouwstenen"] == []


def test_text_format_is_a_readable_card_with_risk_first():
    out = io.StringIO()
    run(io.StringIO("hij wil dood\nhij klampt zich vast, agressief is hij niet\n"), out, False,
        lambda text: "describe_behaviour", "text")
    from bouwstenen.triage import CARD_SEPARATOR

    cards = out.getvalue().split(CARD_SEPARATOR)
    assert len(cards) == 3 and cards[2] == ""
    assert cards[0].index("RISICO:") < cards[0].index("Wat de ouder schreef")
    assert "Niet getrieerd" in cards[0] and "Bouwsteen 2" not in cards[0]
    assert "ontkend" in cards[1].split("Niet meegeteld:")[1] and "Bouwsteen 2" in cards[1]


def test_csv_format_has_a_header_and_one_row_per_message():
    import csv

    out = io.StringIO()
    run(io.StringIO('hij pikt geld uit mijn tas\n\n"aanhalingstekens", komma\n'), out, False,
        lambda text: "describe_behaviour", "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:4] == ["text", "intent", "risk", "bouwsteen"]
    assert len(rows) == 4 and rows[1][3] == "3" and rows[3][0] == '"aanhalingstekens", komma'
