"""The assistant's Dutch replies, composed from knowledge/ (never a model fact written here).

A reply is a list of short paragraphs; each becomes its own chat bubble. Buttons go with the
last paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from bouwstenen import knowledge as kb
from bouwstenen.recognition import DENIED, OTHER_PERSON, PAST, SignalMatch
from bouwstenen.scoring import HIGH, LOW, Assessment


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class Reply:
    paragraphs: List[str]
    buttons: List[Button] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


BUTTON_ADVICE = Button("Wat kan ik doen?", "/ask_advice")
BUTTON_MORE = Button("Vertel meer over deze bouwsteen", "/ask_more")
BUTTON_WHY = Button("Waarom denk je dat?", "/ask_why")
BUTTON_HUMAN = Button("Met een mens praten", "/ask_human")

NOT_A_DIAGNOSIS = "Dit is informatie uit het Bouwstenenmodel, geen diagnose."

_STATUS_WORDS = {
    DENIED: "je schrijft dat dit niet speelt",
    PAST: "dat is voorbij, schrijf je",
    OTHER_PERSON: "dat gaat over iemand anders",
}


def _k(knowledge: Optional[kb.Knowledge]) -> kb.Knowledge:
    return knowledge or kb.load()


def _quote_signals(signals: Sequence[SignalMatch]) -> str:
    return "; ".join(f"{s.label} (zo lees ik je bericht, zeker weten doe ik het niet)" if s.guessed
                     else f"{s.label} (\u201c{s.match}\u201d)" for s in signals)


def _join(words: List[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def describe(assessment: Assessment, knowledge: Optional[kb.Knowledge] = None,
             earlier: Sequence[str] = ()) -> Reply:
    """Reply to a description of behaviour: what was heard, the likely block, what next.

    ``earlier``: labels of behaviour heard in earlier turns that count in the assessment."""
    k = _k(knowledge)
    present, not_present = assessment.present, assessment.not_present
    if not assessment.ranked:
        paragraphs = []
        if not_present:
            notes = "; ".join(f"{s.label} ({_STATUS_WORDS[s.status]})" for s in not_present)
            paragraphs.append(f"Ik lees over {notes}. Daar trek ik dus geen conclusie uit.")
        paragraphs.append(
            f"Ik herken hierin (nog) geen gedrag uit het {k.model.name}. Kun je het anders zeggen? "
            "Vertel bijvoorbeeld wat je kind precies deed in een situatie van de afgelopen dagen."
        )
        return Reply(paragraphs, [BUTTON_HUMAN])

    likely = k.block(assessment.ranked[0].bouwsteen)
    paragraphs = []
    parent_side = any(k.signals[s.signal_id].side == "parent" for s in present)
    if parent_side:
        paragraphs.append(k.model.parent_care)
    paragraphs.append(f"Wat ik herken in wat je schrijft: {_quote_signals(present)}.")
    if earlier:
        paragraphs.append(f"Samen met wat je eerder vertelde ({_join(list(earlier))}) kijk ik naar het geheel.")
    if not_present:
        notes = "; ".join(f"{s.label} ({_STATUS_WORDS[s.status]})" for s in not_present)
        paragraphs.append(f"Niet meegeteld: {notes}.")
    sure = {HIGH: "past het best bij", LOW: "past misschien bij"}.get(assessment.confidence, "past vooral bij")
    paragraphs.append(f"Dat {sure} {likely.title}. {likely.short}")
    if parent_side:
        # What a parent feels is part of the interaction with the child: that is where the
        # model speaks about parents.
        paragraphs.append(f"Over jou en je kind samen zegt het model: {likely.interaction}")
    others = [k.block(b.bouwsteen) for b in assessment.ranked[1:]]
    if others:
        paragraphs.append(
            "Het kan ook te maken hebben met " + _join([b.title for b in others]) + ". "
            + _pyramid_note(assessment.start_block, k)
        )
    tied = sorted(b.bouwsteen for b in assessment.ranked if b.score == assessment.ranked[0].score)
    if len(tied) > 1:
        # One short question whose answer settles the ranking (action_clarify).
        paragraphs.append(f"{NOT_A_DIAGNOSIS} Wat je beschrijft past even goed bij "
                          f"{_join([f'bouwsteen {n}' for n in tied])}. Wat herken je het meest?")
        return Reply(paragraphs, [Button(k.block(n).clarify_option, f'/clarify{{"block": "{n}"}}')
                                  for n in tied] + [BUTTON_ADVICE])
    paragraphs.append(f"{NOT_A_DIAGNOSIS} Wil je weten wat je als ouder kunt doen?")
    buttons = [BUTTON_ADVICE, BUTTON_MORE, BUTTON_WHY] + ([BUTTON_HUMAN] if parent_side else [])
    return Reply(paragraphs, buttons)


def parent_feeling_unplaced(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """A parent says how it is for them, but nothing in it maps to the model: care, no claim."""
    k = _k(knowledge)
    return Reply([
        k.model.parent_care,
        "Ik kan wat je schrijft niet aan een bouwsteen koppelen. Wil je vertellen wat je kind doet? "
        "Dan kijk ik welke bouwsteen erbij past.",
        f"Liever met iemand praten? {human_contact_line(k)}",
    ], [BUTTON_HUMAN])


def empty_message() -> Reply:
    return Reply(["Ik kreeg een leeg bericht. Wat wil je vertellen over je kind, of over hoe het met jou gaat?"])


def long_message_note(max_chars: int) -> str:
    return (f"Je bericht is erg lang; ik heb de eerste {max_chars} tekens gelezen. Stuur gerust de "
            "rest in een nieuw bericht.")


def clarified(block: int, blocks: Sequence[int], knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """After the parent chose which block fits best."""
    k = _k(knowledge)
    chosen = k.block(block)
    paragraphs = [f"Dank je, dat helpt. Dan kijk ik vooral naar {chosen.title}. {chosen.short}"]
    lowest = min(blocks) if blocks else block
    if lowest < block:
        paragraphs.append(f"Bouwsteen {lowest} is ook in beeld. {_pyramid_note(lowest, k)}")
    paragraphs.append(f"{NOT_A_DIAGNOSIS} Wil je weten wat je als ouder kunt doen?")
    return Reply(paragraphs, [BUTTON_ADVICE, BUTTON_MORE, BUTTON_WHY])


def _pyramid_note(start_block: Optional[int], k: kb.Knowledge) -> str:
    return f"{k.model.pyramid} Hier zou dat bouwsteen {start_block} zijn."


def advice(blocks: Sequence[int], knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """Parent-side advice, starting at the lowest block in play."""
    k = _k(knowledge)
    if not blocks:
        return Reply(
            ["Vertel eerst wat je kind doet of hoe het met jou gaat. Dan kan ik laten zien welke "
             "bouwsteen erbij past en wat je kunt doen."],
            [BUTTON_HUMAN],
        )
    block = k.block(min(blocks))
    paragraphs = [f"Bij {block.title} kun je als ouder:"]
    paragraphs.append("\n".join(f"- {item}" for item in block.advice))
    if len(set(blocks)) > 1:
        paragraphs.append(
            f"Ik begin bij bouwsteen {block.number}, de laagste die speelt. {k.model.pyramid}"
        )
    paragraphs.append(
        f"Wil je dit met iemand bespreken? {human_contact_line(k)}"
    )
    return Reply(paragraphs, [BUTTON_MORE, BUTTON_HUMAN])


def explain_block(number: int, knowledge: Optional[kb.Knowledge] = None, *, detailed: bool = False) -> Reply:
    """What a block is about; ``detailed`` adds both poles."""
    k = _k(knowledge)
    block = k.block(number)
    paragraphs = [f"{block.title}. {block.short}"]
    if detailed:
        paragraphs.append(f"Als het goed gaat ({block.healthy_pole.name}): {block.healthy_pole.summary}")
        paragraphs.append(f"Als er een gat is ({block.problem_pole.name}): {block.problem_pole.summary}")
        paragraphs.append(f"Wat je dan bij het kind kunt zien: {block.child_behaviour}")
    else:
        paragraphs.append(block.healthy_pole.summary)
    return Reply(paragraphs, [BUTTON_ADVICE, BUTTON_HUMAN] if detailed else [BUTTON_MORE, BUTTON_ADVICE])


def why(signals: Sequence[SignalMatch], blocks: Sequence[int], knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """The words that led to the block(s), and where the source lists them."""
    k = _k(knowledge)
    if not signals or not blocks:
        return Reply(["Ik heb in dit gesprek nog geen gedrag herkend, dus ik heb nog geen bouwsteen genoemd."])
    paragraphs = []
    for s in signals:
        where = _join([f"bouwsteen {n}" for n in s.bouwstenen])
        if s.guessed:
            paragraphs.append(f"Wat je schreef lijkt op wat ouders vertellen over {s.label}, zoals "
                              f"\u201c{s.similar_to}\u201d. Het model noemt dat bij {where}.")
        else:
            paragraphs.append(f"Je schreef \u201c{s.match}\u201d. Dat lees ik als {s.label}; het model noemt dat bij {where}.")
    block = k.block(blocks[0])
    paragraphs.append(f"Zo zie je het in {block.title}: {block.interaction}")
    paragraphs.append(NOT_A_DIAGNOSIS)
    return Reply(paragraphs, [BUTTON_ADVICE])


def overview(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    k = _k(knowledge)
    lines = "\n".join(f"{b.number}. {b.name} \u2013 {b.short}" for b in k.bouwstenen.values())
    return Reply(
        [f"Het {k.model.name} heeft vijf bouwstenen:", lines, k.model.pyramid, k.model.credit],
        block_buttons(k),
    )


def block_buttons(knowledge: Optional[kb.Knowledge] = None) -> List[Button]:
    return [Button(f"Bouwsteen {n}", f"Wat is bouwsteen {n}?") for n in _k(knowledge).bouwstenen]


def difference(a: int, b: int, knowledge: Optional[kb.Knowledge] = None) -> Reply:
    k = _k(knowledge)
    low, high = sorted((a, b))
    first, second = k.block(low), k.block(high)
    return Reply([
        f"{first.title}: {first.short}",
        f"{second.title}: {second.short}",
        k.model.pyramid,
    ], [BUTTON_ADVICE])


def author(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    return Reply([_k(knowledge).model.credit])


def human_contact_line(knowledge: Optional[kb.Knowledge] = None) -> str:
    contact = _k(knowledge).organisation.human_contact
    ways = [w for w in (contact.phone and f"bel {contact.phone}", contact.email and f"mail {contact.email}",
                        contact.url) if w]
    return f"Je kunt {contact.name} bereiken: {_join(ways)} ({contact.when})."


def human_contact(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    return Reply(["Natuurlijk. " + human_contact_line(knowledge)])


def crisis(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    k = _k(knowledge)
    lines = "\n".join(
        f"- {c.name}: {c.phone or c.url} ({c.when})" for c in k.urgent_help
    )
    return Reply([
        "Wat je schrijft klinkt ernstig. Je hoeft dit niet alleen te dragen: praat er nu over met "
        "iemand die kan helpen.",
        lines,
        "Ik ben een chatbot en kan hier niet bij helpen, deze mensen wel.",
    ])


def summary(card: Dict, knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """What the assistant heard in this conversation and where it points: the facts of the
    staff's triage card (bouwstenen.card), in a few sentences for the parent."""
    k = _k(knowledge)
    if card["risk"]:
        return crisis(k)
    if not card["signals"] or not card["bouwstenen"]:
        return Reply(["Ik heb in dit gesprek nog geen gedrag herkend. Vertel gerust wat je kind doet."])
    heard = "; ".join(f"{s['label']} (zo las ik je bericht)" if s.get("via") else
                      f"{s['label']} (\u201c{s['match']}\u201d)" for s in card["signals"])
    blocks = [b["bouwsteen"] for b in card["bouwstenen"]]
    paragraphs = [f"Wat ik tot nu toe hoorde: {heard}."]
    paragraphs.append("Dat wijst naar " + _join([k.block(n).title for n in blocks]) + ".")
    if len(blocks) > 1:
        paragraphs.append(f"Steun begint bij de laagste: bouwsteen {card['start_bouwsteen']}.")
    if card["set_aside"]:
        paragraphs.append("Niet meegeteld, omdat het ontkend, voorbij of over iemand anders was: "
                          + _join(list(dict.fromkeys(s["label"] for s in card["set_aside"]))) + ".")
    paragraphs.append(NOT_A_DIAGNOSIS)
    return Reply(paragraphs, [BUTTON_ADVICE, BUTTON_HUMAN])


def technical_problem(knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """When a turn produced no answer at all: never leave a parent in silence."""
    return Reply([
        "Sorry, er ging iets mis aan mijn kant. Probeer het zo nog eens. "
        f"Wil je liever iemand spreken? {human_contact_line(knowledge)}"
    ])


def other_language(text: str, knowledge: Optional[kb.Knowledge] = None) -> Reply:
    """A short answer in the parent's language (guessed from common words; English by default)."""
    k = _k(knowledge)
    words = set(re.findall(r"\w+", (text or "").lower()))
    language = max(k.languages, key=lambda lang: len(words & set(lang.words)))
    if not words & set(language.words):
        language = k.languages[0]
    contact = k.organisation.human_contact
    return Reply([f"{language.reply} " + ", ".join(v for v in (contact.phone, contact.email) if v)])
