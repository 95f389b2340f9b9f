"""The held-out set measures recognition on messages the model never trained on."""
import re
from pathlib import Path

import yaml

from bouwstenen.text import normalise

ROOT = Path(__file__).resolve().parents[2]


def _key(text):
    return re.sub(r"[^a-z0-9 ]", "", normalise(text)).strip()


def test_no_heldout_sentence_is_in_the_training_data_or_the_knowledge():
    heldout = yaml.safe_load((ROOT / "tests" / "heldout" / "messages.yml").read_text(encoding="utf-8"))
    held = {_key(m["text"]) for m in heldout["messages"]}
    training = set()
    for path in list((ROOT / "data").rglob("*.yml")) + [ROOT / "knowledge" / "lexicon.yml"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("- "):
                training.add(_key(line[2:].strip('"')))
    # The labelled descriptions the similarity fallback learns from are training data too.
    descriptions = yaml.safe_load((ROOT / "knowledge" / "descriptions.yml").read_text(encoding="utf-8"))
    training |= {_key(m["text"]) for m in descriptions["messages"]}
    overlap = held & training
    assert len(held) >= 300
    assert not overlap, f"held-out sentences found in data/: {sorted(overlap)[:5]}"


def test_heldout_labels_are_valid():
    heldout = yaml.safe_load((ROOT / "tests" / "heldout" / "messages.yml").read_text(encoding="utf-8"))
    kinds = {"child_behaviour", "parent_side", "interaction", "mixed", "denied", "off_topic",
             "smalltalk", "model_question"}
    for m in heldout["messages"]:
        assert m["kind"] in kinds
        assert set(m["bouwstenen"]) <= {1, 2, 3, 4, 5}
        if m["kind"] in {"denied", "off_topic", "smalltalk"}:
            assert m["bouwstenen"] == []
