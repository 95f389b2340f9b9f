"""Recognition benchmark on the held-out set (tests/heldout/messages.yml).

Runs the triage CLI (the trained model plus the domain code) over every held-out message and
prints, for it and for a naive baseline that only looks for the source's own behaviour words:
top-1 and top-2 accuracy on behaviour messages, recall per block, the rate of false claims on
denied/off-topic/smalltalk messages, and model questions answered with the right block.

    .venv/bin/python bench/recognition.py [--model models/bouwstenen.tar.gz] [--write docs/recognition.md]
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "heldout" / "messages.yml"
BEHAVIOUR_KINDS = {"child_behaviour", "parent_side", "interaction", "mixed"}
NO_CLAIM_KINDS = {"denied", "off_topic", "smalltalk"}


def load_heldout() -> List[Dict]:
    return yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["messages"]


def triage_cli(messages: List[Dict], model: Path | None = None) -> List[Dict]:
    """Predictions of the real CLI, run as a user runs it."""
    command = [str(ROOT / ".venv" / "bin" / "bouwstenen-triage"), "--jsonl"]
    if model:
        command += ["--model", str(model)]
    stdin = "".join(json.dumps({"text": m["text"]}, ensure_ascii=False) + "\n" for m in messages)
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, cwd=ROOT)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(messages), "the CLI must answer every line"
    return [{"blocks": [b["bouwsteen"] for b in r["bouwstenen"]], "asked": r.get("asked_bouwstenen", []),
             "intent": r["intent"]} for r in records]


def baseline(messages: List[Dict]) -> List[Dict]:
    """Naive baseline: a block is claimed when its source behaviour words occur literally."""
    from bouwstenen import knowledge as kb
    from bouwstenen.text import normalise

    k = kb.load()
    terms = [(normalise(l.source_term), l.bouwsteen) for s in k.signals.values() for l in s.listed_under]
    predictions = []
    for m in messages:
        text = normalise(m["text"])
        counts: Dict[int, int] = defaultdict(int)
        for term, block in terms:
            if term in text:
                counts[block] += 1
        blocks = sorted(counts, key=lambda b: (-counts[b], b))
        asked = k.find_block_references(m["text"]) if m["kind"] == "model_question" else []
        predictions.append({"blocks": blocks, "asked": asked, "intent": None})
    return predictions


def score(messages: List[Dict], predictions: List[Dict]) -> Dict[str, float]:
    behaviour = [(m, p) for m, p in zip(messages, predictions) if m["kind"] in BEHAVIOUR_KINDS]
    no_claim = [(m, p) for m, p in zip(messages, predictions) if m["kind"] in NO_CLAIM_KINDS]
    questions = [(m, p) for m, p in zip(messages, predictions)
                 if m["kind"] == "model_question" and m["bouwstenen"]]
    top1 = sum(bool(p["blocks"]) and p["blocks"][0] in m["bouwstenen"] for m, p in behaviour)
    top2 = sum(bool(set(p["blocks"][:2]) & set(m["bouwstenen"])) for m, p in behaviour)
    figures = {
        "behaviour messages": len(behaviour),
        "top-1 accuracy": top1 / len(behaviour),
        "top-2 accuracy": top2 / len(behaviour),
        "false claims (denied/off-topic/smalltalk)": sum(bool(p["blocks"]) for m, p in no_claim) / len(no_claim),
        "model questions, right block": sum(
            bool(p["asked"]) and p["asked"][0] in m["bouwstenen"] for m, p in questions) / len(questions),
    }
    for block in range(1, 6):
        of_block = [(m, p) for m, p in behaviour if m["bouwstenen"][0] == block]
        figures[f"recall bouwsteen {block}"] = (
            sum(bool(p["blocks"]) and p["blocks"][0] in m["bouwstenen"] for m, p in of_block) / len(of_block)
        )
    return figures


def table(assistant: Dict[str, float], naive: Dict[str, float]) -> str:
    rows = ["| measure | assistant | naive baseline |", "| --- | --- | --- |"]
    for name in assistant:
        fmt = (lambda v: f"{v:.0f}") if name == "behaviour messages" else (lambda v: f"{v:.3f}")
        rows.append(f"| {name} | {fmt(assistant[name])} | {fmt(naive[name])} |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    parser.add_argument("--write", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    messages = load_heldout()
    assistant = score(messages, triage_cli(messages, args.model))
    naive = score(messages, baseline(messages))
    result = table(assistant, naive)
    print(result)
    if args.write:
        # The figures are rewritten; the hand-written sections below them ("## ...") are kept.
        previous = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        kept = previous[previous.index("\n## "):] if "\n## " in previous else ""
        args.write.write_text(
            f"# Recognition on the held-out set\n\n{len(messages)} held-out messages "
            f"(`tests/heldout/messages.yml`), measured {datetime.date.today()} with "
            f"`.venv/bin/python bench/recognition.py --write {args.write}`.\n\n{result}\n{kept}",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
