"""Backchannel detection: what may be said over the agent without interrupting it."""

from __future__ import annotations

import pytest

from voice_io.backchannel import is_backchannel


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
