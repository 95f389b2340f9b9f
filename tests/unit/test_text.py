import pytest

from bouwstenen.text import analyse


def _segments(text):
    """The message's sub-clauses as strings, per clause."""
    result = []
    for tokens in analyse(text).clauses:
        parts = []
        for token in tokens:
            if parts and parts[-1][0] == token.segment:
                parts[-1][1].append(token.text)
            else:
                parts.append((token.segment, [token.text]))
        result.append([" ".join(words) for _, words in parts])
    return result


@pytest.mark.parametrize("text, expected", [
    # After a leading condition the main clause starts at its verb, with or without a comma.
    ("als ik niet oplet pakt hij geld", [["als ik niet oplet", "pakt hij geld"]]),
    ("als hij zijn zin niet krijgt, bonkt hij", [["als hij zijn zin niet krijgt", "bonkt hij"]]),
    ("als het niet lukt dan ontploft hij", [["als het niet lukt", "dan ontploft hij"]]),
    ("als ik zeg dat hij moet stoppen slaat hij", [["als ik zeg", "dat hij moet stoppen", "slaat hij"]]),
    # "en", a comma and "dat" start a sub-clause; "maar" and "dan" as adverbs do not.
    ("hij kan niet slapen en bonkt dan met zijn hoofd", [["hij kan niet slapen", "en bonkt dan met zijn hoofd"]]),
    ("hij slaat niet, hij schopt", [["hij slaat niet", "hij schopt"]]),
    ("ik merk dat hij niet slaapt", [["ik merk", "dat hij niet slaapt"]]),
    ("ze zit altijd maar op haar kamer", [["ze zit altijd maar op haar kamer"]]),
    ("hij slaat dan niet", [["hij slaat dan niet"]]),
    # "niet (zo) dat ..." is one denial
    ("het is niet zo dat hij slaat", [["het is niet zo dat hij slaat"]]),
])
def test_sub_clauses(text, expected):
    assert _segments(text) == expected


def _subclauses(text):
    return [len({t.subclause for t in tokens}) for tokens in analyse(text).clauses]


@pytest.mark.parametrize("text, count", [
    ("hij raakt in paniek als ik even weg ben", 2),     # a condition is its own clause
    ("als ik niet oplet pakt hij geld", 2),
    ("als ze naar papa loopt en mij negeert, breekt er iets", 2),  # "en" inside the condition
    ("ik wil dat ze doet wat ik zeg", 1),               # complements share the subject
    ("ze gaat in een hoekje zitten en reageert niet", 1),
])
def test_adverbial_clauses(text, count):
    assert _subclauses(text) == [count]


def test_sub_clause_numbers_increase_through_the_message():
    numbers = [t.segment for tokens in analyse("hij slaat, hij schopt. maar ze huilt").clauses for t in tokens]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
