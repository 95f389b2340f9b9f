"""Keep the responses in domain.yml that state organisation or model facts in step with knowledge/.

Some replies must work without the action server (the crisis reply above all), so they are domain
responses. Their text is rendered from knowledge/ by this module into the block of domain.yml
between the two marker lines; a unit test fails when that block is out of date.

    .venv/bin/python -m bouwstenen.domain_sync          # rewrite the block
    .venv/bin/python -m bouwstenen.domain_sync --check  # exit 1 when it is out of date
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from bouwstenen import knowledge as kb
from bouwstenen import replies
from bouwstenen.paths import DOMAIN_FILE

BEGIN = "  # BEGIN generated from knowledge/ by `python -m bouwstenen.domain_sync`: do not edit by hand\n"
END = "  # END generated\n"


def _response(reply: replies.Reply) -> List[Dict]:
    message: Dict = {"text": reply.text}
    if reply.buttons:
        message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    return [message]


def generated_responses(knowledge: Optional[kb.Knowledge] = None) -> Dict[str, List[Dict]]:
    k = knowledge or kb.load()
    contact = replies.human_contact_line(k)
    return {
        "utter_crisis": _response(replies.crisis(k)),
        "utter_crisis_followup": _response(replies.Reply([
            "Dank je dat je het zegt, dan begreep ik je verkeerd. De nummers hierboven blijven "
            "gelden, mocht je ze ooit nodig hebben.",
            "Vertel gerust verder: wat doet je kind, of hoe gaat het met jou?",
        ])),
        "utter_greet": _response(replies.Reply([
            "Hoi! Ik ben de Bouwstenen-assistent, een chatbot en geen mens. Ik leg het "
            f"{k.model.name} van {k.model.author} uit.",
            f"{replies.NOT_A_DIAGNOSIS} Typ liever geen namen of andere gegevens waaraan iemand "
            "te herkennen is.",
            f"Liever met een mens praten? {contact}",
            "Vertel maar: wat doet je kind, of hoe gaat het met jou?",
        ])),
        "utter_human_contact": _response(replies.human_contact(k)),
        # The second "not understood" in a row: no third request to rephrase, but a way on.
        "utter_default": _response(replies.Reply(
            ["Ik begrijp je nog steeds niet goed, sorry. Kies hieronder een bouwsteen om over te "
             f"lezen, of praat met een mens: {contact}"],
            replies.block_buttons(k) + [replies.BUTTON_HUMAN],
        )),
        "utter_author": _response(replies.author(k)),
        "utter_bot": _response(replies.Reply([
            f"Ik ben een chatbot, geen mens. {replies.NOT_A_DIAGNOSIS}",
            f"Wil je met een mens praten? {contact}",
        ])),
        "utter_out_of_scope": _response(replies.Reply([
            "Daar kan ik je helaas niet mee helpen. Ik weet alleen iets over het "
            f"{k.model.name}: hechting en het gedrag van je kind.",
            f"Voor andere vragen: {contact}",
        ])),
    }


def render(knowledge: Optional[kb.Knowledge] = None) -> str:
    body = yaml.safe_dump(generated_responses(knowledge), allow_unicode=True, sort_keys=True, width=100)
    return BEGIN + "".join(f"  {line}\n" for line in body.splitlines()) + END


def current_block(domain_text: str) -> str:
    start, end = domain_text.index(BEGIN), domain_text.index(END) + len(END)
    return domain_text[start:end]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bouwstenen.domain_sync")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    parser.add_argument("--domain", type=Path, default=DOMAIN_FILE)
    args = parser.parse_args(argv)
    text = args.domain.read_text(encoding="utf-8")
    wanted = render()
    if current_block(text) == wanted:
        return 0
    if args.check:
        print(f"{args.domain}: generated responses are out of date; run python -m bouwstenen.domain_sync")
        return 1
    args.domain.write_text(text.replace(current_block(text), wanted), encoding="utf-8")
    print(f"{args.domain}: generated responses updated; retrain the model (rasa train)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
