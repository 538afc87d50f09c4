"""The shared turn classifier: figures are answers (regression: "$10,000" was empty, "50k",
"20 to 30k" and "Q3" were nonsense, so good answers got "Sorry, I couldn't quite follow that.")."""

from __future__ import annotations

import pytest

from graph.nodes import classify_turn


@pytest.mark.parametrize(
    "text",
    ["$10,000", "50k", "20 to 30k", "Q3", "in Q3", "30%", "3pm", "£5,000 a month", "2027", "7", "FY27"],
)
def test_figures_are_answers(text: str) -> None:
    assert classify_turn(text) == "ok"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("", "empty"), ("...", "empty"), ("xzq brrrt ggggg", "nonsense"), ("can you repeat that?", "repeat")],
)
def test_unusable_turns_stay_unusable(text: str, kind: str) -> None:
    assert classify_turn(text) == kind


@pytest.mark.parametrize("budget", ["$10,000", "50k", "20 to 30k"])
async def test_figure_answers_are_taken_not_re_asked(make_responder, budget: str) -> None:
    """The trap: sales' budget and timeline answers got "Sorry, I couldn't quite follow that."."""
    from tests.graph.conftest import collect, notices, spoken, turn

    conversation = await make_responder().open(workflow="sales", thread_id=None, options={})
    await collect(conversation.opening())
    await collect(conversation.reply(turn("Acme")))
    await collect(conversation.reply(turn("yes, invoicing")))
    events = await collect(conversation.reply(turn(budget)))
    assert "couldn't quite follow" not in spoken(events) and "didn't catch" not in spoken(events)
    assert notices(events, "evaluation")[0]["valid"] is True
    await collect(conversation.reply(turn("yes")))
    await collect(conversation.reply(turn("yes")))
    events = await collect(conversation.reply(turn("Q3")))
    assert "couldn't quite follow" not in spoken(events)
    assert conversation.values["record"]["timeline"]["by"].endswith("-09-30")
