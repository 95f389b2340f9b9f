import shutil

import pytest
import yaml

from bouwstenen import knowledge as kb


def test_five_blocks_with_names_from_the_source(knowledge):
    assert [b.number for b in knowledge.bouwstenen.values()] == [1, 2, 3, 4, 5]
    assert knowledge.block(1).title == "Bouwsteen 1: basisveiligheid of angst"
    assert knowledge.block(5).healthy_pole.name == "creatief"
    assert "Truus Bakker-van Zeil" in knowledge.model.credit


def test_every_signal_points_to_blocks_and_has_phrases(knowledge):
    for signal in knowledge.signals.values():
        assert signal.bouwstenen and set(signal.bouwstenen) <= {1, 2, 3, 4, 5}
        assert signal.phrases


def test_behaviours_listed_under_several_blocks_are_one_signal(knowledge):
    multi = {tuple(s.bouwstenen) for s in knowledge.signals.values() if len(s.bouwstenen) > 1}
    # The source lists clinging (2, 3), aggression (3, 5) and not tolerating delay (1, 2) twice.
    assert {(2, 3), (3, 5), (1, 2)} <= multi


def test_urgent_help_has_the_dutch_numbers(knowledge):
    phones = " ".join(c.phone or "" for c in knowledge.urgent_help)
    for number in ("112", "113", "0800-0113", "0800-2000", "0800-0432"):
        assert number in phones


@pytest.fixture
def knowledge_copy(tmp_path, knowledge):
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.directory, target)
    return target


def test_a_missing_field_is_named_with_its_file(knowledge_copy):
    path = knowledge_copy / "bouwstenen.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["bouwstenen"][2]["healthy_pole"]["name"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(kb.KnowledgeError) as error:
        kb.Knowledge(knowledge_copy)
    assert "bouwstenen.yml" in str(error.value)
    assert "bouwstenen.2.healthy_pole.name" in str(error.value)


def test_a_wrong_block_number_in_the_lexicon_is_named(knowledge_copy):
    path = knowledge_copy / "lexicon.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["signals"][0]["listed_under"][0]["bouwsteen"] = 7
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(kb.KnowledgeError, match=r"lexicon.yml: field 'signals.0.listed_under.0.bouwsteen'"):
        kb.Knowledge(knowledge_copy)


def test_invalid_yaml_and_missing_files_are_reported(knowledge_copy):
    (knowledge_copy / "organisation.yml").write_text("organisation: [unclosed", encoding="utf-8")
    with pytest.raises(kb.KnowledgeError, match="organisation.yml: not valid YAML"):
        kb.Knowledge(knowledge_copy)
    (knowledge_copy / "organisation.yml").unlink()
    with pytest.raises(kb.KnowledgeError, match="organisation.yml: file not found"):
        kb.Knowledge(knowledge_copy)


@pytest.mark.parametrize("question, expected", [
    ("wat is bouwsteen 3?", [3]),
    ("Wat betekent basisveiligheid?", [1]),
    ("leg bouwsteen vijf eens uit", [5]),
    ("wat is het verschil tussen bouwsteen 2 en 3", [2, 3]),
    ("wat houdt wantrouwen in", [2]),
    ("hoe zit het met de vierde bouwsteen", [4]),
    ("is de derde anders dan bouwsteen 2?", [3, 2]),   # in order of mention
    ("waar gaat de onderste over", [1]),
    ("en de laatste bouwsteen?", [5]),
    ("hij is 5 jaar", []),
])
def test_block_references_in_questions(knowledge, question, expected):
    assert knowledge.find_block_references(question) == expected


@pytest.mark.parametrize("question, expected", [
    ("wat is scheidingsangst eigenlijk", [3]),
    ("hoe leert een kind zich in te leven in een ander", [5]),
    ("heeft ze al genoeg ik-besef?", [4]),
    ("wat is eerst: uitstel leren of op eigen benen staan?", [2, 4]),
    ("hij is 5 jaar", []),
])
def test_block_themes_in_questions(knowledge, question, expected):
    assert knowledge.find_block_themes(question) == expected

