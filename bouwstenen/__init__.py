"""Bouwstenen-assistent: domain logic, independent of Rasa.

knowledge   – loads and validates knowledge/*.yml (the one source of truth)
text        – normalisation and Dutch tokenisation/lemmatisation (spaCy)
recognition – behaviour signals in a message, with negation and the past
safety      – crisis and safeguarding detection (never triaged)
scoring     – ranking the building blocks for a description
replies     – the Dutch replies the assistant sends
triage      – the bouwstenen-triage command line tool
"""
