"""`voice_io.wire.event_message`: the brain's typed events as the client receives them."""

from __future__ import annotations

import json

from voice_io.events import EvaluationEvent, StateEvent, ToolEvent, WarningEvent
from voice_io.wire import event_message


def test_tool_event_carries_name_status_and_turn_and_an_error_only_when_failed() -> None:
    assert event_message(ToolEvent("score_answer", "start", turn_id="u1")) == {
        "type": "tool",
        "name": "score_answer",
        "status": "start",
        "turn_id": "u1",
    }
    failed = event_message(ToolEvent("score_answer", "error", turn_id="u1", error="boom"))
    assert failed["status"] == "error" and failed["error"] == "boom"


def test_evaluation_spreads_the_workflow_fields_and_the_turn_id_wins() -> None:
    event = EvaluationEvent({"workflow": "interview", "score": 7.5, "turn_id": "stale"}, turn_id="u2")
    assert event_message(event) == {
        "type": "evaluation",
        "workflow": "interview",
        "score": 7.5,
        "turn_id": "u2",
    }


def test_state_has_node_phase_and_counters_and_a_counter_cannot_override_them() -> None:
    event = StateEvent(
        node="ask_question", phase="awaiting_answer", fields={"question_index": 2, "node": "x"}
    )
    assert event_message(event) == {
        "type": "state",
        "question_index": 2,
        "node": "ask_question",
        "phase": "awaiting_answer",
    }


def test_warning_is_a_non_fatal_protocol_error() -> None:
    message = event_message(WarningEvent(code="llm_failed", message="the language model failed"))
    assert message == {
        "type": "error",
        "code": "llm_failed",
        "message": "the language model failed",
        "fatal": False,
    }
    assert json.loads(json.dumps(message)) == message
