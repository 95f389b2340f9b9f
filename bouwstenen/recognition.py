"""Recognising behaviour signals in what a parent writes.

Phrases from knowledge/lexicon.yml are matched on words and lemmas within a clause (syntax in
knowledge/README.md). A match is then classified: present, denied ("hij is niet agressief"),
past ("vroeger bonkte hij", "... maar dat is voorbij") or about someone else ("het zoontje van
mijn zus slaat"). Only present signals count towards a building block.

A clause is made of sub-clauses (``Token.segment``: "als hij zijn zin niet krijgt | bonkt hij
met zijn hoofd"). A phrase may span them; the cues that deny a behaviour or end it ("niet",
"niet meer") are read in the behaviour's own sub-clauses only.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bouwstenen import knowledge as kb
from bouwstenen import nlp
from bouwstenen.text import Analysis, Token, analyse, normalise

SHARED_WORDS = 2  # two matches in a clause sharing this many words tell one behaviour
MAX_GAP = 6  # other words allowed among the words of a phrase
NEGATION_WINDOW = 3  # a negation word this close to a behaviour denies it
NEGATION_REINFORCERS = {"ook", "zelfs", "of"}  # ... unless one of these stands right before it

_LOCAL_PAST_WORDS = {"niet", "nie", "nooit", "geen", "gestopt", "opgehouden"}

PRESENT, DENIED, PAST, OTHER_PERSON = "present", "denied", "past", "other_person"
LEXICON, SIMILARITY = "lexicon", "similarity"  # how a signal was recognised


MIN_TYPO_WORD = 6    # a word this long may be matched with one letter missing or extra
MIN_TYPO_PREFIX = 5  # likewise a prefix ("klamt" for klamp*)


@functools.lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset:
    return frozenset(word[:i] + word[i + 1:] for i in range(len(word)))


@dataclass(frozen=True)
class Term:
    """One word of a phrase: alternatives, each exact (word or lemma) or a prefix (``word*``).

    An unknown word (not in the lemmatiser's lexicon) with one letter missing or one extra also
    matches a long enough alternative: typos such as "agresief" or "klamt". Substitutions are
    not accepted: too many real Dutch words differ by one letter ("speelt"/"steelt").
    """
    exact: frozenset
    prefixes: Tuple[str, ...]
    typo_exact: frozenset = frozenset()      # exact alternatives with one letter deleted
    typo_prefixes: Tuple[str, ...] = ()      # prefixes with one letter deleted

    def __post_init__(self) -> None:
        # Terms are looked up by value many times per message: hash them once.
        object.__setattr__(self, "_hash", hash((self.exact, self.prefixes)))

    def __hash__(self) -> int:
        return self._hash

    def matches(self, token: Token) -> bool:
        return self.matches_form(token.text, token.lemma, token.known)

    def matches_form(self, text: str, lemma: str, known: bool) -> bool:
        if text in self.exact or lemma in self.exact:
            return True
        if any(text.startswith(p) or lemma.startswith(p) for p in self.prefixes):
            return True
        if known or len(text) < MIN_TYPO_PREFIX:
            return False
        return self._typo(text)

    def _typo(self, word: str) -> bool:
        if word in self.typo_exact or not _deletions(word).isdisjoint(self.exact):
            return True
        return any(word.startswith(p) for p in self.typo_prefixes) or any(
            d.startswith(p) for p in self.prefixes for d in _deletions(word[: len(p) + 1])
        )


Phrase = Tuple[Term, ...]


def _lemma(word: str) -> str:
    doc = nlp.load_pipeline()(word)
    return normalise(doc[0].lemma_) if len(doc) == 1 else word


def compile_phrase(phrase: str) -> Phrase:
    terms = []
    for word in normalise(phrase).split():
        exact, prefixes = set(), []
        for alternative in word.split("|"):
            if alternative.endswith("*"):
                prefixes.append(alternative[:-1])
            elif alternative:
                exact.update({alternative, _lemma(alternative)})
        long_words = [w for w in exact if len(w) >= MIN_TYPO_WORD]
        long_prefixes = [p for p in prefixes if len(p) >= MIN_TYPO_PREFIX]
        terms.append(Term(
            frozenset(exact), tuple(prefixes),
            frozenset(d for w in long_words for d in _deletions(w)),
            tuple(d for p in long_prefixes for d in _deletions(p)),
        ))
    return tuple(terms)


def find_phrase(phrase: Phrase, tokens: Sequence[Token], taken: frozenset = frozenset()) -> Optional[List[int]]:
    """Indexes of distinct tokens matching every word of ``phrase``, or None.

    Dutch word order moves verbs and particles around ("ze bonkt met haar hoofd", "dat ze met
    haar hoofd bonkt", "hoofdbonken"), so the words may come in any order, as long as they stand
    within ``len(phrase) + MAX_GAP`` tokens of each other. The tightest such set is returned.
    """
    candidates = []
    predicative = _predicative_op(phrase)
    for term_index, term in enumerate(phrase):
        found = [i for i in _positions(term, tokens) if i not in taken]
        if predicative and term_index == len(phrase) - 1:
            found = [i for i in found if not _opens_object(tokens, i)]
        if not found:
            return None
        candidates.append(found)
    best = _tightest(phrase, tokens, candidates)
    if best is None and len(phrase) > 1:
        best = _separated_particle(phrase, tokens, candidates)
    return sorted(best) if best else None


def _tightest(phrase: Phrase, tokens: Sequence[Token], candidates: List[List[int]]) -> Optional[List[int]]:
    """The match in the fewest sub-clauses, then the tightest ("in het begin klampte ze zich
    vast, nu klampt ze nog steeds": not "vast, nu klampt")."""
    window = len(phrase) + MAX_GAP
    best: Optional[List[int]] = None
    best_key: Tuple[int, int] = (0, 0)
    for term_index, found in enumerate(candidates):
        for anchor in found:
            chosen = _closest(candidates, term_index, anchor, window)
            if not chosen:
                continue
            key = (tokens[max(chosen)].segment - tokens[min(chosen)].segment, max(chosen) - min(chosen))
            if (best is None or key < best_key) and _coherent(phrase, tokens, term_index, chosen):
                best, best_key = chosen, key
    return best


# Particles of separable verbs: in a main clause they close the sentence, however long the
# middle is ("ze klampt zich bij het afscheid op school altijd aan mij vast").
_PARTICLES = frozenset({"vast", "terug", "af", "op", "aan", "uit", "weg", "mee", "toe", "om", "door",
                        "over", "na", "neer", "los", "dicht", "open", "binnen", "kapot", "stuk"})


def _separated_particle(phrase: Phrase, tokens: Sequence[Token],
                        candidates: List[List[int]]) -> Optional[List[int]]:
    """The phrase with its one particle word at the end of a sub-clause and the other words
    close together earlier in that sub-clause, or None."""
    particles = [t for t, term in enumerate(phrase)
                 if term.exact and not term.prefixes and term.exact <= _PARTICLES]
    if len(particles) != 1:
        return None
    (particle,) = particles
    rest = phrase[:particle] + phrase[particle + 1:]
    for end in candidates[particle]:
        segment = tokens[end].segment
        if end + 1 < len(tokens) and tokens[end + 1].segment == segment:
            continue  # not the last word of its sub-clause
        others = [[i for i in found if i < end and tokens[i].segment == segment]
                  for found in candidates[:particle] + candidates[particle + 1:]]
        if all(others):
            found = _tightest(rest, tokens, others)
            if found is not None:
                return found + [end]
    return None


# Words that open a sub-clause governed by the one before it (see bouwstenen.text).
_SUBORDINATORS = {"dat", "da", "die", "wat", "waarom", "hoe", "wie", "zodat", "zoals", "waardoor",
                  "doordat", "nadat", "voordat", "toen", "als", "wanneer", "zodra", "tenzij"}


def _coordinated_part(tokens: Sequence[Token], i: int) -> int:
    """The sub-clause number where the part of token i begins that a comma or "en" closes off
    (sub-clauses opened by "dat", "als", ... belong to the part before them)."""
    for j in range(i, 0, -1):
        if tokens[j - 1].segment != tokens[j].segment and tokens[j].text not in _SUBORDINATORS:
            return tokens[j].segment
    return tokens[0].segment


_PRONOUNS = {"hij", "zij", "ze", "ie", "ik", "k", "we", "wij", "je", "jij"}


def _coherent(phrase: Phrase, tokens: Sequence[Token], term_index: int, chosen: List[int]) -> bool:
    """A phrase may span an adverbial clause ("paniek | als ik even weg ben", "als ik bel |
    begint hij te schreeuwen"), but its subject stands in the clause of the word after it in
    the phrase: "hij|ze luistert niet" is not "ik luister niet | als hij vertelt". (Parts joined
    by "en", a comma, "dat" or "wat" share their subject: "ze gaat in een hoekje zitten en
    reageert niet", "ik wil | dat ze doet | wat ik zeg".) ``chosen[0]`` is term_index's token,
    the others follow in phrase order."""
    if len(phrase) < 2 or len({tokens[i].segment for i in chosen}) == 1:
        return True
    order = [term_index] + [t for t in range(len(phrase)) if t != term_index]
    position = dict(zip(order, chosen))
    # A negation of the phrase ("luistert niet") is not cut off from all its other words by a
    # comma or "en": "niet echt, | hij luistert goed" is no "hij luistert niet". (A clause it
    # governs may follow: "ik kan niet aanvoelen | wat ze nodig heeft".)
    # Unless it insists on a negation already there: "ze huilt niet, nooit".
    for t in range(len(phrase)):
        if tokens[position[t]].text in _NEGATION_WORDS:
            part = _coordinated_part(tokens, position[t])
            others = {_coordinated_part(tokens, position[o]) for o in range(len(phrase)) if o != t}
            if part not in others and not any(
                    tokens[k].text in _NEGATION_WORDS and _coordinated_part(tokens, k) in others
                    for k in range(len(tokens))):
                return False
    if len({tokens[i].subclause for i in chosen}) == 1:
        return True
    for t, term in enumerate(phrase):
        if term.prefixes or not term.exact & _PRONOUNS:
            continue
        neighbour = t + 1 if t + 1 < len(phrase) else t - 1
        if tokens[position[t]].subclause != tokens[position[neighbour]].subclause:
            return False
    return True


_COPULA = {"ben", "bent", "is", "zijn", "was", "waren"}
_POSSESSIVE = {"haar", "z'n", "hun"}  # "zijn|haar|z'n" is a possessive, not the verb


@functools.lru_cache(maxsize=4096)
def _predicative_op(phrase: Phrase) -> bool:
    """Whether the phrase ends in "op" after a form of "zijn": "ik ben (helemaal) op", exhausted."""
    last = phrase[-1]
    return (last.exact == frozenset({"op"}) and not last.prefixes
            and any(t.exact & _COPULA and not t.exact & _POSSESSIVE for t in phrase[:-1]))


# Words that make "op" a preposition with an object: "ik ben op zoek naar", "op het werk".
_OBJECT_OPENERS = {
    "de", "het", "'t", "een", "mijn", "m'n", "zijn", "z'n", "haar", "ons", "onze", "hun", "jullie",
    "hem", "mij", "me", "jou", "hen", "iemand", "iets", "alles",
    "je", "dit", "deze", "die", "dat", "zo'n", "elk", "elke", "alle", "welke",
    "zoek", "school", "werk", "vakantie", "bezoek", "visite", "stap", "weg", "tijd", "reis",
    "kantoor", "straat", "internet", "kamp", "controle", "afspraak", "bed", "schoot", "pad",
    "zolder", "zee", "kamer", "hoogte", "dreef", "gang", "voorhand", "zondag", "zaterdag",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
}


# Adjectives whose complement is "op ...": "ik ben zo trots op hem", "ze is gek op paarden".
_OP_ADJECTIVES = {"trots", "gek", "dol", "boos", "kwaad", "nijdig", "woest", "jaloers", "verliefd",
                  "zuinig", "gesteld", "gebrand", "voorbereid", "ingesteld", "aangewezen", "uit",
                  "verbaasd", "lijkt", "lijken"}


def _opens_object(tokens: Sequence[Token], i: int) -> bool:
    """Whether the "op" at ``i`` is a preposition: the next word, in the same sub-clause, opens
    its object (or is a number: "op 3 jaar"), or the word before takes "op" ("trots op")."""
    if i > 0 and tokens[i - 1].text in _OP_ADJECTIVES:
        return True
    if i + 1 >= len(tokens) or tokens[i + 1].segment != tokens[i].segment:
        return False
    after = tokens[i + 1].text
    return after in _OBJECT_OPENERS or after[:1].isdigit()


Form = Tuple[str, str, bool]  # a token's text, lemma, and whether the lemmatiser knows it


@dataclass
class _Clause:
    """What is worked out once per clause: its distinct word forms with where each stands (a
    word repeated a thousand times, as in a wall of emoji, is matched once), and per term the
    positions it matches (many phrases share a term)."""
    tokens: Sequence[Token]   # the reference keeps id(tokens) from being reused
    forms: Dict[Form, List[int]]
    positions: Dict[Term, List[int]]
    # A part of another clause (tokens[start:stop] of it): positions are taken from the whole.
    whole: Optional[Tuple[Sequence[Token], int, int]] = None
    indexed: bool = False  # positions of every cue term filled in at once (_index_cues)


_CLAUSES: Dict[int, _Clause] = {}


def _clause(tokens: Sequence[Token]) -> _Clause:
    cached = _CLAUSES.get(id(tokens))
    if cached is not None and cached.tokens is tokens:
        return cached
    forms: Dict[Form, List[int]] = {}
    for i, token in enumerate(tokens):
        forms.setdefault((token.text, token.lemma, token.known), []).append(i)
    if len(_CLAUSES) > 256:
        _CLAUSES.clear()
    clause = _CLAUSES[id(tokens)] = _Clause(tokens, forms, {})
    return clause


def _forms(tokens: Sequence[Token]) -> Dict[Form, List[int]]:
    return _clause(tokens).forms


def _positions(term: Term, tokens: Sequence[Token]) -> List[int]:
    """Sorted indexes of the tokens ``term`` matches."""
    clause = _clause(tokens)
    found = clause.positions.get(term)
    if found is None:
        if clause.whole is not None:
            whole, start, stop = clause.whole
            found = [i - start for i in _positions(term, whole) if start <= i < stop]
        else:
            found = sorted(i for form, indexes in clause.forms.items()
                           if term.matches_form(*form) for i in indexes)
        clause.positions[term] = found
    return found


def _index_cues(tokens: Sequence[Token], index: "TermIndex", terms: Sequence[Term]) -> None:
    """Fill in the positions of all of ``terms`` (indexed by ``index``) in a clause at once."""
    clause = _clause(tokens)
    if clause.indexed:
        return
    found: Dict[int, List[int]] = {}
    for form, indexes in clause.forms.items():
        for number in index.matching(*form):
            found.setdefault(number, []).extend(indexes)
    for number, term in enumerate(terms):
        if term not in clause.positions:
            clause.positions[term] = sorted(found.get(number, ()))
    clause.indexed = True


class TermIndex:
    """Which of many terms a word form matches, by dictionary lookups instead of trying every
    term: the same answers as ``Term.matches_form`` (a unit test compares them), so that a
    clause only tries the phrases whose every word occurs in it."""

    def __init__(self, terms: Iterable[Term]):
        self.ids: Dict[Term, int] = {}  # each distinct term's number; lookups return numbers
        self.exact: Dict[str, set] = {}
        self.prefix: Dict[str, set] = {}
        self.typo_exact: Dict[str, set] = {}
        self.typo_prefix: Dict[str, set] = {}
        for term in terms:
            if term in self.ids:
                continue
            number = self.ids[term] = len(self.ids)
            for table, words in ((self.exact, term.exact), (self.prefix, term.prefixes),
                                 (self.typo_exact, term.typo_exact),
                                 (self.typo_prefix, term.typo_prefixes)):
                for word in words:
                    table.setdefault(word, set()).add(number)

    def matching(self, text: str, lemma: str, known: bool) -> set:
        """The numbers of the terms that match this word form."""
        found = set(self.exact.get(text, ())) | self.exact.get(lemma, set())
        for word in (text, lemma):
            for end in range(len(word) + 1):
                found |= self.prefix.get(word[:end], set())
        if known or len(text) < MIN_TYPO_PREFIX:
            return found
        # Term._typo: one letter extra in the word ...
        found |= self.typo_exact.get(text, set())
        for deleted in _deletions(text):
            found |= self.exact.get(deleted, set())
        for end in range(len(text) + 1):
            found |= self.typo_prefix.get(text[:end], set())
        # ... or in the word's beginning, against a prefix
        for end in range(1, len(text) + 1):
            for deleted in _deletions(text[:end]):
                found |= self.prefix.get(deleted, set())
        return found


def _closest(candidates: List[List[int]], term_index: int, anchor: int, window: int) -> Optional[List[int]]:
    """``anchor`` for one term and, per other term, the nearest unused index to it, all within
    ``window`` of each other. Candidate lists are sorted, so the nearest is found by bisection."""
    chosen = [anchor]
    for other, found in enumerate(candidates):
        if other == term_index:
            continue
        nearest = None
        position = bisect.bisect_left(found, anchor)
        left, right = position - 1, position
        while left >= 0 or right < len(found):
            if right < len(found) and (left < 0 or found[right] - anchor < anchor - found[left]):
                pick, right = found[right], right + 1
            else:
                pick, left = found[left], left - 1
            if abs(pick - anchor) >= window:
                break
            if pick not in chosen:
                nearest = pick
                break
        if nearest is None:
            return None
        chosen.append(nearest)
    return chosen if max(chosen) - min(chosen) < window else None


@dataclass(frozen=True)
class SignalMatch:
    signal_id: str
    label: str
    bouwstenen: Tuple[int, ...]
    match: str          # the parent's own words ("" for a similarity guess)
    status: str         # present | denied | past | other_person
    clause: int         # index of the clause it was found in
    via: str = LEXICON  # lexicon | similarity (bouwstenen.similarity)
    similar_to: str = ""  # for a similarity guess: the training sentence it is most like
    main: bool = False  # of several behaviours, the one the message is mostly about

    @property
    def present(self) -> bool:
        return self.status == PRESENT

    @property
    def guessed(self) -> bool:
        return self.via == SIMILARITY

    def to_dict(self) -> dict:
        """The triage/slot form: {id, label, bouwstenen, match, status}; for a similarity guess
        also {via, similar_to}; for the main one of several behaviours {main: true}."""
        data = {"id": self.signal_id, "label": self.label, "bouwstenen": list(self.bouwstenen),
                "match": self.match, "status": self.status}
        if self.guessed:
            data.update(via=self.via, similar_to=self.similar_to)
        if self.main:
            data["main"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict, clause: int = 0) -> "SignalMatch":
        return cls(data["id"], data["label"], tuple(data["bouwstenen"]), data["match"],
                   data.get("status", PRESENT), clause, data.get("via", LEXICON),
                   data.get("similar_to", ""), bool(data.get("main", False)))


class Recogniser:
    """Compiled lexicon and cue phrases; build once, use for every message."""

    def __init__(self, knowledge: kb.Knowledge):
        self.knowledge = knowledge
        self.signal_phrases: Dict[str, List[Phrase]] = {
            s.id: [compile_phrase(p) for p in s.phrases] for s in knowledge.signals.values()
        }
        self.index = TermIndex(t for phrases in self.signal_phrases.values() for p in phrases for t in p)
        # Per signal, each phrase with the ids of its terms, to skip phrases that cannot match.
        self._phrase_terms: Dict[str, List[Tuple[Phrase, frozenset]]] = {
            signal_id: [(p, frozenset(self.index.ids[t] for t in p)) for p in phrases]
            for signal_id, phrases in self.signal_phrases.items()
        }
        cues = knowledge.cues
        self.negation = [compile_phrase(p) for p in cues.negation]
        self.denial = [compile_phrase(p) for p in cues.denial]
        self.denied_later = [compile_phrase(p) for p in cues.denied_later]
        past = [compile_phrase(p) for p in cues.past]
        # Past cues that end one predicate ("niet meer", "gestopt") rather than date the clause.
        self.past_local = [p for p in past if any(t.exact & _LOCAL_PAST_WORDS for t in p)]
        self.past = [p for p in past if p not in self.past_local]
        self.resolved_later = [compile_phrase(p) for p in cues.resolved_later]
        self.other_person = [compile_phrase(p) for p in cues.other_person]
        cue_terms = [t for group in (self.negation, self.denial, self.denied_later, self.past,
                                     self.past_local, self.resolved_later, self.other_person)
                     for p in group for t in p]
        self.cue_index = TermIndex(cue_terms)
        self.cue_terms = list(self.cue_index.ids)  # in the index's numbering

    def recognise(self, text: str) -> List[SignalMatch]:
        analysis = analyse(text)
        found: List[SignalMatch] = []
        matched_clauses = set()
        raw: List[Tuple[str, int, List[int]]] = []  # signal, clause, token indexes
        seen_clauses = set()
        for clause_index, tokens in enumerate(analysis.clauses):
            words = tuple(t.text for t in tokens)
            if words in seen_clauses:  # a repeated sentence tells nothing new
                continue
            seen_clauses.add(words)
            occurring = set()  # ids of the terms that match some word of the clause
            for form in _forms(tokens):
                occurring |= self.index.matching(*form)
            for signal_id, phrases in self._phrase_terms.items():
                for phrase, term_ids in phrases:
                    if not term_ids <= occurring:
                        continue
                    indexes = find_phrase(phrase, tokens)
                    if indexes is not None:
                        raw.append((signal_id, clause_index, indexes))
                        matched_clauses.add(clause_index)
                        break
        raw = _most_specific(raw)
        # Words that are part of any behaviour ("geen uitstel", "niet los") are no cue words.
        taken_in_clause: Dict[int, set] = {}
        for _, clause_index, indexes in raw:
            taken_in_clause.setdefault(clause_index, set()).update(indexes)
        for signal_id, clause_index, indexes in raw:
            signal = self.knowledge.signals[signal_id]
            tokens = analysis.clauses[clause_index]
            taken = frozenset(taken_in_clause[clause_index])
            status = self._status(analysis, clause_index, indexes, matched_clauses, taken)
            if status != PRESENT:
                # "hij slaat niet, hij schopt" / "vroeger schopte hij, nu slaat hij": the same
                # behaviour again in another sub-clause of the clause may be present.
                for other in self._elsewhere(signal_id, tokens, indexes):
                    if self._status(analysis, clause_index, other, matched_clauses,
                                    taken | frozenset(other)) == PRESENT:
                        indexes, status = other, PRESENT
                        break
            found.append(SignalMatch(
                signal_id=signal_id,
                label=signal.label,
                bouwstenen=tuple(signal.bouwstenen),
                match=_words(analysis, tokens, indexes),
                status=status,
                clause=clause_index,
            ))
        return _one_per_signal(found)

    def _elsewhere(self, signal_id: str, tokens: Sequence[Token], indexes: List[int]) -> Iterable[List[int]]:
        """Other matches of the signal, each within one sub-clause of the clause."""
        start = 0
        while start < len(tokens):
            stop = start
            while stop < len(tokens) and tokens[stop].segment == tokens[start].segment:
                stop += 1
            outside = frozenset(range(start)) | frozenset(range(stop, len(tokens)))
            for phrase in self.signal_phrases[signal_id]:
                other = find_phrase(phrase, tokens, outside)
                if other is not None:
                    if other != indexes:
                        yield other
                    break
            start = stop

    def _status(self, analysis: Analysis, clause_index: int, indexes: List[int],
                matched_clauses, taken: frozenset) -> str:
        tokens = analysis.clauses[clause_index]
        first, last = indexes[0], indexes[-1]
        _index_cues(tokens, self.cue_index, self.cue_terms)
        # Cues are read per sub-clause (text._segments): "als hij zijn zin niet krijgt" neither
        # denies nor ends "bonkt hij met zijn hoofd". Those of the behaviour itself:
        # (An "en" of the phrase that opens the next sub-clause does not make it the behaviour's:
        # "slaat ... schopt, en | vroeger bonkte hij".)
        inner = [i for i in indexes if not _opens_with_en(tokens, i)] or indexes
        own = _span(tokens, tokens[inner[0]].segment, tokens[inner[-1]].segment)
        # Someone else named before the behaviour (its subject, in Dutch word order); the cue may
        # share words with the behaviour ("het zoontje van mijn zus slaat"). Not in a condition
        # before it: "als het zoontje van mijn zus er is, slaat hij".
        clause_start = next(i for i in range(first + 1) if tokens[i].subclause == tokens[first].subclause)
        clause_start = max(clause_start, _after_reporting(tokens, clause_start, first))
        # Named after the child's own subject pronoun, the other one is an object: "hij heeft
        # een klasgenoot geslagen".
        named_until = next((i for i in range(clause_start, last) if tokens[i].text in _CHILD_SUBJECTS), last)
        if any(_in_order(p, _part(tokens, clause_start, named_until)) for p in self.other_person):
            return OTHER_PERSON
        # "vroeger", "toen hij klein was" date what follows in the clause ("vroeger, als hij boos
        # was, bonkte hij"), unless the behaviour's own sub-clause says now ("vroeger sloeg hij,
        # nu bijt hij"); not what came before ("hij schopt, en vroeger bonkte hij"). "niet meer"
        # only ends its own sub-clause.
        dated = own if _says_now(tokens, own) else (0, _until_en(tokens, own[1]))
        if (_cue_in_segments(self.past, tokens, dated, taken)
                or _cue_in_segments(self.past_local, tokens, own, taken)):
            return PAST
        # "vroeger bonkte hij, maar dat is al een jaar voorbij" / "slaan, dat doet hij niet": a
        # later clause without a behaviour of its own that says it is over or not so.
        for later in range(clause_index + 1, min(len(analysis.clauses), clause_index + 3)):
            if later in matched_clauses:
                break
            _index_cues(analysis.clauses[later], self.cue_index, self.cue_terms)
            if _any_phrase(self.resolved_later, analysis.clauses[later], frozenset()):
                return PAST
            if _any_phrase(self.denied_later, analysis.clauses[later], frozenset()):
                return DENIED
        # Likewise in the same clause: "liegen en manipuleren, nee, dat herken ik niet", in the
        # sub-clauses after the behaviour up to the next one with a behaviour of its own.
        after = next((i for i in range(own[1], len(tokens)) if i in taken), len(tokens))
        if own[1] < after and _any_phrase(self.denied_later, _part(tokens, own[1], after), frozenset()):
            return DENIED
        # "ik merk niet | dat hij zich afsluit": a denial in the behaviour's sub-clause or one
        # before it; not "ik merk | dat hij niet slaapt" (that "niet" is the behaviour's).
        if _cue_in_segments(self.denial, tokens, (0, own[1]), taken):
            return DENIED
        # A behaviour that is itself a negation ("huilt nooit", "geen vriendjes"): another
        # negation beside it insists ("ze huilt niet, nooit", "hij heeft nooit geen vriendjes").
        if any(tokens[i].text in _NEGATION_WORDS for i in indexes):
            return PRESENT
        window_start = max(own[0], first - NEGATION_WINDOW)
        near = _part(tokens, window_start, min(own[1], last + 1 + NEGATION_WINDOW))
        ignore = set(taken) | _no_negation(analysis, clause_index)
        if _any_phrase(self.negation, near, frozenset(i - window_start for i in ignore)):
            return DENIED
        return PRESENT


_CHILD_SUBJECTS = {"hij", "ze", "zij", "ie"}
_REPORTING_VERBS = {"zeggen", "vinden", "denken", "merken", "zien", "vertellen", "klagen", "melden",
                    "schrijven", "vragen", "zeg", "zegt", "vindt", "denkt", "merkt", "ziet", "vertelt"}


def _after_reporting(tokens: Sequence[Token], start: int, first: int) -> int:
    """Where the reported words start, when someone reports the behaviour ("mijn zus zegt dat
    hij slaat"): the reporter named before "dat" is not the one who does it."""
    for i in range(first - 1, start, -1):
        if tokens[i].text in ("dat", "da") and any(
                t.lemma in _REPORTING_VERBS or t.text in _REPORTING_VERBS for t in tokens[max(start, i - 3):i]):
            return i + 1
    return start


def _opens_with_en(tokens: Sequence[Token], i: int) -> bool:
    return tokens[i].text == "en" and (i == 0 or tokens[i - 1].segment != tokens[i].segment)


def _until_en(tokens: Sequence[Token], start: int) -> int:
    """Where the first sub-clause from ``start`` on that opens with "en" begins (or the end)."""
    return next((i for i in range(start, len(tokens)) if _opens_with_en(tokens, i)), len(tokens))


def _in_order(phrase: Phrase, tokens: Sequence[Token]) -> bool:
    """Whether the phrase's words occur in the order written, within its window: "de buurvrouw
    haar zoon" is someone else's child, "mijn dochter pest haar vriendinnetjes" is not."""
    window = len(phrase) + MAX_GAP
    positions = [_positions(term, tokens) for term in phrase]
    if not all(positions):
        return False
    for start in positions[0]:
        at = start
        for found in positions[1:]:
            # the earliest next word keeps the match tightest
            at = next((i for i in found if i > at), None)
            if at is None or at - start >= window:
                break
        else:
            return True
    return False


def _span(tokens: Sequence[Token], first_segment: int, last_segment: int) -> Tuple[int, int]:
    """Token range (start, end) of the sub-clauses first_segment..last_segment of a clause."""
    start = next(i for i, t in enumerate(tokens) if t.segment >= first_segment)
    end = next((i for i, t in enumerate(tokens) if t.segment > last_segment), len(tokens))
    return start, end


def _cue_in_segments(phrases: Sequence[Phrase], tokens: Sequence[Token], span: Tuple[int, int],
                     taken: frozenset) -> bool:
    """Whether a cue phrase matches within one sub-clause in tokens[span]: a cue's words from
    two sub-clauses ("ik merk | dat hij niet ...") say nothing."""
    # Only the phrases whose every word occurs in the clause at all are tried per sub-clause.
    phrases = [p for p in phrases if all(_positions(t, tokens) for t in p)]
    if not phrases:
        return False
    start, end = span
    while start < end:
        stop = start
        while stop < end and tokens[stop].segment == tokens[start].segment:
            stop += 1
        part = _part(tokens, start, stop)
        if _any_phrase(phrases, part, frozenset(i - start for i in taken if start <= i < stop)):
            return True
        start = stop
    return False


_PARTS: Dict[Tuple[int, int, int], Tuple[Sequence[Token], List[Token]]] = {}


def _part(tokens: Sequence[Token], start: int, stop: int) -> List[Token]:
    """tokens[start:stop], the same list object each time, so that its analysis (``_clause``)
    is worked out once per message rather than once per behaviour."""
    key = (id(tokens), start, stop)
    cached = _PARTS.get(key)
    if cached is not None and cached[0] is tokens:
        return cached[1]
    if len(_PARTS) > 1024:
        _PARTS.clear()
    part = list(tokens[start:stop])
    _PARTS[key] = (tokens, part)
    _clause(part).whole = (tokens, start, stop)
    return part


_NEGATION_WORDS = {"niet", "nie", "geen", "nooit", "niets", "niks", "nergens"}

_NOW = {"nu", "tegenwoordig", "inmiddels", "sindsdien", "momenteel"}


def _says_now(tokens: Sequence[Token], span: Tuple[int, int]) -> bool:
    """Whether tokens[span] has a word for the present ("nu", not "nu en dan")."""
    start, end = span
    return any(tokens[i].text in _NOW and not (i + 1 < len(tokens) and tokens[i + 1].text == "en")
               for i in range(start, end))


_NOT_ONLY = {"alleen", "enkel", "slechts"}  # "niet alleen slaat hij, ...": not only
_NO_REASON = {"om", "voor"}  # "woedeaanvallen om niks": for no reason, not a negation


def _no_negation(analysis: Analysis, clause_index: int) -> set:
    """Indexes of negation words in a clause that negate nothing."""
    tokens = analysis.clauses[clause_index]
    ignore = set()
    for i in range(len(tokens)):
        before = tokens[i - 1].text if i else ""
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        # "ook niet 's avonds", "straf of geen straf": a negation after these reinforces.
        if before in NEGATION_REINFORCERS and i:
            ignore.add(i)
        elif tokens[i].text in ("niets", "niks") and before in _NO_REASON:
            ignore.add(i)
        elif tokens[i].text in ("niet", "nie") and after in _NOT_ONLY and (
                i == 0 or tokens[i - 1].segment != tokens[i].segment
                or any(t.text == "ook" for t in tokens[i + 2:])
                or _starts_with(analysis, clause_index + 1, "maar")):
            ignore.add(i)
    return ignore


def _starts_with(analysis: Analysis, clause_index: int, word: str) -> bool:
    return clause_index < len(analysis.clauses) and analysis.clauses[clause_index][0].text == word


def _any_phrase(phrases: Iterable[Phrase], tokens: Sequence[Token], taken: frozenset) -> bool:
    return any(find_phrase(p, tokens, taken) is not None for p in phrases)


def _words(analysis: Analysis, tokens: Sequence[Token], indexes: List[int]) -> str:
    return analysis.original_span(tokens[indexes[0]].start, tokens[indexes[-1]].end)


def _most_specific(raw: List[Tuple[str, int, List[int]]]) -> List[Tuple[str, int, List[int]]]:
    """Of two matches in one clause that share words, drops the one with fewer words: in "hij
    trekt me naar zich toe en duwt me dan weer weg" the words "duwt me weg" belong to the
    wavering between closeness and pushing away, not to a second behaviour of their own."""
    words = [(clause, frozenset(indexes)) for _, clause, indexes in raw]
    return [match for match, (clause, own) in zip(raw, words)
            if not any(c == clause and len(other) > len(own) and len(own & other) >= SHARED_WORDS
                       for c, other in words)]


def _one_per_signal(matches: List[SignalMatch]) -> List[SignalMatch]:
    """One entry per signal: the first present match, else the first match."""
    best: Dict[str, SignalMatch] = {}
    for m in matches:
        if m.signal_id not in best or (m.present and not best[m.signal_id].present):
            best[m.signal_id] = m
    return sorted(best.values(), key=lambda m: (m.clause, m.signal_id))


@functools.lru_cache(maxsize=None)
def default_recogniser() -> Recogniser:
    return Recogniser(kb.load())
