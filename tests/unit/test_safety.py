import pytest

from bouwstenen.safety import detect_risk


@pytest.mark.parametrize("text, category", [
    ("ze zegt dat ze dood wil", "suicide"),
    ("ik wil er niet meer zijn", "suicide"),
    ("hij snijdt zichzelf in zijn armen", "self_harm"),
    ("ik denk dat ze misbruikt wordt", "abuse"),
    ("hij dreigde met een mes", "violence"),
    ("ik ben bang dat ik hem iets aandoe", "parent_breaking_point"),
])
def test_danger_is_detected(text, category):
    assert detect_risk(text) == category


@pytest.mark.parametrize("text", [
    "hij bonkt met zijn hoofd tegen de muur",
    "hij slaat andere kinderen op school",
    "ik ben zo moe, ik ben op",
    "hij wil overal aan zitten",
    "wat is bouwsteen 3?",
    "",
])
def test_ordinary_messages_are_no_crisis(text):
    assert detect_risk(text) is None
