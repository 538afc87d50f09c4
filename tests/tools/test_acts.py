"""Dialogue acts of user turns (tools.acts) on turns written for this test, not the classifier's
examples: the real sentence encoder, cues, and what happens without the encoder."""

from __future__ import annotations

import numpy as np
import pytest

from tools.acts import _EXAMPLE_TEXTS, EXAMPLE_VECTORS, classify_act, closest_topic
from tools.semantic.encoder import shared_encoder

TURNS = [
    ("answer", "Our team moved the database to the cloud and I wrote the migration scripts myself."),
    ("answer", "I'd probably start by checking the logs, then try to reproduce it locally."),
    ("answer", "Mostly I cook at home, pasta or rice with vegetables."),
    ("answer", "Um, so, at university I organised a charity run with about two hundred people."),
    ("answer", "I don't know if it counts, but I once fixed a bug that had blocked releases for a week."),
    ("answer", "Last year I visited my cousins in Poland."),
    ("answer", "I think remote work is better for focus but worse for learning from colleagues."),
    ("question", "What kind of projects would I be working on?"),
    ("question", "How many people are in your team?"),
    ("question", "Do you have children?"),
    ("question", "And what do you do for fun?"),
    ("question", "Which cities have you visited?"),
    ("clarify", "Sorry, could you say that once more?"),
    ("clarify", "I'm not sure I understand what you're asking."),
    ("clarify", "Can you use easier words?"),
    ("clarify", "What exactly do you mean by stakeholders?"),
    ("pass", "No clue, honestly."),
    ("pass", "I really don't know this one."),
    ("pass", "Can we skip this question?"),
    ("thinking", "Hmm, give me a moment."),
    ("thinking", "Let me think about that."),
    ("smalltalk", "Hi! Nice to meet you."),
    ("smalltalk", "Yes, I'm ready."),
    ("smalltalk", "Thanks a lot."),
    ("control", "Can we finish now?"),
    ("control", "This is too difficult for me."),
    ("control", "Let's talk about something else."),
]


@pytest.fixture(scope="module")
def encoder():
    return shared_encoder()


def test_acts_of_new_turns(encoder) -> None:
    wrong = [(act, text, classify_act(text, encoder=encoder).kind) for act, text in TURNS
             if classify_act(text, encoder=encoder).kind != act]
    assert len(wrong) <= 2, wrong  # at least 25 of 27
    answers = [text for act, text in TURNS if act == "answer"]
    assert all(classify_act(t, encoder=encoder).kind == "answer" for t in answers)  # never lose an answer


def test_an_answer_that_ends_with_a_question_keeps_both(encoder) -> None:
    act = classify_act("I usually cycle to work, it takes twenty minutes. And you, how do you get to work?",
                       encoder=encoder)
    assert act.kind == "answer" and act.question == "And you, how do you get to work?"


def test_yes_is_an_answer_to_a_yes_no_question(encoder) -> None:
    yes = classify_act("Yes, every weekend.", asked="Do you play any sports?", encoder=encoder)
    assert yes.kind == "answer"
    assert classify_act("Okay.", asked="Tell me about a conflict.", encoder=encoder).kind == "smalltalk"


def test_long_turns_are_answers_whatever_they_contain(encoder) -> None:
    text = ("I don't know exactly how many requests we had, but let me think, it was around a thousand a "
            "second at peak, and we had to add caching and a queue to keep the latency under control.")
    assert classify_act(text, encoder=encoder).kind == "answer"


def test_without_the_encoder_cues_and_question_form_decide() -> None:
    assert classify_act("I don't know.", use_encoder=False).kind == "pass"
    assert classify_act("What does your team do?", use_encoder=False).kind == "question"
    assert classify_act("We rebuilt the billing service.", use_encoder=False).kind == "answer"


@pytest.mark.parametrize("text", ["", "   ", "?!", "um uh", "x" * 5000, "é 日本 \n\t"])
def test_odd_input_never_raises(text: str) -> None:
    assert classify_act(text).kind in ("answer", "thinking", "question", "clarify", "pass", "smalltalk",
                                       "control")


def test_stored_example_vectors_are_the_live_encoders(encoder) -> None:
    with np.load(EXAMPLE_VECTORS) as stored:
        assert [str(t) for t in stored["texts"]] == _EXAMPLE_TEXTS, "run: python -m tools.acts"
        assert np.allclose(stored["vectors"], encoder.encode(_EXAMPLE_TEXTS), atol=1e-3)


def test_closest_topic_by_meaning(encoder) -> None:
    topics = {"home": "Where do you live?", "food": "What do you like to eat?"}
    assert closest_topic("Which city are you from?", topics, encoder=encoder) == "home"
    assert closest_topic("Do you like sushi?", topics, encoder=encoder) == "food"
    assert closest_topic("Quantum chromodynamics lattice gauge", topics, encoder=encoder) is None
