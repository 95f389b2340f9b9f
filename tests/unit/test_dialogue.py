from bouwstenen import dialogue
from bouwstenen.text import MAX_CHARS


def test_empty_and_whitespace_messages_get_a_clear_answer():
    for text in ("", "   \n\t"):
        turn = dialogue.describe(text)
        assert "leeg bericht" in turn.reply.text and turn.blocks == []


def test_a_very_long_message_is_read_in_part_and_says_so():
    turn = dialogue.describe("ze bonkt met haar hoofd tegen de muur. " + "en toen " * 3000)
    assert str(MAX_CHARS) in turn.reply.paragraphs[0]
    assert turn.blocks[0] == 1


def test_a_parent_who_is_struggling_is_met_with_care_first(knowledge):
    turn = dialogue.describe("ik voel me zo afgewezen door haar")
    assert turn.reply.paragraphs[0] == knowledge.model.parent_care
    assert knowledge.block(turn.blocks[0]).interaction in turn.reply.text
    assert "/ask_human" in [b.payload for b in turn.reply.buttons]


def test_earlier_behaviour_is_kept_and_named():
    first = dialogue.describe("hij bonkt met zijn hoofd tegen de muur")
    second = dialogue.describe("hij pikt geld uit mijn portemonnee", first.heard)
    assert len(first.heard) == 1 and len(second.heard) == 2
    assert second.heard[0] == first.heard[0]
    assert "eerder vertelde" in second.reply.text
    assert second.blocks == [3, 1]


def test_model_questions_resolve_named_behaviour():
    assert dialogue.asked_blocks("wat is bouwsteen 2?") == [2]
    assert dialogue.asked_blocks("wat bedoelt het model met hoofdbonken?") == [1]


def test_a_parent_feeling_the_model_does_not_place_gets_care_and_no_block(knowledge):
    turn = dialogue.describe("ik schaam me zo voor mezelf", intent="describe_parent_feeling")
    assert turn.blocks == []
    assert turn.reply.paragraphs[0] == knowledge.model.parent_care
    assert knowledge.organisation.human_contact.phone in turn.reply.text


def test_model_questions_resolve_a_theme_of_the_block():
    assert dialogue.asked_blocks("wat is scheidingsangst precies?") == [3]
    # A number or name comes before a theme: "zelfstandig" is a theme of 4, the question is about 2.
    assert dialogue.asked_blocks("hoe zelfstandig moet je zijn in bouwsteen 2?") == [2]


def test_a_description_that_asks_for_its_block_gets_the_asked_block_in_triage():
    record = dialogue.triage_record("hij pikt geld uit mijn tas, bij welke bouwsteen hoort dat?",
                                    "describe_behaviour")
    assert record["asked_bouwstenen"] == [3] and record["bouwstenen"][0]["bouwsteen"] == 3
    plain = dialogue.triage_record("hij pikt geld uit mijn tas", "describe_behaviour")
    assert plain["asked_bouwstenen"] == [] and plain["bouwstenen"][0]["bouwsteen"] == 3
