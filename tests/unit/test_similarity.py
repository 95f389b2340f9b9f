"""The similarity fallback: a guess only for a description the lexicon finds nothing in."""
import pytest

from bouwstenen import dialogue, replies
from bouwstenen.card import build_card, card_as_text
from bouwstenen.recognition import PRESENT, SIMILARITY, SignalMatch
from bouwstenen.scoring import LOW, assess
from bouwstenen.similarity import NOTHING, default_fallback, training_data, with_similarity
from bouwstenen.paths import KNOWLEDGE_DIR, PROJECT_ROOT

# No phrase of the lexicon in it ("pas na uren in" for falling asleep late); the fallback learned
# sleeping problems from sentences like it.
TERSE = "ze slaapt pas na uren in"


@pytest.fixture(scope="module")
def fallback():
    return default_fallback()


def test_the_lexicon_misses_the_example_and_the_fallback_guesses_it(recognise, fallback):
    assert recognise(TERSE) == []
    guess = fallback.guess(TERSE)
    assert guess.signal_id == "sleeping_problems" and guess.status == PRESENT
    assert guess.via == SIMILARITY and guess.match == ""
    # what it is like: a training sentence of the same signal
    assert guess.similar_to in dict(training_data_pairs()).keys()
    assert dict(training_data_pairs())[guess.similar_to] == "sleeping_problems"


def training_data_pairs():
    from bouwstenen import knowledge as kb

    return training_data(kb.load(), KNOWLEDGE_DIR / "descriptions.yml", PROJECT_ROOT / "data" / "nlu")


def test_training_data_holds_examples_descriptions_and_what_describes_nothing():
    pairs = training_data_pairs()
    labels = {label for _, label in pairs}
    assert NOTHING in labels and len(labels) > 50
    assert ("hallo", NOTHING) in pairs  # an NLU example of small talk


@pytest.mark.parametrize("text", ["hij is dol op voetbal en tekent graag", "hoe laat zijn jullie open?"])
def test_something_that_describes_nothing_gets_no_guess(fallback, text):
    assert fallback.guess(text) is None


def test_a_guess_is_only_made_for_a_description_the_lexicon_found_nothing_in(recognise):
    assert with_similarity(TERSE, [], "describe_behaviour", None)[0].guessed
    assert with_similarity(TERSE, [], "out_of_scope", None) == []       # not a description
    assert with_similarity(TERSE, [], "nlu_fallback", None) == []       # the classifier is unsure
    assert with_similarity(TERSE, [], "describe_behaviour", "suicide") == []  # a risk is never triaged
    denied = recognise("nee hoor, slaan doet ze niet")
    assert denied and with_similarity("nee hoor, slaan doet ze niet", denied, "describe_behaviour", None) == denied


def test_a_guess_alone_has_low_confidence_and_says_so_in_the_reply():
    record = dialogue.triage_record(TERSE, "describe_behaviour")
    assert record["signals"][0]["via"] == "similarity" and record["signals"][0]["similar_to"]
    assert record["bouwstenen"][0]["bouwsteen"] == 1 and record["confidence"] == LOW
    turn = dialogue.describe(TERSE, intent="describe_behaviour")
    assert "zeker weten doe ik het niet" in turn.reply.text and "\u201c\u201d" not in turn.reply.text
    assert dialogue.describe(TERSE, intent="out_of_scope").blocks == []


def test_a_guess_with_a_lexicon_signal_beside_it_is_not_made():
    lexicon = SignalMatch("head_banging", "hoofdbonken", (1,), "bonkt", PRESENT, 0)
    assert with_similarity("hij bonkt", [lexicon], "describe_behaviour", None) == [lexicon]


def test_the_card_and_why_show_what_the_guess_is_like_instead_of_words():
    card = build_card([TERSE], ["describe_behaviour"])
    (signal,) = card["signals"]
    assert signal["via"] == "similarity" and signal["match"] == ""
    assert f"lijkt op \u201c{signal['similar_to']}\u201d" in card_as_text(card)
    guess = SignalMatch.from_dict(signal)
    assert guess.guessed and guess.to_dict()["similar_to"] == signal["similar_to"]
    why = replies.why([guess], [1]).text
    assert "lijkt op wat ouders vertellen" in why and signal["similar_to"] in why


def test_of_several_behaviours_the_main_one_is_marked_and_counts_double(recognise):
    text = "hij gamet tot diep in de nacht, hij kan niet stoppen, en als ik de stekker eruit trek slaat hij"
    found = recognise(text)
    assert len({s.signal_id for s in found if s.present}) >= 2
    marked = with_similarity(text, found, "describe_behaviour", None)
    (main,) = [s for s in marked if s.main]
    assert [s.signal_id for s in marked] == [s.signal_id for s in found]  # nothing added or lost
    one = [s for s in found if s.present and s.signal_id != main.signal_id][0]
    assert assess([main, one]).ranked[0].bouwsteen in main.bouwstenen  # 2 points against 1
    alone = recognise("hij bonkt met zijn hoofd tegen de muur")
    assert not any(s.main for s in with_similarity("hij bonkt met zijn hoofd tegen de muur", alone,
                                                   "describe_behaviour", None))
