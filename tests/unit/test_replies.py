from bouwstenen import replies
from bouwstenen.recognition import default_recogniser
from bouwstenen.scoring import assess


def _reply(text):
    return replies.describe(assess(default_recogniser().recognise(text)))


def test_several_blocks_are_named_ranked_with_the_pyramid_note(knowledge):
    reply = _reply("hij klampt zich de hele dag aan me vast")
    text = reply.text
    assert knowledge.block(2).title in text and knowledge.block(3).title in text
    # A tie: the higher block is named first, and support starts at the lowest one.
    assert text.index(knowledge.block(3).title) < text.index(knowledge.block(2).title)
    assert knowledge.model.pyramid in text and "Hier zou dat bouwsteen 2 zijn" in text


def test_replies_are_short_paragraphs():
    reply = _reply("ze bonkt met haar hoofd, wiegt zichzelf en slaapt slecht")
    assert len(reply.paragraphs) <= 6
    assert all(len(p) < 600 for p in reply.paragraphs)


def test_crisis_reply_lists_every_urgent_contact(knowledge):
    text = replies.crisis(knowledge).text
    for contact in knowledge.urgent_help:
        assert contact.phone in text


def test_human_contact_comes_from_the_organisation(knowledge):
    text = replies.human_contact(knowledge).text
    assert knowledge.organisation.human_contact.phone in text
    assert knowledge.organisation.human_contact.email in text


def test_other_languages_get_an_answer_in_that_language(knowledge):
    assert replies.other_language("hello, can you help me with my son?", knowledge).text.startswith("Sorry")
    assert replies.other_language("Hallo, ich brauche Hilfe mit meiner Tochter", knowledge).text.startswith("Entschuldigung")
    assert replies.other_language("bonjour, je cherche de l'aide pour mon fils", knowledge).text.startswith("Désolé")
    assert replies.other_language("merhaba, oğlum için yardım lazım", knowledge).text.startswith("Üzgünüm")
    assert knowledge.organisation.human_contact.phone in replies.other_language("???", knowledge).text
