"""Recognition on the fresh sets (bench/fresh_messages.yml): writers nothing was trained or tuned
on, beside the held-out set. Runs the triage CLI and prints per set: top-1 and top-2 accuracy of
the describing messages (a block of one of their expected signals), how many get no block, and
the false claims on messages that must claim nothing.

    .venv/bin/python bench/fresh_sets.py [--model models/bouwstenen.tar.gz]
"""
import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lexicon_devset import NO_CLAIM_KINDS  # noqa: E402  (same kinds as the development set)
from recognition import ROOT, triage_cli  # noqa: E402  (the held-out benchmark's CLI runner)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    args = parser.parse_args(argv)
    from bouwstenen import knowledge as kb

    signals = kb.load().signals
    messages = yaml.safe_load((ROOT / "bench" / "fresh_messages.yml").read_text(encoding="utf-8"))["messages"]
    per_set = defaultdict(Counter)
    for m, p in zip(messages, triage_cli(messages, args.model)):
        counts = per_set[m["set"]]
        if m["kind"] in NO_CLAIM_KINDS:
            counts["must claim nothing"] += 1
            counts["false claims"] += bool(p["blocks"])
            continue
        expected = {b for signal_id in m["expect"] for b in signals[signal_id].bouwstenen}
        counts["describing"] += 1
        counts["top-1"] += bool(p["blocks"]) and p["blocks"][0] in expected
        counts["top-2"] += bool(set(p["blocks"][:2]) & expected)
        counts["no block"] += not p["blocks"]
    print("| set | describing | top-1 | top-2 | no block | false claims |")
    print("| --- | --- | --- | --- | --- | --- |")
    for number, c in sorted(per_set.items()):
        print(f"| {number} | {c['describing']} | {c['top-1'] / c['describing']:.3f} | "
              f"{c['top-2'] / c['describing']:.3f} | {c['no block']} | "
              f"{c['false claims']} / {c['must claim nothing']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
