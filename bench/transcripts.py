"""Writes docs/voorbeeldgesprekken.md: real conversations with the running assistant (scripts/run).

    .venv/bin/python bench/transcripts.py [--url http://localhost:5005]
"""
import argparse
import datetime
import json
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONVERSATIONS = {
    "Gedrag beschrijven, doorvragen en advies": [
        "hoi", "onze dochter van 4 bonkt elke avond met haar hoofd tegen de muur van haar bed",
        "waarom denk je dat?", "wat kan ik doen?",
    ],
    "Gedrag dat bij twee bouwstenen past": [
        "hij hangt de hele dag aan me, hij laat me echt geen moment los", '/clarify{"block": "3"}',
        "vertel meer over deze bouwsteen",
    ],
    "Meerdere beurten": [
        "ze wil overal zelf de baas over zijn", "en ze pikt geld uit mijn tas", "samenvatting",
    ],
    "Een ouder die het zwaar heeft": [
        "ik voel me zo afgewezen door hem, hij duwt me steeds weg", "met een mens praten",
    ],
    "Veiligheid eerst": [
        "ik ben bang dat ik hem iets aandoe als hij zo doorgaat", "nee, zo bedoel ik het niet",
    ],
    "Vragen over het model": [
        "wat is bouwsteen 4?", "wat is het verschil tussen bouwsteen 1 en 2?", "wie heeft dit model bedacht?",
    ],
}


def say(url: str, sender: str, message: str):
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:5005")
    args = parser.parse_args()
    lines = ["# Voorbeeldgesprekken", "",
             f"Echte gesprekken met de assistent (REST-kanaal), opgenomen op {datetime.date.today()} met "
             "`.venv/bin/python bench/transcripts.py`. Elke alinea is een eigen chatballon; knoppen staan "
             "tussen [haken].", ""]
    for title, messages in CONVERSATIONS.items():
        sender = f"voorbeeld-{uuid.uuid4().hex[:8]}"
        lines += [f"## {title}", ""]
        for message in messages:
            lines += [f"**Ouder:** {message}", ""]
            for reply in say(args.url, sender, message):
                text = reply.get("text", "").replace("\n", "  \n> ")
                lines += [f"> **Assistent:** {text}"]
                if reply.get("buttons"):
                    lines += [">", "> " + " ".join(f"[{b['title']}]" for b in reply["buttons"])]
                lines += [""]
    (ROOT / "docs" / "voorbeeldgesprekken.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
