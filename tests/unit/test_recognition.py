import pytest

from bouwstenen.recognition import DENIED, PAST, PRESENT


def _present(matches):
    return {m.signal_id for m in matches if m.status == PRESENT}


def _blocks(matches):
    return {b for m in matches if m.status == PRESENT for b in m.bouwstenen}


@pytest.mark.parametrize("text, block", [
    ("ze bonkt 's avonds met haar hoofd tegen het bed", 1),
    ("Hij wiegt zichzelf heen en weer voor het slapen", 1),
    ("hij laat me geen seconde los", 2),
    ("hij wil overal de baas over zijn", 2),
    ("hij pikt geld uit mijn portemonnee", 3),
    ("alles moet precies zoals zij het wil", 4),
    ("ik ben alleen nog maar aan het corrigeren", 2),
    ("ik voel me afgewezen door haar", 1),
])
def test_everyday_descriptions_reach_their_block(recognise, text, block):
    assert block in _blocks(recognise(text))


def test_the_match_is_in_the_parents_own_words(recognise):
    text = "Ze BONKT 's avonds met haar hoofd tegen het bed"
    (match,) = [m for m in recognise(text) if 1 in m.bouwstenen]
    assert match.match in text
    assert "BONKT" in match.match or "hoofd" in match.match


@pytest.mark.parametrize("text, status", [
    ("hij is helemaal niet agressief", DENIED),
    ("vroeger bonkte hij met zijn hoofd, maar dat is al een jaar voorbij", PAST),
    ("vroeger bonkte hij met zijn hoofd", PAST),
    ("hij bonkt niet meer met zijn hoofd", PAST),
    ("ik merk niet dat hij zich afsluit", DENIED),
    ("ze heeft gelukkig geen last van nachtmerries", DENIED),
    ("ze bonkt met haar hoofd. nee hoor, dat doet ze niet", DENIED),
    ("is hij agressief? nee, dat is hij niet", DENIED),
    ("ik herken geen agressie bij haar", DENIED),
    ("vroeger pikte hij weleens geld, nu niet meer", PAST),
])
def test_denied_and_past_behaviour_is_not_present(recognise, text, status):
    matches = recognise(text)
    assert matches, "the behaviour itself should still be recognised"
    assert not _present(matches)
    assert status in {m.status for m in matches}


def test_behaviour_of_someone_else_is_not_claimed(recognise):
    matches = recognise("het zoontje van mijn zus slaat iedereen")
    assert not _present(matches)


def test_a_negation_that_is_part_of_the_behaviour_is_no_denial(recognise):
    assert _present(recognise("ze kan geen uitstel verdragen, alles moet meteen"))


def test_a_past_behaviour_does_not_hide_a_present_one(recognise):
    matches = recognise("vroeger bonkte hij met zijn hoofd, maar nu pikt hij geld uit mijn tas")
    assert 3 in _blocks(matches)
    assert 1 not in _blocks(matches)


@pytest.mark.parametrize("text", [
    "hoi", "dank je wel", "wat is het weer morgen", "mijn dochter heeft een notenallergie",
    "", "   ", "😀😀😀", "<script>alert(1)</script>", "hello, can you help me",
])
def test_nothing_is_claimed_without_behaviour(recognise, text):
    assert not _present(recognise(text))


def test_very_long_messages_are_handled(recognise):
    text = "hij bonkt met zijn hoofd. " + "blabla " * 20000
    assert 1 in _blocks(recognise(text))


@pytest.mark.parametrize("text, clauses", [
    ("ze zit altijd maar op haar kamer", 1),          # "altijd maar": an adverb, not "but"
    ("hij wil toch maar weer naar buiten", 1),
    ("ze is lief maar hij slaat", 2),                  # "maar" as a conjunction: two clauses
    ("hij gaat door het lint als ik nee zeg", 1),      # a condition: a sub-clause, same clause
])
def test_maar_starts_a_clause_only_as_a_conjunction(text, clauses):
    from bouwstenen.text import analyse

    assert len(analyse(text).clauses) == clauses


