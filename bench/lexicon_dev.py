"""Lexicon development check on the training examples in data/nlu/ (NOT the held-out set).

Prints how many describe_behaviour / describe_parent_feeling examples get no present signal
(recall gaps), and which smalltalk / off-topic / question examples wrongly get one (false hits).

    .venv/bin/python bench/lexicon_dev.py [--show N]
"""
import argparse
from pathlib import Path

import yaml

from bouwstenen.recognition import default_recogniser

ROOT = Path(__file__).resolve().parent.parent
DESCRIBING = {"describe_behaviour", "describe_parent_feeling"}
NEVER = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope",
         "other_language", "ask_block", "ask_overview", "ask_difference", "ask_author", "ask_advice",
         "ask_why", "ask_more", "ask_human", "restart", "summary", "frustration"}


def examples():
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in item.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    yield item["intent"], line.strip()[2:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=40)
    args = parser.parse_args()
    recognise = default_recogniser().recognise
    gaps, false_hits, total = [], [], 0
    for intent, text in examples():
        present = [m for m in recognise(text) if m.present]
        if intent in DESCRIBING:
            total += 1
            if not present:
                gaps.append(text)
        elif intent in NEVER and present:
            false_hits.append((text, [m.signal_id for m in present]))
    print(f"describing examples without a present signal: {len(gaps)} / {total}")
    for text in gaps[: args.show]:
        print("   gap:", text)
    print(f"false hits on other intents: {len(false_hits)}")
    for text, ids in false_hits[: args.show]:
        print("   false:", text, ids)


if __name__ == "__main__":
    main()
