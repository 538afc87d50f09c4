"""The read-aloud exercise of the English workflow (option `exercise: read aloud`).

The partner gives a sentence at the learner's level (sentences.yaml); the learner reads it; the
transcript is aligned to the sentence word by word (`reading.score_reading`) and the partner says
what to repeat, offering one retry. After `turns` sentences it sums up.

Nodes: `start_reading`, `check_reading`, `resume_reading`, and `finish_reading` behind the
workflow's `wrap_up` (`wrap_up_or_finish`). The English builder routes to them through
`entry_step` / `is_reading` / `after_reading`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import cache
from pathlib import Path
from statistics import fmean
from typing import Any, Literal, Protocol

from langgraph.graph import END
from langgraph.runtime import Runtime
from pydantic import BaseModel, ConfigDict, Field

from graph.content import load_entries
from graph.context import Context, context_of
from graph.nodes import last_user_text, say
from graph.notices import notify
from graph.state import EnglishState
from graph.workflows.english.content import LEVELS
from graph.workflows.english.nodes import session_start
from graph.workflows.english.reading import feedback, needs_retry, score_reading, words_from_text
from voice_io.events import EvaluationEvent
from voice_io.protocols import Word
from voice_io.stt.confidence import normalise


class Node(Protocol):
    def __call__(self, state: EnglishState, runtime: Runtime[Context]) -> Awaitable[dict[str, Any]]: ...


SENTENCES_FILE = Path(__file__).parent / "sentences.yaml"
EXERCISE = "read aloud"
INTRO = "Hi{name}! Let's practise reading aloud. I'll give you a sentence; read it out clearly."
READ = "Please read this sentence: {text}"
NEXT = "Next sentence: {text}"
SUMMARY = (
    "That's the end of the reading practice. You read {count} {word} with {accuracy}% of the words right."
)
PRACTISE = "Words to practise: {words}."
CLOSING = "Well done, see you next time!"


class Sentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    level: Literal["A2", "B1", "B2", "C1"]
    text: str = Field(min_length=5)


@cache
def load_sentences(path: Path = SENTENCES_FILE) -> list[Sentence]:
    return load_entries(path, Sentence, key="sentences")


def choose_sentence(*, level: str, used: list[str]) -> Sentence:
    """A sentence not read yet, at the level closest to `level`."""
    sentences = load_sentences()
    fresh = [s for s in sentences if s.id not in used] or sentences
    target = LEVELS.index(level) if level in LEVELS else 1
    return min(enumerate(fresh), key=lambda item: (abs(LEVELS.index(item[1].level) - target), item[0]))[1]


def is_reading(state: EnglishState) -> bool:
    return state.get("options", {}).get("exercise") == EXERCISE


def entry_step(step: str, state: EnglishState) -> str:
    """The shared lifecycle step, mapped to the read-aloud nodes when the exercise is on."""
    if not is_reading(state):
        return step
    return {"greet": "start_reading", "welcome_back": "resume_reading"}.get(step, step)


def _heard(state: EnglishState) -> tuple[Word, ...]:
    """The learner's words, with the times of the ones the recogniser was unsure of."""
    words = list(words_from_text(last_user_text(state)))
    unclear = list((state.get("fluency") or {}).get("unclear_words") or [])
    for u in unclear:
        i = u.get("index")
        if isinstance(i, int) and 0 <= i < len(words) and normalise(words[i].text) == u.get("word"):
            words[i] = Word(text=words[i].text, start=float(u["start"]), end=float(u["end"]), probability=0.0)
    return tuple(words)


