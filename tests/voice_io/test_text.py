"""Sentence splitting, streamed sentence chunking for TTS, and backchannel detection."""

from __future__ import annotations

import re

import pytest

from voice_io.text import SentenceChunker, is_backchannel, split_sentences

# --------------------------------------------------------------------------- split_sentences


def test_split_keeps_abbreviations_and_numbers_whole() -> None:
    text = "I met Dr. Smith today. It grew 3.5 percent, e.g. this year. Really? Yes! The U.S. is big."
    assert split_sentences(text) == [
        "I met Dr. Smith today.",
        "It grew 3.5 percent, e.g. this year.",
        "Really?",
        "Yes!",
        "The U.S. is big.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_split_blank_is_empty(text: str) -> None:
    assert split_sentences(text) == []


def test_split_handles_newlines_and_missing_final_stop() -> None:
    assert split_sentences("  First line.\nSecond line without a stop") == [
        "First line.",
        "Second line without a stop",
    ]


# --------------------------------------------------------------------------- SentenceChunker


def tokens(text: str) -> list[str]:
    """Split like an LLM stream: words with their leading space, punctuation as its own token."""
    return re.findall(r" ?\w+|[^\w\s]| ", text)


def stream(chunker: SentenceChunker, text: str) -> list[tuple[int, str]]:
    """Push token by token; return (index of the token that completed it, chunk)."""
    out: list[tuple[int, str]] = []
    for i, tok in enumerate(tokens(text)):
        out.extend((i, s) for s in chunker.push(tok))
    out.extend((-1, s) for s in chunker.flush())
    return out


def test_tokens_helper_round_trips() -> None:
    text = "Dr. Smith said 3.5 percent, e.g. this."
    assert "".join(tokens(text)) == text


def test_sentences_are_released_once_more_text_follows() -> None:
    chunker = SentenceChunker()
    assert chunker.push("Hello there.") == []  # might still be "Hello there.com"...
    assert chunker.push(" ") == []
    assert chunker.push("How") == ["Hello there."]
    assert chunker.pending == "How"
    assert chunker.push(" are you?") == []
    assert chunker.flush() == ["How are you?"]
    assert chunker.flush() == []


def test_streamed_reply_gives_the_same_sentences_as_splitting_it_whole() -> None:
    text = (
        "Welcome back! I met Dr. Smith yesterday, e.g. at the café. Rates rose 3.5 percent in 2024. "
        "Mr. and Mrs. Jones left at 10 a.m. sharp. Ready? Let's begin."
    )
    chunks = [s for _, s in stream(SentenceChunker(), text)]
    assert chunks == split_sentences(text)
    assert chunks[1] == "I met Dr. Smith yesterday, e.g. at the café."
    assert chunks[2] == "Rates rose 3.5 percent in 2024."


def test_sentences_come_out_as_soon_as_the_next_one_starts() -> None:
    text = "First one here. Second one."
    toks = tokens(text)
    out = stream(SentenceChunker(), text)
    assert out[0] == (toks.index(" Second"), "First one here.")
    assert out[1] == (-1, "Second one.")


def test_number_split_across_tokens_is_not_cut() -> None:
    chunker = SentenceChunker()
    got: list[str] = []
    for tok in ["It", " costs", " 3", ".", "5", " dollars", ".", " Cheap", "!"]:
        got += chunker.push(tok)
    got += chunker.flush()
    assert got == ["It costs 3.5 dollars.", "Cheap!"]


def test_abbreviation_split_across_tokens_is_not_cut() -> None:
    chunker = SentenceChunker()
    got: list[str] = []
    for tok in ["Ask", " Dr", ".", " Smith", " about", " e", ".", "g", ".", " dosing", ".", " Then", " rest"]:
        got += chunker.push(tok)
    assert got == ["Ask Dr. Smith about e.g. dosing."]
    assert chunker.flush() == ["Then rest"]


def test_first_clause_starts_speech_early() -> None:
    text = "Well, I think the short answer, honestly, is yes. Then a second clause, here, stays whole."
    toks = tokens(text)
    out = stream(SentenceChunker(first_clause=True), text)
    chunks = [s for _, s in out]
    # "Well," has too few words; the first boundary after 4+ words is "answer,"
    assert chunks[0] == "Well, I think the short answer,"
    assert out[0][0] == toks.index(" honestly")  # released as soon as text follows the comma
    assert chunks[1:] == ["honestly, is yes.", "Then a second clause, here, stays whole."]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Here is the first part; and the rest follows.", "Here is the first part;"),
        ("Here is the first part: a list follows.", "Here is the first part:"),
        ("Here is the first part - and then more.", "Here is the first part"),
        ("Here is the first part — and then more.", "Here is the first part"),
    ],
)
def test_first_clause_boundaries(text: str, first: str) -> None:
    chunks = [s for _, s in stream(SentenceChunker(first_clause=True), text)]
    assert chunks[0] == first
    assert len(chunks) == 2


