"""Which transcripts make the session wait before answering."""

from __future__ import annotations

import pytest

from voice_io.endpoint import looks_unfinished, thinking_aloud


@pytest.mark.parametrize("text", ["Let me think.", "Hmm, good question...", "Give me a second", "So, um",
                                  "I would, uh"])
def test_thinking_aloud_waits_longer(text: str) -> None:
    assert thinking_aloud(text) and looks_unfinished(text)


@pytest.mark.parametrize("text", ["I think we should ship it.", "That is all.", "Well done, thank you.", ""])
def test_finished_turns_do_not(text: str) -> None:
    assert not thinking_aloud(text)
