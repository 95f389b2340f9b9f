"""The example sentences in knowledge/lexicon.yml are recognised as their own signal.

They are regression fixtures for the phrases: a phrase edit that loses them shows up here. (They
were written apart from the held-out set; tests/unit/test_heldout_separation.py checks that.)
"""
from bouwstenen.recognition import PRESENT


def test_the_phrases_recognise_their_own_examples(knowledge, recognise):
    total, missed = 0, []
    for signal in knowledge.signals.values():
        for example in signal.examples:
            total += 1
            found = {m.signal_id for m in recognise(example) if m.status == PRESENT}
            if signal.id not in found:
                missed.append((signal.id, example))
    assert total >= 1000
    recall = 1 - len(missed) / total
    assert recall >= 0.95, f"recall on the lexicon's own examples {recall:.3f}; first misses: {missed[:10]}"


def test_every_signal_has_examples(knowledge):
    assert all(len(s.examples) >= 5 for s in knowledge.signals.values())
