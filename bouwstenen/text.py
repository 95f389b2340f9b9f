"""Normalisation and Dutch analysis of a message into clauses of tokens with lemmas.

Clauses end at sentence punctuation and before "maar", "want", "omdat", ... . Within a clause
every token carries its sub-clause (``segment``: after a comma, "en", "dat", a condition, ...)
and its adverbial clause (``subclause``: a condition or time clause and its main clause).
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

from bouwstenen import nlp

# Clause boundaries: sentence punctuation, and conjunctions that start a new thought. A comma
# alone is no boundary ("hij bonkt, schreeuwt en wiegt" is one description).
_BOUNDARY_WORDS = {"maar", "want", "omdat", "terwijl", "alhoewel", "hoewel"}
# A condition and what happens then are one description ("hij raakt in paniek als ik even weg
# ben", "als ik zeg straks, dan ontploft hij"): a sub-clause, not a new clause.
_CONDITION_WORDS = {"als", "wanneer", "zodra", "tenzij"}
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
    # Sub-clause number, increasing through the message (see ``_segments``): a phrase may span
    # sub-clauses, a negation only reaches the behaviour in its own.
    segment: int = 0
    # Likewise, but only adverbial clauses count ("als ...", "toen ...", the main clause after a
    # leading "als ..."): "en", commas, "dat" and "wat" join parts that a phrase's subject may
    # span ("ik wil | dat ze doet | wat ik zeg").
    subclause: int = 0


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


# Sub-clauses inside a clause. They stay one clause for matching ("als ik zeg straks, dan
# ontploft hij"), but a negation in one ("als hij zijn zin niet krijgt") says nothing about the
# behaviour in the other ("bonkt hij met zijn hoofd"). A sub-clause starts at punctuation, at one
# of these words, and where the main clause after a leading condition starts (see below).
# An indirect question has its own subject ("ze pest haar vriendinnetjes en snapt niet | waarom
# ze niet met haar spelen").
_QUESTION_WORDS = {"waarom", "hoe", "wie"}
_SEGMENT_WORDS = {"en", "dat", "da", "die", "wat", "zodat", "zoals", "waardoor", "doordat", "nadat",
                  "voordat", "toen"} | _BOUNDARY_WORDS | _CONDITION_WORDS | _QUESTION_WORDS
# Punctuation inside a sentence that separates sub-clauses ("hij slaat niet, hij schopt").
_SEGMENT_PUNCTUATION = {",", ":", "(", ")", "-", "\u2013", "\u2014", "...", "\u2026", "/"}
# Words that open a subordinate clause before its main clause: "als ik niet oplet | pakt hij geld".
_LEADING_SUBORDINATE = {"als", "wanneer", "zodra", "tenzij", "omdat", "toen", "nadat", "voordat",
                        "zolang", "terwijl", "hoewel", "alhoewel", "indien", "mocht", "sinds"}
# Subject pronouns: after a leading subordinate clause the main clause's finite verb comes first,
# directly followed by its subject ("pakt hij", "wordt ze").
_SUBJECT_PRONOUNS = {"hij", "ze", "zij", "ik", "we", "wij", "je", "jij", "ie", "het"}
# Words that are not the main clause's verb even when a pronoun follows ("als ik zeg dat hij").
_NOT_A_VERB = _SUBJECT_PRONOUNS | _SEGMENT_WORDS | _LEADING_SUBORDINATE | {
    "dan", "hem", "haar", "me", "mij", "ons", "hen", "hun", "jou", "u", "zich", "zichzelf", "mezelf",
    "of", "want", "maar", "niet", "nie", "nooit", "geen", "wel", "ook", "nog", "al", "er", "daar",
    "hier", "toch", "zo", "dus", "omdat", "waar", "hoe", "wie", "welke", "de", "een", "'t",
    "op", "in", "aan", "bij", "met", "naar", "van", "voor", "uit", "om", "over", "tegen", "door",
    "tot", "onder", "achter", "zonder", "na", "sinds", "tijdens",
}


def _starts_segment(words: List[str], i: int, leading: bool) -> bool:
    """Whether ``words[i]`` starts a new sub-clause (a punctuation mark before it aside)."""
    word = words[i]
    if word == "dan":  # "als het niet lukt | dan ontploft hij"; elsewhere "then" or "than"
        return leading
    if word in ("dat", "da") and ("niet" in words[max(0, i - 2): i] or "nie" in words[max(0, i - 2): i]):
        return False  # "het is niet zo dat hij slaat", "niet dat hij slaat": a denial
    if word in _SEGMENT_WORDS:
        return word not in ("als", "maar") or not _continues_words(words, i)
    # "als ik niet oplet pakt hij geld": a word that is no function word, followed by a subject
    # pronoun, after a leading subordinate clause that already has its own subject and verb.
    return (leading and i + 1 < len(words) and words[i + 1] in _SUBJECT_PRONOUNS
            and word not in _NOT_A_VERB and word.isalpha())


def _continues_words(words: List[str], i: int) -> bool:
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return before in _NO_BOUNDARY_BEFORE.get(words[i], ()) or after in _NO_BOUNDARY_AFTER.get(words[i], ())


def _segments(words: List[str], punctuation_before: List[bool], first: Tuple[int, int]) -> List[Tuple[int, int]]:
    """The (sub-clause, subordinate clause) numbers of each word of one clause, from ``first``."""
    numbers: List[Tuple[int, int]] = []
    (segment, subclause), leading, length = first, False, 0
    for i, word in enumerate(words):
        if i > 0 and (punctuation_before[i] or _starts_segment(words, i, leading and length >= 2)):
            segment += 1
            # A comma or the main clause's verb ends a leading subordinate clause; a clause
            # inside it ("als ik zeg | dat hij moet stoppen | slaat hij") does not.
            ends_leading = leading and (punctuation_before[i] or word not in _SEGMENT_WORDS)
            if ends_leading or word in _LEADING_SUBORDINATE or word in _CONDITION_WORDS \
                    or word in _QUESTION_WORDS:
                subclause += 1
            if punctuation_before[i] or word not in _SEGMENT_WORDS:
                leading, length = False, 0
        if word in _LEADING_SUBORDINATE and (i == 0 or numbers[-1][0] != segment) \
                and not _continues_words(words, i):
            leading, length = True, 0
        numbers.append((segment, subclause))
        length += 1
    return numbers


# The same message is analysed by the safety check and by recognition: parse it once.
@functools.lru_cache(maxsize=256)
def analyse(text: str) -> Analysis:
    original = (text or "")
    normalised, origin = normalise_with_map(original)
    normalised, origin = normalised[:MAX_CHARS], origin[:MAX_CHARS]
    doc = nlp.load_pipeline()(normalised)
    clauses: List[List[tuple]] = [[]]  # Token fields but the sub-clause numbers
    punctuation: List[List[bool]] = [[]]  # per clause, per token: punctuation right before it
    pending = False
    for tok in doc:
        # "... en hij/ze ..." starts a new clause with its own subject.
        if tok.text == "en" and tok.i + 1 < len(doc) and doc[tok.i + 1].text in _SUBJECTS and clauses[-1]:
            clauses.append([])
            punctuation.append([])
            continue
        word = tok.text
        if word in _SENTENCE_END or tok.is_space and "\n" in word:
            clauses.append([])
            punctuation.append([])
            continue
        if word in _BOUNDARY_WORDS and clauses[-1] and not _continues_clause(doc, tok.i):
            clauses.append([])
            punctuation.append([])
        if tok.is_punct or tok.is_space:
            pending = pending or word in _SEGMENT_PUNCTUATION
            continue
        # Dutch abbreviation rules keep a full stop on some words ("me.", "hand."): split it off.
        ends_sentence = len(word) > 1 and word[-1] in ".!?" and word[:-1].isalpha()
        if ends_sentence:
            word = word[:-1]
        lemma = normalise(tok.lemma_).rstrip(".!?") or word
        clauses[-1].append((word, lemma, tok.idx, tok.idx + len(word), nlp.is_known_word(word)))
        punctuation[-1].append(pending)
        pending = False
        if ends_sentence:
            clauses.append([])
            punctuation.append([])
    result: List[List[Token]] = []
    first = (0, 0)
    for tokens, marks in zip(clauses, punctuation):
        if not tokens:
            continue
        numbers = _segments([t[0] for t in tokens], marks, first)
        result.append([Token(*t, segment=n, subclause=m) for t, (n, m) in zip(tokens, numbers)])
        first = (numbers[-1][0] + 1, numbers[-1][1] + 1)
    return Analysis(original, normalised, origin, result)
