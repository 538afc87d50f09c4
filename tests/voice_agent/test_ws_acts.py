"""Dialogue acts over the real /ws endpoint (real brain, sentence encoder and SQLite in-process):
what a user notices when they greet, ask, pass or ask for simpler words instead of answering."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.fakes import READY
from tests.graph.conftest import GOOD
from tests.voice_agent.wsapp import Socket, receive_until, running


class Chat:
    def __init__(self, ws: Socket) -> None:
        self.ws = ws

    def start(self, workflow: str, options: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        self.ws.send_text(json.dumps({"type": "session.start", "workflow": workflow, "thread_id": None,
                                      "options": options}))
        started = receive_until(self.ws, lambda m: m["type"] == "session.started")
        return str(started[-1]["thread_id"]), started + self._played()

    def _played(self) -> list[dict[str, Any]]:
        seen = receive_until(self.ws, lambda m: m["type"] == "agent.audio_start")
        utterance = seen[-1]["utterance_id"]
        return seen + receive_until(self.ws, lambda m: m["type"] == "agent.audio_end"
                                    and m["utterance_id"] == utterance)

    def say(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        self.ws.send_text(json.dumps({"type": "text", "text": text}))
        seen = self._played()
        spoken = " ".join(m["text"].strip() for m in seen if m["type"] == "agent.text")
        return spoken, seen


def of(seen: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in seen if m["type"] == kind]


def test_interview_non_answers_are_not_scored_over_the_socket(tmp_path: Path) -> None:
    options = {"role": "backend engineer", "seniority": "junior", "questions": 2, "follow_ups": 0}
    with running(tmp_path) as app, app.socket() as ws:
        chat = Chat(ws)
        thread_id, opening = chat.start("interview", options)
        greeting = " ".join(m["text"].strip() for m in opening if m["type"] == "agent.text")
        assert greeting.endswith("Are you ready for the first question?")
        text, seen = chat.say("Before we start, what does the team work on?")  # the readiness turn
        assert "order and payment services" in text and text.endswith("Are you ready for the first question?")
        assert not of(seen, "evaluation") and of(seen, "state")[-1]["question_index"] == 0
        assert of(seen, "state")[-1]["phase"] == "ready_check"
        text, seen = chat.say("Hello, I'm ready!")
        assert not of(seen, "evaluation") and of(seen, "state")[-1]["question_index"] == 1
        assert of(seen, "state")[-1]["act"] == "smalltalk" and text.startswith("Let's begin.")
        first = text.split(". ", 1)[1]
        text, seen = chat.say("Before I start, how big is the team?")
        assert "six backend engineers" in text and text.endswith(first) and not of(seen, "evaluation")
        _, seen = chat.say("I don't know.")
        assert not of(seen, "evaluation") and of(seen, "state")[-1]["question_index"] == 1
        text, seen = chat.say("Sorry, no idea at all.")
        assert not of(seen, "evaluation") and of(seen, "state")[-1]["question_index"] == 2
        deadline = time.monotonic() + 10  # app data is written off the latency path
        while True:
            export = app.http.get(f"/api/sessions/{thread_id}/export?format=json").json()
            acts = [c["result"]["kind"] for c in export["tool_calls"] if c["name"] == "classify_turn"]
            if len(acts) >= 5 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert acts == ["question", "smalltalk", "question", "pass", "pass"] and not export["evaluations"]


def test_english_simpler_words_keep_the_question_and_the_level_over_the_socket(tmp_path: Path) -> None:
    options = {"level": "B1", "topic": "travel", "turns": 5}
    with running(tmp_path) as app, app.socket() as ws:
        chat = Chat(ws)
        chat.start("english", options)
        text, seen = chat.say("Can you say it more simply, please?")
        assert text.endswith("What country do you want to see? Why?") and not of(seen, "evaluation")
        text, seen = chat.say("Where do you live?")
        assert "Bristol" in text and not of(seen, "evaluation")
        fluent = ("When I was a student I worked in a small restaurant in the evenings, and it taught me how "
                  "to stay calm with demanding customers. Nowadays I manage a team of four people.")
        levels = []
        for _ in range(2):
            _, seen = chat.say(fluent)
            levels += [e["level"] for e in of(seen, "evaluation")]
        assert levels == ["B1", "B1"]
        text, seen = chat.say("Yesterday I go to the market and I buyed some apples.")
        assert "you went to the market and you bought some apples" in text and "buyed" not in text


def test_interview_clarify_control_thinking_answer_and_stop_over_the_socket(tmp_path: Path) -> None:
    options = {"role": "backend engineer", "seniority": "junior", "questions": 2, "follow_ups": 0}
    with running(tmp_path) as app, app.socket() as ws:
        chat = Chat(ws)
        chat.start("interview", options)
        question, seen = chat.say(READY)
        assert of(seen, "state")[-1]["question_index"] == 1 and not of(seen, "evaluation")
        text, seen = chat.say("Could you rephrase that, please?")
        assert of(seen, "state")[-1]["act"] == "clarify" and not of(seen, "evaluation")
        assert {"design", "rest", "api", "to-do", "list"} <= set(text.lower().replace("?", "").split())
        text, seen = chat.say("Can we do easier questions?")
        assert of(seen, "state")[-1]["act"] == "control" and text.startswith("Noted.")
        assert text.endswith(question.split(". ", 1)[1]) and not of(seen, "evaluation")
        text, seen = chat.say("Hmm, let me think about that for a second.")
        assert text == "Take your time." and of(seen, "state")[-1]["act"] == "thinking"
        assert all(s["question_index"] == 1 for s in of(seen, "state")) and not of(seen, "evaluation")
        _, seen = chat.say(GOOD)
        assert [e["question_index"] for e in of(seen, "evaluation")] == [1]
        text, seen = chat.say("Can we stop here? I have to go.")
        assert "end of the interview" in text and not of(seen, "evaluation")
        assert of(seen, "state")[-1]["act"] == "control"


def test_english_pass_thinking_small_talk_and_control_over_the_socket(tmp_path: Path) -> None:
    with running(tmp_path) as app, app.socket() as ws:
        chat = Chat(ws)
        chat.start("english", {"level": "B1", "topic": "travel", "turns": 4})
        for said, act in [("I don't know.", "pass"), ("Hmm, let me think.", "thinking"),
                          ("Thank you!", "smalltalk"), ("Can we talk about something else?", "control")]:
            text, seen = chat.say(said)
            state = of(seen, "state")[-1]
            assert text and state["act"] == act and state["turn_index"] == 0, (said, state)
            assert not of(seen, "evaluation"), said
        text, seen = chat.say("I want to stop now.")
        assert of(seen, "state")[-1]["act"] == "control" and not of(seen, "evaluation")
