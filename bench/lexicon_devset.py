"""Lexicon check on the development set knowledge/descriptions.yml (NOT the held-out set).

Prints, for the describing messages: how many get any present signal, how many get one of their
expected signals, and the recall of expected signals (overall, per block and per side); for the
messages that must claim nothing (denied, someone else, off topic, smalltalk): how many wrongly
get a present signal. With --show, lists the misses and the false claims. Messages carry an
optional `set` (1 when absent): set 2 was written after the first round of lexicon changes, as a
fresh check; --set N scores one set only.

    .venv/bin/python bench/lexicon_devset.py [--show] [--set N]
"""
import argparse
from collections import defaultdict
from pathlib import Path

import yaml

from bouwstenen import knowledge as kb
from bouwstenen.recognition import default_recogniser
from bouwstenen.scoring import assess

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "knowledge" / "descriptions.yml"
NO_CLAIM_KINDS = {"denied", "other_person", "off_topic", "smalltalk"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list missed signals and false claims")
    parser.add_argument("--set", type=int, help="score only the messages of this set")
    args = parser.parse_args()
    signals = kb.load().signals
    messages = yaml.safe_load(DEV.read_text(encoding="utf-8"))["messages"]
    if args.set is not None:
        messages = [m for m in messages if m.get("set", 1) == args.set]
    recognise = default_recogniser().recognise
    describing = any_hit = own_hit = top1 = 0
    expected_total = expected_found = 0
    per_block, per_side = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    misses, false_claims, no_claim = [], [], 0
    for m in messages:
        unknown = [s for s in m["expect"] if s not in signals]
        assert not unknown, f"unknown signal ids {unknown} in: {m['text']}"
        matches = recognise(m["text"])
        present = {s.signal_id for s in matches if s.present}
        if m["kind"] in NO_CLAIM_KINDS:
            no_claim += 1
            if present:
                false_claims.append((m["text"], sorted(present)))
            continue
        describing += 1
        any_hit += bool(present)
        own_hit += bool(present & set(m["expect"]))
        expected_blocks = {b for sid in m["expect"] for b in signals[sid].bouwstenen}
        ranked = assess(matches).blocks
        top1 += bool(ranked) and ranked[0] in expected_blocks
        for signal_id in m["expect"]:
            found = signal_id in present
            expected_total += 1
            expected_found += found
            signal = signals[signal_id]
            per_side[signal.side][0] += found
            per_side[signal.side][1] += 1
            for block in sorted(set(signal.bouwstenen)):
                per_block[block][0] += found
                per_block[block][1] += 1
            if not found:
                misses.append((signal_id, m["text"], sorted(present)))
    print(f"describing messages: {describing}")
    describing = max(describing, 1)  # a set of messages that must claim nothing only
    expected_total = max(expected_total, 1)
    print(f"  with any present signal:       {any_hit:4d}  ({any_hit / describing:.3f})")
    print(f"  with an expected signal:       {own_hit:4d}  ({own_hit / describing:.3f})")
    print(f"  likeliest block is an expected one: {top1:4d}  ({top1 / describing:.3f})")
    print(f"  expected signals recognised:   {expected_found:4d} / {expected_total}  "
          f"({expected_found / expected_total:.3f})")
    for block in sorted(per_block):
        found, total = per_block[block]
        print(f"    bouwsteen {block}: {found:3d} / {total:3d}  ({found / total:.3f})")
    for side in sorted(per_side):
        found, total = per_side[side]
        print(f"    side {side:6s}: {found:3d} / {total:3d}  ({found / total:.3f})")
    print(f"false claims on messages that must claim nothing: {len(false_claims)} / {no_claim}")
    if args.show:
        for signal_id, text, present in misses:
            print(f"   miss {signal_id}: {text}  -> {present}")
        for text, present in false_claims:
            print(f"   false: {text}  -> {present}")


if __name__ == "__main__":
    main()