async def start_reading(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    level = options.get("level", "B1")
    sentence = choose_sentence(level=level, used=[])
    name = f" {options['user']}" if options.get("user") else ""
    update = await say(
        runtime, node="start_reading", text=f"{INTRO.format(name=name)} {READ.format(text=sentence.text)}"
    )
    return {
        **update,
        **session_start(options, phase="reading"),
        "reading": {"id": sentence.id, "text": sentence.text, "retried": False},
        "readings": [],
        "prompt_ids": [sentence.id],
        "asked_text": sentence.text,
    }


async def check_reading(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    target = dict(state.get("reading") or {})
    result = score_reading(str(target.get("text", "")), _heard(state))
    retry = needs_retry(result) and not target.get("retried")
    turn_index = state.get("turn_index", 0) + (0 if retry else 1)
    payload = {
        "workflow": "english",
        "exercise": "read_aloud",
        "turn_index": max(turn_index, 1),
        "turns": state.get("turns", 0),
        "level": state.get("level"),
        "attempt": 2 if target.get("retried") else 1,
        **result,
        "metrics": state.get("fluency") or {},
        "turn_id": state.get("turn_id"),
    }
    payload["wpm"] = result["wpm"] or payload["metrics"].get("wpm")
    notify(runtime, EvaluationEvent(payload, turn_id=state.get("turn_id")))
    readings = [*state.get("readings", []), payload]
    text = feedback(result, retry=retry)
    if retry:
        update = await say(runtime, node="check_reading", text=f"{text} {target['text']}")
        return {
            **update,
            "readings": readings,
            "reading": {**target, "retried": True},
            "asked_text": target["text"],
        }
    if turn_index >= state.get("turns", 0):  # the summary follows in wrap_up (after_reading)
        update = await say(runtime, node="check_reading", text=text)
        return {**update, "readings": readings, "turn_index": turn_index}
    used = list(state.get("prompt_ids", []))
    sentence = choose_sentence(level=state.get("level", "B1"), used=used)
    update = await say(runtime, node="check_reading", text=f"{text} {NEXT.format(text=sentence.text)}")
    return {
        **update,
        "readings": readings,
        "turn_index": turn_index,
        "reading": {"id": sentence.id, "text": sentence.text, "retried": False},
        "prompt_ids": [*used, sentence.id],
        "asked_text": sentence.text,
        "reasks": 0,
    }


async def resume_reading(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    text = str((state.get("reading") or {}).get("text", ""))
    return await say(runtime, node="resume_reading", text=f"Welcome back! {READ.format(text=text)}")


def reading_report(state: EnglishState, readings: list[dict[str, Any]]) -> dict[str, Any]:
    final = {r.get("target"): r for r in readings}  # the last attempt at each sentence counts
    practise = list(
        dict.fromkeys(w["word"] for r in final.values() for w in r["words"] if w["status"] != "ok")
    )
    wpms = [r["wpm"] for r in final.values() if isinstance(r.get("wpm"), int | float)]
    return {
        "workflow": "english",
        "exercise": "read_aloud",
        "sentences_read": len(final),
        "accuracy": round(fmean(r["accuracy"] for r in final.values()), 3) if final else None,
        "wpm": round(fmean(wpms), 1) if wpms else None,
        "words_to_practise": practise[:8],
        "start_level": state.get("options", {}).get("level"),
        "end_level": state.get("level"),
        "progress": readings,
    }


async def finish_reading(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    report = reading_report(state, list(state.get("readings", [])))
    count = report["sentences_read"]
    parts = [
        SUMMARY.format(
            count=count,
            word="sentence" if count == 1 else "sentences",
            accuracy=round(100 * (report["accuracy"] or 0)),
        ),
    ]
    if report["words_to_practise"]:
        parts.append(PRACTISE.format(words=", ".join(report["words_to_practise"])))
    update = await say(runtime, node="wrap_up", text=" ".join([*parts, CLOSING]))
    report["spoken_summary"] = update["messages"][0].content
    return {**update, "phase": "done", "summary": report}


def after_reading(state: EnglishState) -> str:
    """After a reading: the summary once every sentence is read, else wait for the next reading."""
    return "wrap_up" if state.get("turn_index", 0) >= state.get("turns", 0) else END


def wrap_up_or_finish(wrap_up: Node) -> Node:
    """The workflow's `wrap_up` node, summing up the read-aloud exercise instead when that is on."""

    async def node(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
        return await (finish_reading if is_reading(state) else wrap_up)(state, runtime)

    node.__name__ = node.__qualname__ = "wrap_up"
    node.__doc__ = wrap_up.__doc__
    return node


NODES = (start_reading, check_reading, resume_reading)
