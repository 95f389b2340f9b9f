import pytest

from bouwstenen.safety import detect_risk


@pytest.mark.parametrize("text, category", [
    ("ze zegt dat ze dood wil", "suicide"),
    ("ik wil er niet meer zijn", "suicide"),
    ("hij snijdt zichzelf in zijn armen", "self_harm"),
    ("ik denk dat ze misbruikt wordt", "abuse"),
    ("hij dreigde met een mes", "violence"),
    ("ik ben bang dat ik hem iets aandoe", "parent_breaking_point"),
    # Each word of a phrase must occur: "wurg*|gewurgd" is a phrase of its own, not one word of
    # a longer one (it once needed "dichtknijpen" beside it, so "hij heeft me gewurgd" was missed).
    ("hij heeft gisteren zijn broertje gewurgd", "violence"),
    ("hij knijpt haar keel dicht", "violence"),
    ("hij dreigt van de brug te springen", "suicide"),
    ("ze zegt dat ze niet meer wakker wil worden", "suicide"),
    ("ze heeft alle pillen uit het kastje opgegeten", "self_harm"),
    ("ze heeft snijwonden, ik schrok me rot", "self_harm"),
    ("ik ga haar slaan als ze zo doorgaat", "parent_breaking_point"),
    ("ik kan mijn handen bijna niet thuishouden", "parent_breaking_point"),
])
def test_danger_is_detected(text, category):
    assert detect_risk(text) == category


@pytest.mark.parametrize("text", [
    "hij bonkt met zijn hoofd tegen de muur",
    "hij slaat andere kinderen op school",
    "ik ben zo moe, ik ben op",
    "hij wil overal aan zitten",
    "wat is bouwsteen 3?",
    "hij neemt zijn pillen elke ochtend",
    "ze springt van de bank op de grond",
    "",
])
def test_ordinary_messages_are_no_crisis(text):
    assert detect_risk(text) is None