def test_the_term_index_finds_exactly_the_terms_that_match():
    """The index only decides which phrases are worth trying: it must give the same answers as
    trying every term, for known words, inflections, prefixes and typos alike."""
    from bouwstenen.recognition import _forms, default_recogniser
    from bouwstenen.text import analyse

    recogniser = default_recogniser()
    index = recogniser.index
    texts = [e for s in recogniser.knowledge.signals.values() for e in s.examples]
    texts += ["hij klamt zich vast", "ze is agresief en verlegt", "hij wiegd zichzelf",
              "zei slaaaat en bonkte", "hoofdbonkend schopt ze", "kontroleert alles"]
    forms = {form for text in texts for tokens in analyse(text).clauses for form in _forms(tokens)}
    # Typo variants of real words: one letter left out, one letter doubled.
    forms |= {(w[:i] + w[i + 1:], w[:i] + w[i + 1:], False) for w, _, _ in list(forms)
              if len(w) >= 6 for i in (1, len(w) // 2)}
    forms |= {(w[:3] + w[2] + w[3:], w[:3] + w[2] + w[3:], False) for w, _, _ in list(forms) if len(w) >= 5}
    assert len(forms) > 2000
    # Every term against a spread sample of the forms (all of them take half a minute).
    for form in sorted(forms)[::8]:
        expected = {number for term, number in index.ids.items() if term.matches_form(*form)}
        assert index.matching(*form) == expected, form


# Negation is read per sub-clause: a "niet" in the condition ("als hij zijn zin niet krijgt") or
# in another predicate ("hij kan niet slapen en ...") says nothing about the behaviour.
@pytest.mark.parametrize("text, block", [
    ("als hij zijn zin niet krijgt, bonkt hij met zijn hoofd", 1),
    ("als hij zijn zin niet krijgt bonkt hij met zijn hoofd tegen de muur", 1),
    ("als ik niet oplet pakt hij geld", 3),
    ("zodra ik niet kijk pakt hij snoep uit de kast", 3),
    ("wanneer ze niet mag gamen slaat ze haar broertje", 3),
    ("hij kan niet slapen en bonkt dan met zijn hoofd", 1),
    ("ze krijgt woedeaanvallen om niks", 1),
    ("niet alleen slaat hij, hij schopt ook", 3),
])
def test_a_negation_of_something_else_does_not_deny_the_behaviour(recognise, text, block):
    assert block in _blocks(recognise(text))


@pytest.mark.parametrize("text", [
    "hij bonkt niet met zijn hoofd",
    "als hij boos is, slaat hij niet",
    "als hij boos is bonkt hij nooit met zijn hoofd",
    "hij bonkt nooit met zijn hoofd als hij boos is",
    "het is niet zo dat hij slaat",
    "niet dat hij slaat hoor",
    "ik heb niet het idee dat ze zich terugtrekt",
])
def test_a_negation_of_the_behaviour_itself_still_denies_it(recognise, text):
    matches = recognise(text)
    assert matches and not _present(matches)
    assert DENIED in {m.status for m in matches}


def test_a_denial_cue_needs_its_words_in_one_sub_clause(recognise):
    # "ik merk ... niet" across "dat" is no "ik merk niet".
    assert _present(recognise("ik merk dat ze zich niet kan beheersen"))


@pytest.mark.parametrize("text", [
    "ik ben echt op", "we zijn helemaal op", "ik ben totaal op, ik weet het niet meer",
    "ik ben helemaal op en hij blijft maar gillen", "ik ben op.", "we zijn op",
])
def test_a_parent_who_is_op_is_exhausted(recognise, text):
    assert "parent_exhausted" in _present(recognise(text))


@pytest.mark.parametrize("text", [
    "ik ben zo op zoek naar hulp", "ik ben helemaal op de hoogte van zijn verleden",
    "ik ben echt op het werk als hij thuiskomt", "we zijn echt op vakantie geweest",
    "ik ben zo trots op hem", "ik ben echt gek op haar", "ik ben helemaal op mij zelf aangewezen",
])
def test_op_with_an_object_is_no_exhaustion(recognise, text):
    assert "parent_exhausted" not in _present(recognise(text))


def test_a_bare_predicative_op_phrase_needs_op_without_object():
    from bouwstenen.recognition import compile_phrase, find_phrase
    from bouwstenen.text import analyse

    phrase = compile_phrase("ik|k ben|zijn op")
    assert find_phrase(phrase, analyse("ik ben op").clauses[0]) is not None
    assert find_phrase(phrase, analyse("ik ben op, echt").clauses[0]) is not None
    assert find_phrase(phrase, analyse("ik ben op zoek naar informatie").clauses[0]) is None
    assert find_phrase(phrase, analyse("ik ben op het werk").clauses[0]) is None
    # not a copula: "op" as a particle keeps matching with an object after it
    assert find_phrase(compile_phrase("ik hamer op"), analyse("ik hamer op de regels").clauses[0]) is not None


# A condition and what happens then are one clause: a phrase may span them.
@pytest.mark.parametrize("text, signal", [
    ("hij raakt in paniek als ik even weg ben", "clinging"),
    ("ze raakt in paniek als we iets anders doen dan gepland", "rigidity"),
    ("ze stopt zodra het lastig wordt", "gives_up_quickly"),
    ("ik zie niet wanneer het misgaat", "parent_struggles_to_attune"),
])
def test_a_phrase_may_span_a_condition_and_its_main_clause(recognise, text, signal):
    assert signal in _present(recognise(text))


@pytest.mark.parametrize("text, signal", [
    # the subject of "hij|ze reageert/luistert niet" must stand in the verb's own clause
    ("ik weet niet hoe ik moet reageren als hij zo doet", "apathetic"),
    ("ik luister eigenlijk niet als hij over school vertelt", "stubbornness"),
])
def test_a_subject_from_the_condition_is_not_the_main_clauses_subject(recognise, text, signal):
    assert signal not in _present(recognise(text))


def test_the_past_reaches_over_a_condition(recognise):
    matches = recognise("vroeger, als hij boos was, bonkte hij met zijn hoofd")
    assert matches and not _present(matches)
    assert PAST in {m.status for m in matches}


@pytest.mark.parametrize("text, signal", [
    # a separable verb's particle closes the clause, however long its middle is
    ("ze klampt zich bij het afscheid op school altijd aan mij vast", "clinging"),
    ("hij sluit zich na een ruzie met zijn zus altijd dagenlang helemaal af", "withdrawal"),
])
def test_a_separable_verb_may_have_a_long_middle(recognise, text, signal):
    assert signal in _present(recognise(text))


def test_a_particle_that_does_not_close_the_clause_is_not_stretched(recognise):
    from bouwstenen.recognition import compile_phrase, find_phrase
    from bouwstenen.text import analyse

    phrase = compile_phrase("klamp* vast")
    tokens = analyse("ze klampt zich bij het afscheid op school altijd aan mij vast").clauses[0]
    assert find_phrase(phrase, tokens) is not None
    tokens = analyse("ze klampt haar tas in de bus op weg naar school vast met twee handen").clauses[0]
    assert find_phrase(phrase, tokens) is None


@pytest.mark.parametrize("text", [
    "hij slaat niet, hij schopt",
    "vroeger schopte hij, nu slaat hij",
])
def test_the_same_behaviour_again_in_another_sub_clause_counts(recognise, text):
    assert "aggression" in _present(recognise(text))


@pytest.mark.parametrize("text, status", [
    ("vroeger schopte hij, nu niet meer", PAST),
    ("hij slaat niet en hij schopt niet", DENIED),
])
def test_denied_or_past_everywhere_stays_so(recognise, text, status):
    matches = recognise(text)
    assert "aggression" not in _present(matches)
    assert status in {m.status for m in matches if m.signal_id == "aggression"}


@pytest.mark.parametrize("text", [
    "als het zoontje van mijn zus er is slaat hij",
    "toen de zoon van mijn zus op bezoek was, sloeg hij hem",
])
def test_someone_else_in_a_condition_is_not_the_subject(recognise, text):
    assert "aggression" in _present(recognise(text))


def test_someone_else_as_the_subject_before_a_condition_still_is(recognise):
    assert not _present(recognise("het zoontje van mijn zus slaat iedereen als hij boos is"))


@pytest.mark.parametrize("text, signal", [
    # a behaviour that is a negation itself: another negation insists, it does not deny
    ("ze huilt niet, nooit, ook niet als ze pijn heeft", "apathetic"),
    ("hij heeft nooit geen vriendjes", "loneliness"),
])
def test_a_negation_beside_a_negative_behaviour_insists(recognise, text, signal):
    assert signal in _present(recognise(text))


def test_someone_else_is_named_in_the_order_written(recognise):
    # "vriendin haar dochter" is someone else's child; "dochter ... haar vriendinnetjes" is not
    assert _present(recognise("mijn vriendin haar dochter klampt zich altijd aan haar vast")) == set()
    matches = recognise("mijn dochter pest haar vriendinnetjes en snapt niet waarom ze niet meer met haar willen spelen")
    assert "other_person" not in {m.status for m in matches}


def test_a_past_word_dates_what_follows_it_not_what_came_before(recognise):
    matches = {m.signal_id: m.status for m in recognise("hij schopt en vroeger bonkte hij met zijn hoofd")}
    assert matches == {"aggression": PRESENT, "head_banging": PAST}
    assert not _present(recognise("hij bonkte met zijn hoofd, vroeger"))


@pytest.mark.parametrize("text, signal", [
    # the "niet" of "hij luistert niet" / "deelt niet" cannot come from a part a comma closes off
    ("niet echt, hij luistert eigenlijk best goed", "stubbornness"),
    ("dat herken ik niet, hij deelt gewoon met zijn broertje", "cannot_share"),
])
def test_a_phrase_does_not_borrow_a_negation_from_another_part(recognise, text, signal):
    assert signal not in _present(recognise(text))


def test_a_phrase_keeps_a_negation_that_governs_a_clause(recognise):
    assert "parent_struggles_to_attune" in _present(recognise("ik kan niet aanvoelen wat ze nodig heeft"))


@pytest.mark.parametrize("text", [
    "het is niet zo dat ze steelt",
    "ik zou niet zeggen dat ze agressief is",
    "het is niet zo dat hij niet wil luisteren, hij kan het niet",
])
def test_a_denial_of_a_whole_clause(recognise, text):
    matches = recognise(text)
    assert matches and not _present(matches)


@pytest.mark.parametrize("text, kept, dropped", [
    ("hij trekt me naar zich toe en duwt me dan weer weg", "ambivalent_behaviour", "defensive"),
    ("hij moet alles in de hand hebben", "needs_control", "greed"),
])
def test_words_of_a_longer_match_are_no_second_behaviour(recognise, text, kept, dropped):
    signals = {m.signal_id for m in recognise(text)}
    assert kept in signals and dropped not in signals


def test_behaviours_that_share_no_words_both_count(recognise):
    assert {"head_banging", "self_rocking"} <= _present(
        recognise("hij bonkt met zijn hoofd tegen de muur en wiegt zichzelf in slaap"))


@pytest.mark.parametrize("text, status", [
    ("liegen en manipuleren, nee, dat herken ik totaal niet bij hem", DENIED),
    ("slaan, dat doet ze niet", DENIED),
])
def test_a_denial_after_the_behaviour_in_its_own_sub_clause_denies_it(recognise, text, status):
    assert {m.status for m in recognise(text)} == {status}


def test_a_denial_after_another_behaviour_is_that_ones(recognise):
    matches = {m.signal_id: m.status for m in recognise(
        "hij bonkt met zijn hoofd, en stelen, dat doet hij niet")}
    assert matches.get("head_banging") == PRESENT and matches.get("stealing") == DENIED


@pytest.mark.parametrize("text", [
    "een klasgenootje van mijn dochter pikt steeds dingen uit haar laatje",
    "mijn schoonmoeder is zo koppig, die wil nooit luisteren",
    "mijn zus vindt dat haar zoon heel koppig is",
])
def test_someone_elses_behaviour_is_not_claimed(recognise, text):
    assert not _present(recognise(text))


@pytest.mark.parametrize("text", [
    "mijn zus zegt dat hij heel koppig is",             # the sister reports it
    "hij heeft een klasgenoot een blauw oog geslagen",  # the classmate is the object
])
def test_a_reporter_or_an_object_is_not_the_one_who_does_it(recognise, text):
    assert _present(recognise(text))
