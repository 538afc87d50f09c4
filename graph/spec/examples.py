"""Run a spec's `examples:` (scripted conversations) on the real graph and check what resulted.

Each example opens a conversation on the rules brain (templates, no model: the same words on every
machine), plays the user lines, finishes, and compares the report with the expected slot values,
completeness and verdict, and the agent's words with `says:`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph.registry import Workflow, overlay
from graph.spec.conditions import same
from graph.spec.dates import TODAY
from graph.spec.schema import Example


@dataclass
class ExampleResult:
    name: str
    failures: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures


def matches(actual: Any, expected: Any) -> bool:
    """Expected mappings are subsets; yes_no values compare with yes / no; text ignores case."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(matches(actual.get(k), v) for k, v in expected.items())
    if isinstance(actual, Mapping) and "yes" in actual:
        return same(actual["yes"], expected)
    if isinstance(expected, list):
        return (
            isinstance(actual, list) and len(actual) == len(expected) and all(map(matches, actual, expected))
        )
    return same(actual, expected)


def _text(events: list[Any]) -> str:
    from voice_io.protocols import Say

    return "".join(e.text for e in events if isinstance(e, Say)).strip()


async def run_example(workflow: Workflow, example: Example) -> ExampleResult:
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.responder import GraphResponder
    from voice_io.protocols import Finished, UserTurn

    result = ExampleResult(example.name)
    token = TODAY.set(datetime.fromisoformat(example.today) if example.today else None)
    done: Finished | None = None
    try:
        with overlay(workflow):
            responder = GraphResponder(chat_model=None, checkpointer=InMemorySaver())
            conversation = await responder.open(
                workflow=workflow.name, thread_id=None, options=example.options
            )
            events = [e async for e in conversation.opening()]
            result.transcript.append(("agent", _text(events)))
            for index, line in enumerate(example.user):
                if done is not None:
                    result.failures.append(f"the conversation ended before user line {index + 1} ({line!r})")
                    break
                result.transcript.append(("user", line))
                turn = UserTurn(turn_id=f"x{index}", text=line, source="text")
                events = [e async for e in conversation.reply(turn)]
                result.transcript.append(("agent", _text(events)))
                done = next((e for e in events if isinstance(e, Finished)), None)
            if done is None:
                events = [e async for e in conversation.finish()]
                result.transcript.append(("agent", _text(events)))
                done = next((e for e in events if isinstance(e, Finished)), None)
            await conversation.close()
    finally:
        TODAY.reset(token)
    result.report = dict(done.summary) if done is not None else {}
    _check(example, result)
    return result


def _check(example: Example, result: ExampleResult) -> None:
    record = result.report.get("record", {})
    for slot, expected in example.values.items():
        if slot not in record:
            result.failures.append(f"{slot}: expected {expected!r}, but it was not recorded")
        elif not matches(record[slot], expected):
            result.failures.append(f"{slot}: expected {expected!r}, got {record[slot]!r}")
    if example.complete is not None and result.report.get("complete") != example.complete:
        result.failures.append(
            f"complete: expected {example.complete}, got {result.report.get('complete')} "
            f"(missing: {', '.join(result.report.get('missing', [])) or 'nothing'})"
        )
    if example.verdict is not None and not matches(result.report.get("verdict"), example.verdict):
        result.failures.append(f"verdict: expected {example.verdict!r}, got {result.report.get('verdict')!r}")
    said = " ".join(text for who, text in result.transcript if who == "agent").lower()
    for phrase in example.says:
        if phrase.lower() not in said:
            result.failures.append(f"the agent never said {phrase!r}")


async def run_examples(workflow: Workflow) -> list[ExampleResult]:
    spec = workflow.spec
    if spec is None:
        raise ValueError(f"workflow {workflow.name!r} is coded, not a spec: it has no examples")
    return [await run_example(workflow, example) for example in spec.examples]
