"""The one sentence splitter (pysbd): abbreviations, decimals and new lines, spans, long answers."""

from __future__ import annotations

import itertools
import re

import pysbd
import pytest

from tools.text import sentence_spans, sentences, split_sentences


def test_split_keeps_abbreviations_and_numbers_whole() -> None:
    text = "I met Dr. Smith today. It grew 3.5 percent, e.g. this year. Really? Yes! The U.S. is big."
    assert split_sentences(text) == [
        "I met Dr. Smith today.",
        "It grew 3.5 percent, e.g. this year.",
        "Really?",
        "Yes!",
        "The U.S. is big.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\n\n"])
def test_split_blank_is_empty(text: str) -> None:
    assert split_sentences(text) == [] and sentence_spans(text) == []


def test_a_new_line_ends_a_sentence_even_without_a_stop() -> None:
    assert split_sentences("  First line.\nSecond line without a stop") == [
        "First line.",
        "Second line without a stop",
    ]
    assert split_sentences("Great\n\nWhat did you build?") == ["Great", "What did you build?"]


def test_spans_point_into_the_text() -> None:
    text = "  Yesterday I goed home.  Then I eated. \nDone"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Yesterday I goed home.", "Then I eated.", "Done"]
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(spans))


def test_scorers_count_only_sentences_with_words() -> None:
    assert sentences("Well. ... I led the team! ?") == ["Well.", "I led the team!"]


def test_nothing_is_lost_from_messy_text() -> None:
    text = 'He said "stop." Then -- nothing... 3.5% of 1,000 (approx.) went e.g. there?! OK'
    assert re.findall(r"\w+", " ".join(split_sentences(text))) == re.findall(r"\w+", text)


def test_a_long_answer_is_split_as_a_whole_text_would_be() -> None:
    """Long lines are segmented window by window (pysbd is quadratic): same sentences, none lost."""
    text = "I led a team of five, e.g. Dr. Smith and me. It grew 3.5 percent! Why? " * 200
    got = split_sentences(text)
    whole = [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text)]
    assert got == [s for s in whole if s]
    assert len(got) == 600 and got[:4] == [
        "I led a team of five, e.g. Dr. Smith and me.",
        "It grew 3.5 percent!",
        "Why?",
        "I led a team of five, e.g. Dr. Smith and me.",
    ]
    assert " ".join(got) == text.strip()
    run_on = "and then " * 1000
    assert split_sentences(run_on) == [run_on.strip()]
