"""bouwstenen-triage: one JSON object per input message, for helpline staff and batch work.

    bouwstenen-triage < berichten.txt            # one message per line
    bouwstenen-triage --jsonl < berichten.jsonl  # JSON lines with a "text" field

Output per line, in input order: {"text", "intent", "signals": [{"id", "label", "bouwstenen",
"match", "status"}], "bouwstenen": [{"bouwsteen", "naam", "score"}] (best first, empty when no
block may be claimed), "risk", "confidence", "start_bouwsteen", "asked_bouwstenen"}; with
"error" added for a line that could not be read. The intent comes from the trained Rasa model
(loaded once per run); everything else from the same domain code as the chat.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, TextIO

from bouwstenen.paths import MODELS_DIR
from bouwstenen.text import MAX_CHARS


def load_intent_parser(model: Optional[Path]) -> Callable[[str], Optional[str]]:
    """A function text -> intent name, backed by the trained Rasa model (loaded once)."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.disable(logging.WARNING)
    import structlog

    # Rasa logs parse results through structlog to stdout; stdout is for our JSON only.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    from rasa.core.agent import Agent
    from rasa.model import get_latest_model

    path = model or get_latest_model(str(MODELS_DIR))
    if not path or not Path(path).exists():
        raise SystemExit(
            f"Geen getraind model gevonden in {MODELS_DIR}. Train er eerst een: .venv/bin/rasa train"
        )
    agent = Agent.load(str(path))
    loop = asyncio.new_event_loop()

    def parse(text: str) -> Optional[str]:
        result = loop.run_until_complete(agent.parse_message(text[:MAX_CHARS]))
        return (result.get("intent") or {}).get("name")

    return parse


def read_messages(lines: Iterable[str], jsonl: bool) -> Iterator[tuple]:
    """(text, error) per input line."""
    for line in lines:
        line = line.rstrip("\r\n")
        if not jsonl:
            yield line, None
            continue
        if not line.strip():
            yield "", None
            continue
        try:
            data = json.loads(line)
            text = data.get("text") if isinstance(data, dict) else None
        except json.JSONDecodeError as error:
            yield "", f"geen geldige JSON: {error.msg}"
            continue
        if not isinstance(text, str):
            yield "", 'geen tekstveld "text" in dit JSON-object'
        else:
            yield text, None


CSV_COLUMNS = ["text", "intent", "risk", "bouwsteen", "naam", "score", "confidence",
               "start_bouwsteen", "signals", "error"]


CARD_SEPARATOR = "\n" + "=" * 72 + "\n\n"


def as_text(text: str, intent: Optional[str]) -> str:
    """The staff's triage card for one message, as text (the same card as the staff page)."""
    from bouwstenen.card import build_card, card_as_text

    return card_as_text(build_card([text], [intent])) + CARD_SEPARATOR


def as_csv_row(record: dict) -> list:
    best = record["bouwstenen"][0] if record["bouwstenen"] else {}
    signals = "; ".join(f"{s['id']}:{s['status']}" for s in record["signals"])
    return [record["text"], record["intent"] or "", record["risk"] or "", best.get("bouwsteen", ""),
            best.get("naam", ""), best.get("score", ""), record["confidence"] or "",
            record["start_bouwsteen"] or "", signals, record.get("error", "")]


def run(stdin: TextIO, stdout: TextIO, jsonl: bool, parse_intent: Callable[[str], Optional[str]],
        output_format: str = "json") -> int:
    from bouwstenen.dialogue import triage_record

    writer = csv.writer(stdout) if output_format == "csv" else None
    if writer:
        writer.writerow(CSV_COLUMNS)
    for text, error in read_messages(stdin, jsonl):
        intent = parse_intent(text) if text.strip() else None
        record = triage_record(text, intent)
        if error:
            record["error"] = error
        if writer:
            writer.writerow(as_csv_row(record))
        elif output_format == "text":
            stdout.write(as_text(text, intent))
        else:
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bouwstenen-triage",
        description="Herkent gedrag en bouwstenen in berichten van ouders (één JSON-object per regel).",
    )
    parser.add_argument("--jsonl", action="store_true", help='invoer is JSON lines met een veld "text"')
    parser.add_argument("--model", type=Path, help="getraind Rasa-model (standaard: het nieuwste in models/)")
    parser.add_argument("--format", choices=["json", "text", "csv"], default="json",
                        help="json: één JSON-object per regel (standaard); text: leesbare kaart; csv: tabel")
    args = parser.parse_args(argv)
    # Invalid UTF-8 in the input must not stop a batch: undecodable bytes become U+FFFD.
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    return run(stdin, sys.stdout, args.jsonl, load_intent_parser(args.model), args.format)


if __name__ == "__main__":
    sys.exit(main())
