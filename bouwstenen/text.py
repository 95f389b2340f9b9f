"""Normalisation and Dutch analysis of a message into clauses of tokens with lemmas."""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

from bouwstenen import nlp

# Clause boundaries: sentence punctuation, and conjunctions that start a new thought. A comma
# alone is no boundary ("hij bonkt, schreeuwt en wiegt" is one description).
_BOUNDARY_WORDS = {
    "maar", "want", "omdat", "terwijl", "alhoewel", "hoewel", "als", "wanneer", "zodra", "tenzij",
}
_SUBJECTS = {"hij", "ze", "zij", "ik", "we", "wij", "het", "mijn", "onze", "ons"}
_SENTENCE_END = {".", "!", "?", ";", "\n"}

# Messages longer than this are analysed in their first part only (a chat message that long is
# a whole story; its beginning carries enough, and analysis time stays bounded).
MAX_CHARS = 5000


_QUOTES = {"\u2019": "'", "\u2018": "'", "`": "'"}


def normalise_with_map(text: str) -> Tuple[str, List[int]]:
    """Lower case, accents removed, quotes and white space unified; with, for every character
    of the result, the index of the character of ``text`` it came from."""
    chars: List[str] = []
    origin: List[int] = []
    for index, ch in enumerate(text or ""):
        for part in unicodedata.normalize("NFKD", _QUOTES.get(ch, ch)).lower():
            if unicodedata.combining(part):
                continue
            if part in " \t\r\f\v\u00a0":
                if not chars or chars[-1] == " ":
                    continue  # collapse runs, drop leading space
                part = " "
            chars.append(part)
            origin.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def normalise(text: str) -> str:
    """Lower case, accents removed, quotes and white space unified."""
    return normalise_with_map(text)[0]


@dataclass(frozen=True)
class Token:
    text: str      # normalised surface form
    lemma: str     # normalised lemma
    start: int     # character offsets in the normalised text
    end: int
    known: bool = True  # a word the lemmatiser knows (an unknown one may be a typo)


@dataclass(frozen=True)
class Analysis:
    original: str                 # the message as written
    text: str                     # the normalised text the token offsets refer to
    origin: List[int]             # normalised offset -> offset in ``original``
    clauses: List[List[Token]]

    def original_span(self, start: int, end: int) -> str:
        """The parent's own words behind the normalised characters start..end."""
        return self.original[self.origin[start]: self.origin[end - 1] + 1]


# "alleen maar", "maar wat", "zo koppig als", "als moeder": these do not start a new clause.
_NO_BOUNDARY_BEFORE = {"maar": {"alleen", "niet", "altijd", "steeds", "toch", "gewoon", "nog", "ook", "dan"}, "als": {"zo", "net", "even", "evenveel", "ook"}}
_NO_BOUNDARY_AFTER = {"maar": {"wat", "even", "raak", "door", "weer", "steeds", "blijven"},
                      "als": {"moeder", "vader", "ouder", "mama", "papa", "mens", "adoptiemoeder",
                              "adoptievader", "adoptieouder", "een", "je"}}


def _continues_clause(doc, i: int) -> bool:
    word = doc[i].text
    before = doc[i - 1].text if i > 0 else ""
    after = doc[i + 1].text if i + 1 < len(doc) else ""
    return before in _NO_BOUNDARY_BEFORE.get(word, ()) or after in _NO_BOUNDARY_AFTER.get(word, ())


# The same message is analysed by the safety check and by recognition: parse it once.
@functools.lru_cache(maxsize=256)
def analyse(text: str) -> Analysis:
    original = (text or "")
    normalised, origin = normalise_with_map(original)
    normalised, origin = normalised[:MAX_CHARS], origin[:MAX_CHARS]
    doc = nlp.load_pipeline()(normalised)
    clauses: List[List[Token]] = [[]]
    for tok in doc:
        # "... en hij/ze ..." starts a new clause with its own subject.
        if tok.text == "en" and tok.i + 1 < len(doc) and doc[tok.i + 1].text in _SUBJECTS and clauses[-1]:
            clauses.append([])
            continue
        word = tok.text
        if word in _SENTENCE_END or tok.is_space and "\n" in word:
            clauses.append([])
            continue
        if word in _BOUNDARY_WORDS and clauses[-1] and not _continues_clause(doc, tok.i):
            clauses.append([])
        if tok.is_punct or tok.is_space:
            continue
        # Dutch abbreviation rules keep a full stop on some words ("me.", "hand."): split it off.
        ends_sentence = len(word) > 1 and word[-1] in ".!?" and word[:-1].isalpha()
        if ends_sentence:
            word = word[:-1]
        lemma = normalise(tok.lemma_).rstrip(".!?") or word
        clauses[-1].append(Token(word, lemma, tok.idx, tok.idx + len(word), nlp.is_known_word(word)))
        if ends_sentence:
            clauses.append([])
    return Analysis(original, normalised, origin, [c for c in clauses if c])
