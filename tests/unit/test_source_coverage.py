"""The knowledge files against the source text: every listed behaviour is in the lexicon."""
import re

import pytest

from bouwstenen.text import normalise


def _sections(source_text):
    """Block number -> normalised text of that block's section."""
    parts = re.split(r"BOUWSTEEN (\d):", source_text)
    return {int(parts[i]): normalise(" ".join(parts[i + 1].split())) for i in range(1, len(parts), 2)}


def _listed_items(section):
    """The comma-separated behaviour lists of a section (Kindgedrag/Oudergedrag or Gedragsproblemen)."""
    lists = re.findall(r"(?:kindgedrag|oudergedrag):(.*?)(?=oudergedrag:|wisselwerking|$)", section)
    if not lists:
        lists = [re.search(r"gedragsproblemen(.*?)wisselwerking", section).group(1)]
    items = []
    for text in lists:
        for sentence in re.split(r"\.\s", text):
            items += [i.strip(" .") for i in re.split(r",| en (?=[a-z]+ gedrag$)", sentence) if i.strip(" .")]
    return items


def test_source_terms_are_quoted_from_their_block(knowledge, source_text):
    sections = _sections(source_text)
    for signal in knowledge.signals.values():
        for listing in signal.listed_under:
            term = normalise(" ".join(listing.source_term.split()))
            assert term in sections[listing.bouwsteen], (signal.id, listing.bouwsteen, term)


@pytest.mark.parametrize("block", [2, 3, 4, 5])
def test_every_listed_behaviour_of_the_source_is_in_the_lexicon(knowledge, source_text, block):
    section = _sections(source_text)[block]
    terms = [normalise(" ".join(l.source_term.split()))
             for s in knowledge.signals.values() for l in s.listed_under if l.bouwsteen == block]
    items = _listed_items(section)
    assert len(items) >= 4
    missing = [item for item in items if not any(item in t or t in item for t in terms)]
    assert not missing, f"bouwsteen {block}: not in the lexicon: {missing}"


BLOCK_1_BEHAVIOURS = [  # block 1 lists its behaviour in prose, so the list is written out here
    "onrust", "lichaamsspanning", "hoofdbonken", "zichzelf wiegen", "ontreddering",
    "chaotisch", "prikkelbaar", "uit zijn doen", "emoties niet reguleren", "uitstel",
    "in zichzelf terug", "lusteloos", "apathisch", "onverschillig", "eet- of slaapproblemen",
    "onzeker", "kwetsbaar", "leiding",
]


def test_block_1_behaviours_are_in_the_lexicon(knowledge, source_text):
    section = _sections(source_text)[1]
    terms = [normalise(l.source_term) for s in knowledge.signals.values() for l in s.listed_under if l.bouwsteen == 1]
    for behaviour in BLOCK_1_BEHAVIOURS:
        assert behaviour in section, behaviour  # the list above is itself from the source
        assert any(behaviour in t for t in terms), f"bouwsteen 1: not in the lexicon: {behaviour}"


def test_block_themes_are_words_of_their_own_block(knowledge, source_text):
    """Each word of a theme (bouwstenen.yml ``themes``) occurs in that block's section of the
    source, in one of its forms: a question about a theme is about the block that discusses it."""
    sections = _sections(source_text)
    for block in knowledge.bouwstenen.values():
        for theme in block.themes:
            for word in normalise(theme).split():
                forms = [a.rstrip("*") for a in word.split("|") if a]
                assert any(f in sections[block.number] for f in forms), (block.number, theme, word)
