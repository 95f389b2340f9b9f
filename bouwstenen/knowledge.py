"""The Bouwstenenmodel, the behaviour lexicon and the organisation's settings, from knowledge/.

Every fact the assistant states comes from these files. Loading validates them; an error names
the file and the field.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Dict, List, Literal, Optional, Tuple

import yaml
from pydantic import BaseModel, ValidationError, conlist, constr, root_validator, validator

from bouwstenen.paths import KNOWLEDGE_DIR

Text = constr(strip_whitespace=True, min_length=1)
BlockNumber = Literal[1, 2, 3, 4, 5]


class KnowledgeError(ValueError):
    """A knowledge file is missing, not YAML, or does not match its schema."""


class _Frozen(BaseModel):
    class Config:
        frozen = True
        extra = "forbid"


# --- bouwstenen.yml -------------------------------------------------------------------------

class Pole(_Frozen):
    name: Text
    summary: Text
    child: Optional[str] = None
    parents: Optional[str] = None


class Bouwsteen(_Frozen):
    number: BlockNumber
    name: Text
    short: Text
    clarify_option: Text
    healthy_pole: Pole
    problem_pole: Pole
    child_behaviour: Text
    parent_behaviour: str
    interaction: Text
    advice: conlist(Text, min_items=1)
    themes: conlist(Text, min_items=1)
    follow_up_questions: conlist(Text, min_items=1)

    @property
    def title(self) -> str:
        """'Bouwsteen 1: basisveiligheid of angst'."""
        return f"Bouwsteen {self.number}: {self.name}"


class ModelInfo(_Frozen):
    name: Text
    author: Text
    credit: Text
    pyramid: Text
    parent_care: Text


class ModelFile(_Frozen):
    model: ModelInfo
    bouwstenen: conlist(Bouwsteen, min_items=5, max_items=5)

    @validator("bouwstenen")
    def numbered_one_to_five(cls, blocks):
        if [b.number for b in blocks] != [1, 2, 3, 4, 5]:
            raise ValueError("blocks must be numbered 1 to 5, in order")
        return blocks


# --- lexicon.yml ----------------------------------------------------------------------------

class Listing(_Frozen):
    bouwsteen: BlockNumber
    source_term: Text


class Signal(_Frozen):
    id: constr(regex=r"^[a-z][a-z0-9_]*$")
    label: Text
    side: Literal["child", "parent"]
    listed_under: conlist(Listing, min_items=1)
    phrases: conlist(Text, min_items=1)
    # Whole sentences as parents write them: the phrases must recognise them (a test checks).
    examples: List[Text] = []

    @property
    def bouwstenen(self) -> List[int]:
        """The blocks the source lists this behaviour under, lowest first."""
        return sorted({listing.bouwsteen for listing in self.listed_under})


class Cues(_Frozen):
    """Phrases (same syntax as signals) that change what a matched signal means."""
    negation: conlist(Text, min_items=1)        # near the behaviour: it is denied
    denial: List[Text] = []                     # anywhere in its clause: "ik merk niet dat ..."
    denied_later: List[Text] = []               # in a following clause: "dat doet hij niet"
    past: conlist(Text, min_items=1)            # in the same clause: it is over
    resolved_later: conlist(Text, min_items=1)  # in a following clause: "maar dat is voorbij"
    other_person: conlist(Text, min_items=1)    # before it in the same clause: someone else


class LexiconFile(_Frozen):
    cues: Cues
    signals: conlist(Signal, min_items=1)

    @validator("signals")
    def unique_ids(cls, signals):
        seen = set()
        for signal in signals:
            if signal.id in seen:
                raise ValueError(f"signal id '{signal.id}' is used twice")
            seen.add(signal.id)
        return signals


# --- safety.yml -----------------------------------------------------------------------------

class RiskCategory(_Frozen):
    id: constr(regex=r"^[a-z][a-z0-9_]*$")
    label: Text
    phrases: conlist(Text, min_items=1)


class SafetyFile(_Frozen):
    categories: conlist(RiskCategory, min_items=1)


# --- languages.yml --------------------------------------------------------------------------

class Language(_Frozen):
    code: constr(regex=r"^[a-z]{2}$")
    words: conlist(Text, min_items=3)
    reply: Text


class LanguagesFile(_Frozen):
    languages: conlist(Language, min_items=1)


# --- organisation.yml -----------------------------------------------------------------------

class Contact(_Frozen):
    name: Text
    phone: Optional[str] = None
    email: Optional[str] = None
    url: Optional[str] = None
    when: Text

    @root_validator(skip_on_failure=True)
    def reachable(cls, values):
        if not (values.get("phone") or values.get("email") or values.get("url")):
            raise ValueError("a contact needs a phone, email or url")
        return values


class Organisation(_Frozen):
    name: Text
    human_contact: Contact
    privacy_url: Optional[str] = None


class OrganisationFile(_Frozen):
    organisation: Organisation
    urgent_help: conlist(Contact, min_items=1)


# --- loading --------------------------------------------------------------------------------

def _read(path: Path, schema):
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path}: not valid YAML: {error}") from None
    try:
        return schema.parse_obj(raw if raw is not None else {})
    except ValidationError as error:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in error.errors()
        )
        raise KnowledgeError(f"{path}: {problems}") from None


class Knowledge:
    """All of knowledge/, validated, with look-ups the rest of the code needs."""

    def __init__(self, directory: Path = KNOWLEDGE_DIR):
        self.directory = Path(directory)
        model = _read(self.directory / "bouwstenen.yml", ModelFile)
        self.model: ModelInfo = model.model
        self.bouwstenen: Dict[int, Bouwsteen] = {b.number: b for b in model.bouwstenen}
        lexicon = _read(self.directory / "lexicon.yml", LexiconFile)
        self.signals: Dict[str, Signal] = {s.id: s for s in lexicon.signals}
        self.cues: Cues = lexicon.cues
        self.risk_categories: Dict[str, RiskCategory] = {
            c.id: c for c in _read(self.directory / "safety.yml", SafetyFile).categories
        }
        self.languages: List[Language] = list(_read(self.directory / "languages.yml", LanguagesFile).languages)
        organisation = _read(self.directory / "organisation.yml", OrganisationFile)
        self.organisation: Organisation = organisation.organisation
        self.urgent_help: List[Contact] = list(organisation.urgent_help)

    def block(self, number: int) -> Bouwsteen:
        return self.bouwstenen[number]

    def find_block_references(self, text: str) -> List[int]:
        """Blocks a question names, by number ('bouwsteen 3', 'de derde') or pole/block name,
        in order of mention."""
        from bouwstenen.text import normalise

        normalised = normalise(text)
        found = [(m.start(), int(m.group(1))) for m in re.finditer(
            r"\b(?:bouwstenen|bouwsteen|blok|fase|nummer|en|of|met)\s+([1-5])\b", normalised)]
        for number, word in enumerate(_NUMBER_WORDS, start=1):
            found += [(m.start(), number) for m in re.finditer(
                rf"\b(?:bouwsteen|blok|fase)\s+{word}\b|\b{_ORDINALS[number - 1]}\b", normalised)]
        found += [(m.start(), number) for pattern, number in _POSITIONS for m in re.finditer(pattern, normalised)]
        for block in self.bouwstenen.values():
            for pole in (block.healthy_pole.name, block.problem_pole.name):
                found += [(m.start(), block.number)
                          for m in re.finditer(rf"\b{re.escape(normalise(pole))}\b", normalised)]
        return list(dict.fromkeys(number for _, number in sorted(found)))  # unique

    def find_block_themes(self, text: str) -> List[int]:
        """Blocks whose themes (``themes`` in bouwstenen.yml) a question uses, in order of
        mention: "wat is eenkennigheid?" is about block 2."""
        from bouwstenen.text import normalise

        normalised = normalise(text)
        found = [(m.start(), number) for pattern, number in self._theme_patterns
                 for m in pattern.finditer(normalised)]
        return list(dict.fromkeys(number for _, number in sorted(found)))

    @functools.cached_property
    def _theme_patterns(self) -> List[Tuple["re.Pattern", int]]:
        return [(_phrase_pattern(theme), block.number)
                for block in self.bouwstenen.values() for theme in block.themes]


def _phrase_pattern(phrase: str) -> "re.Pattern":
    """A theme phrase as a regular expression: its words adjacent and in order; ``a|b``
    alternatives, ``word*`` a prefix."""
    from bouwstenen.text import normalise

    words = [
        "(?:" + "|".join(re.escape(a[:-1]) + r"\w*" if a.endswith("*") else re.escape(a)
                         for a in word.split("|") if a) + ")"
        for word in normalise(phrase).split()
    ]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?!\w)")


# Positions in the pyramid a question may name a block by.
_POSITIONS = [(r"\bonderste\b", 1), (r"\b(?:bovenste|hoogste|laatste)\s+(?:bouwsteen|blok|fase)\b", 5)]
_NUMBER_WORDS = ("een", "twee", "drie", "vier", "vijf")
_ORDINALS = ("eerste", "tweede", "derde", "vierde", "vijfde")


@functools.lru_cache(maxsize=None)
def load(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """The knowledge, loaded and validated once per process."""
    return Knowledge(Path(directory))
