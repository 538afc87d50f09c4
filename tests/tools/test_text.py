"""The one sentence splitter (pysbd), whole and streamed token by token as a model writes."""

from __future__ import annotations

import itertools
import re

import pysbd
import pytest

from tools.text import SentenceStream, sentence_spans, sentences, split_sentences

# --------------------------------------------------------------------------- whole text


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


# --------------------------------------------------------------------------- streamed


def tokens(text: str) -> list[str]:
    """Split like an LLM stream: words with their leading space, punctuation as its own token."""
    return re.findall(r" ?\w+|[^\w\s]|\s", text)


def stream(splitter: SentenceStream, text: str) -> list[tuple[int, str]]:
    """Push token by token; return (index of the token that completed it, sentence); -1 = flush."""
    out: list[tuple[int, str]] = []
    for i, tok in enumerate(tokens(text)):
        out.extend((i, s) for s in splitter.push(tok))
    out.extend((-1, s) for s in splitter.flush())
    return out


def test_tokens_helper_round_trips() -> None:
    text = "Dr. Smith said 3.5 percent, e.g. this.\nOK"
    assert "".join(tokens(text)) == text


def test_a_sentence_is_released_at_the_space_after_it_when_nothing_could_join_it() -> None:
    splitter = SentenceStream()
    assert splitter.push("Hello there.") == []  # might still be "Hello there.com"
    assert splitter.push(" ") == ["Hello there."]  # whatever comes next starts a new sentence
    assert splitter.push("How") == []
    assert splitter.push(" are you?") == []
    assert splitter.pending.strip() == "How are you?"
    assert splitter.push(" ") == ["How are you?"]
    assert splitter.flush() == []


@pytest.mark.parametrize("head", ["Ask Dr.", "We use tools, e.g.", "I live in the U.S.", "This is St."])
def test_after_an_abbreviation_the_next_word_decides(head: str) -> None:
    splitter = SentenceStream()
    assert splitter.push(head) == [] and splitter.push(" ") == []  # "Dr. Smith", "e.g. this"...
    assert splitter.push("Smith") == []
    assert splitter.push(" went home. ") == [f"{head} Smith went home."]


def test_the_first_sentence_comes_out_at_the_first_token_of_the_second() -> None:
    text = "First one here. Second one. Third"  # as models stream: " Second" carries the space
    toks = tokens(text)
    out = stream(SentenceStream(), text)
    assert out == [
        (toks.index(" Second"), "First one here."),
        (toks.index(" Third"), "Second one."),
        (-1, "Third"),
    ]


def test_a_new_line_releases_the_sentence_at_once() -> None:
    splitter = SentenceStream()
    assert splitter.push("Great") == []
    assert splitter.push("\n") == ["Great"]
    assert splitter.push("What is it?") == []
    assert splitter.flush() == ["What is it?"]


def test_streamed_reply_gives_the_same_sentences_as_splitting_it_whole() -> None:
    text = (
        "Welcome back! I met Dr. Smith yesterday, e.g. at the café. Rates rose 3.5 percent in 2024. "
        "Mr. and Mrs. Jones left at 10 a.m. sharp. Ready? Let's begin."
    )
    got = [s for _, s in stream(SentenceStream(), text)]
    assert got == split_sentences(text)
    assert got[1] == "I met Dr. Smith yesterday, e.g. at the café."
    assert got[2] == "Rates rose 3.5 percent in 2024."


def test_number_split_across_tokens_is_not_cut() -> None:
    splitter = SentenceStream()
    got: list[str] = []
    for tok in ["It", " costs", " 3", ".", "5", " dollars", ".", " Cheap", "!"]:
        got += splitter.push(tok)
    assert got == ["It costs 3.5 dollars."]
    assert splitter.flush() == ["Cheap!"]


def test_abbreviations_split_across_tokens_are_not_cut() -> None:
    splitter = SentenceStream()
    got: list[str] = []
    for tok in ["Ask", " Dr", ".", " Smith", " about", " e", ".", "g", ".", " dosing", ".", " Then", " rest"]:
        got += splitter.push(tok)
    assert got == ["Ask Dr. Smith about e.g. dosing."]
    assert splitter.flush() == ["Then rest"]


def test_whole_sentences_in_one_push() -> None:
    splitter = SentenceStream()
    assert splitter.push("One sentence here, with a comma in it. Two. Thr") == [
        "One sentence here, with a comma in it.",
        "Two.",
    ]
    assert splitter.flush() == ["Thr"]


def test_nothing_is_lost_or_duplicated_in_a_stream() -> None:
    text = (
        "Okay, so let's go through your answer step by step: first, the structure was clear.\n"
        "Second - and this matters - you gave numbers, e.g. 3.5 percent growth. Nice work!"
    )
    got = [s for _, s in stream(SentenceStream(), text)]
    assert len(got) == 3
    assert re.findall(r"\w+", " ".join(got)) == re.findall(r"\w+", text)


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