def test_first_clause_ignores_numbers_and_short_heads() -> None:
    text = "It costs 3,000 dollars per year in total."
    assert [s for _, s in stream(SentenceChunker(first_clause=True), text)] == [text]
    text = "Yes, sure, fine, okay then."
    assert [s for _, s in stream(SentenceChunker(first_clause=True), text)] == [text]


def test_first_clause_only_for_the_first_chunk_of_each_reply() -> None:
    chunker = SentenceChunker(first_clause=True)
    reply = "Sure thing. After that, we will look at the next, harder question."
    assert [s for _, s in stream(chunker, reply)] == split_sentences(reply)
    # flush() ends the reply: the next reply may be cut early again
    again = [s for _, s in stream(chunker, "So here is my question, which one do you prefer?")]
    assert again == ["So here is my question,", "which one do you prefer?"]


def test_first_clause_not_used_when_disabled() -> None:
    text = "Well, I think the short answer, honestly, is yes."
    assert [s for _, s in stream(SentenceChunker(), text)] == [text]


def test_whole_sentences_in_one_push() -> None:
    chunker = SentenceChunker(first_clause=True)
    assert chunker.push("One sentence here, with a comma in it. Two. Thr") == [
        "One sentence here, with a comma in it.",
        "Two.",
    ]
    assert chunker.flush() == ["Thr"]


def test_nothing_is_lost_or_duplicated() -> None:
    text = (
        "Okay, so let's go through your answer step by step: first, the structure was clear. "
        "Second - and this matters - you gave numbers, e.g. 3.5 percent growth. Nice work!"
    )
    chunks = [s for _, s in stream(SentenceChunker(first_clause=True), text)]
    assert len(chunks) >= 4
    # same words in the same order (a dash at a clause cut may be dropped)
    assert re.findall(r"\w+", " ".join(chunks)) == re.findall(r"\w+", text)


# --------------------------------------------------------------------------- is_backchannel


@pytest.mark.parametrize(
    "text",
    [
        "mm-hm",
        "Mm-hmm.",
        "mhm",
        "Hmm.",
        "Uh-huh.",
        "uh huh",
        "Yeah.",
        "yes",
        "Yep!",
        "okay",
        "OK.",
        "Right.",
        "sure",
        "I see.",
        "got it",
        "All right.",
        "Oh, okay.",
        "Oh, I see.",
        "Yeah, yeah.",
        "Okay, got it.",
        "  YEAH!!  ",
    ],
)
def test_backchannels(text: str) -> None:
    assert is_backchannel(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "...",
        "no",
        "No.",
        "stop",
        "Wait.",
        "wait wait",
        "Yeah but what about the budget?",
        "yeah but",
        "okay so",
        "I",
        "see",
        "huh?",
        "uh",
        "oh",
        "um",
        "Sure, sure, sure, sure.",
        "thank you",
        "Right, and another thing.",
        "What?",
        "Hold on.",
    ],
)
def test_not_backchannels(text: str) -> None:
    assert not is_backchannel(text)
