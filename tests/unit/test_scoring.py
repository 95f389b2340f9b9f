from bouwstenen.recognition import PRESENT, DENIED, SignalMatch
from bouwstenen.scoring import HIGH, LOW, assess


def _signal(knowledge, signal_id, status=PRESENT):
    s = knowledge.signals[signal_id]
    return SignalMatch(s.id, s.label, tuple(s.bouwstenen), "…", status, 0)


def _ids_with_blocks(knowledge, blocks):
    return [s.id for s in knowledge.signals.values() if s.bouwstenen == blocks]


def test_nothing_present_claims_nothing(knowledge):
    only = _ids_with_blocks(knowledge, [1])[0]
    assessment = assess([_signal(knowledge, only, DENIED)], knowledge=knowledge)
    assert assessment.ranked == [] and assessment.confidence is None


def test_a_shared_signal_is_split_and_the_higher_block_wins_a_tie(knowledge):
    shared = _ids_with_blocks(knowledge, [2, 3])[0]
    assessment = assess([_signal(knowledge, shared)], knowledge=knowledge)
    assert [b.bouwsteen for b in assessment.ranked] == [3, 2]
    assert assessment.ranked[0].score == assessment.ranked[1].score == 0.5
    assert assessment.confidence == LOW
    assert assessment.start_block == 2  # support still starts at the lowest block in play


def test_the_rest_of_the_message_decides_a_shared_signal(knowledge):
    shared = _ids_with_blocks(knowledge, [2, 3])[0]
    only_3 = _ids_with_blocks(knowledge, [3])[0]
    assessment = assess([_signal(knowledge, shared), _signal(knowledge, only_3)], knowledge=knowledge)
    assert [b.bouwsteen for b in assessment.ranked] == [3, 2]
    assert assessment.ranked[0].score == 0.75
    assert assessment.start_block == 2  # support starts at the lowest block in play


def test_scores_add_up_to_one_and_strong_evidence_is_sure(knowledge):
    ones = _ids_with_blocks(knowledge, [1])[:3]
    assessment = assess([_signal(knowledge, i) for i in ones], knowledge=knowledge)
    assert assessment.ranked[0].bouwsteen == 1 and assessment.ranked[0].score == 1.0
    assert assessment.confidence == HIGH


def test_earlier_turns_count_half(knowledge):
    one = _ids_with_blocks(knowledge, [1])[0]
    five = _ids_with_blocks(knowledge, [5])[0]
    assessment = assess([_signal(knowledge, five)], earlier_signal_ids=[one], knowledge=knowledge)
    assert [(b.bouwsteen, b.score) for b in assessment.ranked] == [(5, 0.667), (1, 0.333)]


def _ids_with(knowledge, blocks, side):
    return [s.id for s in knowledge.signals.values() if s.bouwstenen == blocks and s.side == side]


def test_a_tie_of_child_behaviours_goes_to_the_higher_block(knowledge):
    ranked = assess([_signal(knowledge, _ids_with(knowledge, [1], "child")[0]),
                     _signal(knowledge, _ids_with(knowledge, [4], "child")[0])], knowledge=knowledge)
    assert ranked.blocks == [4, 1] and ranked.start_block == 1


def test_a_tie_with_the_parents_own_feeling_goes_to_its_block(knowledge):
    parent_1 = _signal(knowledge, _ids_with(knowledge, [1], "parent")[0])
    child_2 = _signal(knowledge, _ids_with(knowledge, [2], "child")[0])
    assert assess([child_2, parent_1], knowledge=knowledge).blocks == [1, 2]
    # An earlier turn's parent feeling does not decide this turn's tie between child behaviours.
    parent_2 = _ids_with(knowledge, [2], "parent")[0]
    child_4 = _signal(knowledge, _ids_with(knowledge, [4], "child")[0])
    child_1 = _signal(knowledge, _ids_with(knowledge, [1], "child")[0])
    assert assess([child_1, child_4], earlier_signal_ids=[parent_2], knowledge=knowledge).blocks == [4, 1, 2]
