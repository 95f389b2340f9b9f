"""Privacy: personal data out of what is stored, and conversations that do not outlive their use.

`redact` removes e-mail addresses, phone numbers, BSN, IBAN, postcodes and street addresses from
a parent's message before Rasa sees it, so none of it reaches the tracker store, the action server
or a log. The command `bouwstenen-privacy` erases one conversation or expires old ones:

    bouwstenen-privacy erase <conversatie-id>
    bouwstenen-privacy expire --days 30
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import Optional

# Order matters: the longer, more specific patterns first (an IBAN contains digit runs).
# Every repetition is bounded, so a 50,000-character run cannot make a pattern backtrack for seconds.
_PATTERNS = [
    ("[e-mailadres]", re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)),
    ("[IBAN]", re.compile(r"\b[A-Z]{2}\d{2}[ ]?(?:[A-Z0-9]{4}[ ]?){2,7}[A-Z0-9]{1,4}\b", re.IGNORECASE)),
    # Dutch and Belgian phone numbers: +31/0031/0 followed by 9 digits, in the usual groupings.
    ("[telefoonnummer]", re.compile(
        r"(?<![\w+])(?:\+|00)3[12][\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){7,8}(?!\w)"
        r"|(?<![\w+])0\d(?:[\s.-]?\d){8}(?!\w)")),
    ("[BSN]", re.compile(r"(?<!\w)\d{3}[\s.]?\d{2}[\s.]?\d{2}[\s.]?\d{2}(?!\w)")),
    ("[postcode]", re.compile(r"\b[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|[a-z]{2})\b")),
    # A street name ending in a common Dutch street word, then a house number.
    ("[adres]", re.compile(
        r"\b[A-Z][\w'-]{0,40}?(?:straat|laan|weg|plein|gracht|kade|singel|dreef|pad|hof|dijk|steeg|"
        r"markt|park|veld|baan|lei|steenweg|wal|erf|dam)\s+\d{1,5}(?:\s?[a-zA-Z](?!\w))?(?:[-/]\d+)?",
        re.UNICODE)),
]


def redact(text: str) -> str:
    """The message with personal data replaced by a placeholder that says what was there."""
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def main(argv: Optional[list] = None) -> int:
    from bouwstenen import conversations

    parser = argparse.ArgumentParser(prog="bouwstenen-privacy",
                                     description="Gesprekken wissen in de tracker store van Rasa.")
    parser.add_argument("--endpoints", default=str(conversations.ENDPOINTS),
                        help="endpoints-bestand met de tracker store (standaard: endpoints.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    erase = commands.add_parser("erase", help="wis één gesprek")
    erase.add_argument("conversation_id")
    expire = commands.add_parser("expire", help="wis gesprekken die langer dan N dagen stil zijn")
    expire.add_argument("--days", type=float, required=True)
    args = parser.parse_args(argv)

    store = conversations.open_tracker_store(args.endpoints)
    try:
        if args.command == "erase":
            removed = conversations.erase(store, args.conversation_id)
            print(f"Gesprek {args.conversation_id}: {removed} gebeurtenissen gewist." if removed
                  else f"Geen gesprek met id {args.conversation_id} gevonden.")
        else:
            if args.days < 0:
                parser.error("--days moet 0 of meer zijn")
            removed = conversations.expire(store, args.days)
            print(f"{removed} gesprekken ouder dan {args.days:g} dagen gewist.")
    except conversations.UnsupportedStore as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
