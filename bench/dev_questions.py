"""Model questions of the development set (bench/dev_questions.yml, NOT the held-out set): how
many get the right block first in the triage CLI's ``asked_bouwstenen``, per half.

    .venv/bin/python bench/dev_questions.py [--model models/bouwstenen.tar.gz] [--show]
"""
import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recognition import ROOT, triage_cli  # noqa: E402  (the held-out benchmark's CLI runner)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    parser.add_argument("--show", action="store_true", help="list the questions that miss")
    args = parser.parse_args(argv)
    questions = yaml.safe_load((ROOT / "bench" / "dev_questions.yml").read_text(encoding="utf-8"))["messages"]
    results = triage_cli(questions, args.model)
    for half in sorted({q["half"] for q in questions}):
        pairs = [(q, r) for q, r in zip(questions, results) if q["half"] == half]
        right = [bool(r["asked"]) and r["asked"][0] in q["bouwstenen"] for q, r in pairs]
        print(f"half {half}: {sum(right)} / {len(pairs)} right block first")
        if args.show:
            for (q, r), ok in zip(pairs, right):
                if not ok:
                    print(f"  {r['intent']} {r['asked']} expected {q['bouwstenen']}: {q['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
