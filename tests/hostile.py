"""A generated set of hostile or odd messages, the same on every run (fixed seed)."""
from __future__ import annotations

import random
from typing import List

DUTCH = [
    "hij bonkt met zijn hoofd tegen de muur", "ze laat me geen seconde los",
    "wat kan ik doen?", "alles moet precies zoals zij het wil", "hij pikt geld uit mijn tas",
    "ik kan niet meer", "waarom denk je dat?", "wat is bouwsteen 3?",
]
OTHER_LANGUAGES = [
    "hello, can you help me?", "Bonjour, mon fils frappe sa tête", "Hola, ¿me puedes ayudar?",
    "Guten Tag, meine Tochter schreit", "Merhaba, oğlum çok agresif", "Cześć, mój syn kradnie",
    "مرحبا، ابني يضرب رأسه", "你好，我的女儿不睡觉", "Привет, мой сын кусается", "こんにちは",
]
MARKUP = [
    "<img src=x onerror=alert(1)>", "<script>alert('x')</script>", "**vet** _schuin_ `code`",
    "[klik](javascript:alert(1))", "<a href=\"https://evil.example\">hier</a>", "&lt;b&gt;&amp;",
    "{{7*7}} ${7*7} <%= 7*7 %>", "<iframe src=//evil.example></iframe>", "# kop\n- lijst\n> quote",
]
SQL_LIKE = [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "1; SELECT * FROM events",
    "robert'); DELETE FROM events WHERE ('1'='1", "UNION SELECT sender_id FROM events",
]
COMMANDS = [
    "/restart", "/greet", "/crisis", "/ask_human", "/clarify{\"block\": \"9\"}", "/clarify{bad json",
    "/nonexistent_intent", "/action_describe", "describe_behaviour", "nlu_fallback", "/", "//",
    "/session_start", "/stop", "/clarify{\"block\": \"<script>\"}",
]
CONTROL = ["\x00", "\x07\x08", "\u200b\u200b", "\ufeff", "\x1b[31mrood\x1b[0m", "\r\n\r\n", "\t\t"]
RTL = ["\u202e\u05e9\u05dc\u05d5\u05dd", "\u202ekcabdeef", "שלום, הבן שלי מכה", "\u200fمرحبا\u200f"]
EMOJI = ["😀", "😭😭😭", "👍", "🧒🏽💔", "🙂🙃🙂🙃🙂", "🏳️‍🌈", "❤️‍🔥" * 20]
BLANK = ["", " ", "   ", "\n", "\t", "\u00a0", "\u3000"]


def hostile_messages(count: int = 1000, seed: int = 2026) -> List[str]:
    """`count` messages: every fixed sample once, then random mixtures of them, some very long."""
    rng = random.Random(seed)
    fixed = OTHER_LANGUAGES + MARKUP + SQL_LIKE + COMMANDS + CONTROL + RTL + EMOJI + BLANK
    fixed += ["x" * 10_000, "hij bonkt met zijn hoofd. " * 600, "🙂" * 12_000, "a" * 50_000]
    pools = [DUTCH, OTHER_LANGUAGES, MARKUP, SQL_LIKE, COMMANDS, CONTROL, RTL, EMOJI, BLANK]
    messages = list(fixed)
    while len(messages) < count:
        parts = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 4))]
        message = rng.choice([" ", "", "\n"]).join(parts)
        if rng.random() < 0.03:
            message = message * rng.randint(200, 800)  # long, often over the limit
        messages.append(message)
    return messages[:count]
