"""The browser client in real headless Chromium against the real server (rules brain).

A WAV file is the microphone (`--use-file-for-fake-audio-capture`), `?raw=1` switches the
browser's echo cancellation / noise suppression / AGC off for repeatable levels, and the page
exposes counters on `window.voiceAgent.stats`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.registry import spec_names
from tests.fakes import READY

Server = Any  # tests/frontend/conftest.py: Server

pytestmark = pytest.mark.browser

ANSWER = (
    "In my last project I led the migration of our billing service to a new database. "
    "I wrote the plan, I built the tooling and I talked to every team, and the result was "
    "that we reduced downtime by 40 percent."
)


@dataclass
class Page:
    """A Playwright page plus what it said on the console and on the WebSocket."""

    page: Any
    errors: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        return self.page.evaluate("({...window.voiceAgent.stats})")

    def wait_js(self, expression: str, timeout_s: float = 30) -> Any:
        return self.page.wait_for_function(expression, timeout=timeout_s * 1000)

    def start(self, workflow: str = "interview") -> None:
        self.page.select_option("#workflow", workflow)
        self.page.click("#start")
        self.wait_js("window.voiceAgent.session.started", 60)

    def say(self, text: str) -> None:
        self.page.fill("#text-input", text)
        self.page.press("#text-input", "Enter")

    def wait_agent_idle(self, timeout_s: float = 60, quiet_s: float = 1.5) -> None:
        """Until the agent has spoken, everything queued has played, and no audio came for `quiet_s`."""
        deadline = time.monotonic() + timeout_s
        last, since = -1.0, time.monotonic()
        while time.monotonic() < deadline:
            state = self.page.evaluate(
                "({...window.voiceAgent.stats, pending: window.voiceAgent.session.pending.size,"
                " speaking: window.voiceAgent.session.speakingId})"
            )
            busy = state["pending"] > 0 or state["speaking"] is not None or state["utterances"] == 0
            if busy or state["bytesReceived"] != last:
                last, since = state["bytesReceived"], time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return
            time.sleep(0.1)
        raise TimeoutError("the agent did not finish speaking")

    def ready(self, count: int = 3, timeout_s: float = 60) -> None:
        """The interview's greeting asks whether the candidate is ready: wait for it (no question
        yet: the progress bar counts the questions), say so, and wait for question 1."""
        self.wait_js("document.querySelectorAll('#log .msg.agent .utt').length > 0", timeout_s)
        self.wait_agent_idle(timeout_s)  # typing earlier barges in
        assert self.page.inner_text("#progress-text").startswith(f"{count} questions")
        self.say(READY)
        progress = "document.querySelector('#progress-text').textContent"
        self.wait_js(f"/Question 1 of {count}/.test({progress})", timeout_s)
        self.wait_agent_idle(timeout_s)  # typing earlier barges in: the server would re-ask it

    def agent_turns(self) -> int:
        return self.page.locator("#log .msg.agent").count()


def open_page(browser: Any, server: Server, query: str = "?raw=1&transport=websocket") -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 950})
    wrapped = Page(page)
    page.on("pageerror", lambda exc: wrapped.errors.append(str(exc)))
    page.on("console", lambda m: wrapped.errors.append(m.text) if m.type == "error" else None)

    def on_socket(ws: Any) -> None:
        def record(into: list[dict[str, Any]]):
            def handler(payload: Any) -> None:
                if isinstance(payload, str):
                    into.append(json.loads(payload))

            return handler

        ws.on("framesent", record(wrapped.sent))
        ws.on("framereceived", record(wrapped.received))

    page.on("websocket", on_socket)
    page.goto(server.url + query)
    page.wait_for_selector("#workflow option", state="attached")
    return wrapped


def normalized(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def test_spoken_answer_is_transcribed_answered_and_played(
    server: Server, speech_wav: Path, browser_factory: Any, artifacts: Path
) -> None:
    page = open_page(browser_factory(speech_wav), server)
    page.start("interview")

    # The microphone really delivers the speech file.
    page.wait_js("window.voiceAgent.stats.micRms > 0.01", 20)

    # The final transcript shows the sentence. (Whisper tiny.en sometimes hears the speech that
    # barges into the greeting as "American asks, not what …", so "asks?" is accepted.)
    def final_user_text() -> str:
        return " ".join(page.page.locator("#log .msg.user:not(.partial) .text").all_inner_texts())

    page.wait_js(
        """[...document.querySelectorAll('#log .msg.user:not(.partial) .text')]
             .some(e => /your\\W+country/i.test(e.textContent))""",
        120,
    )
    heard = normalized(final_user_text())
    assert re.search(r"\bask(s|ed)? not what your country\b", heard), heard  # "asked": AVX-512 kernels
    played_at_transcript = page.stats()["playedSamples"]

    # The agent answers in text and its audio is actually played by the worklet.
    page.wait_js("document.querySelectorAll('#log .msg.agent .utt').length > 0", 60)
    page.wait_js(f"window.voiceAgent.stats.playedSamples > {played_at_transcript}", 60)
    page.wait_js("window.voiceAgent.session.pending.size === 0", 60)
    stats = page.stats()
    assert stats["framesSent"] > 100
    assert stats["bytesReceived"] > 0
    assert stats["utterances"] >= 1

    # The client told the server what was played.
    playback = [m for m in page.sent if m["type"] == "playback"]
    assert playback and all(isinstance(m["played_ms"], int) for m in playback)
    assert any(m["played_ms"] > 0 for m in playback)
    assert page.sent[0]["type"] == "session.start" and page.sent[0]["sample_rate"] == 16000

    # JFK starts speaking 1 s in, during the greeting: that barge-in flushed the greeting, the
    # page shows what was heard, and reported how much of it was played.
    interruptions = [m for m in page.received if m["type"] == "interrupted"]
    assert interruptions, "the speech should have barged into the greeting"
    for interrupted in interruptions:
        utterance = interrupted["utterance_id"]
        assert any(m["utterance_id"] == utterance for m in playback), utterance
        span = page.page.locator(f'#log .utt[data-utterance="{utterance}"]')
        assert "interrupted" in (span.get_attribute("class") or "")
        assert page.page.locator("#log .heard").count() >= 1
    assert stats["interruptions"] == len(interruptions)

    # The page kept the learner's own audio of the turn in memory, cut like the server's segment
    # (JFK's 11 s clip, or the part of it after the barge-in), so a word can be replayed by its
    # recogniser times: it is speech, not the silence around it.
    finals = [m for m in page.received if m["type"] == "transcript" and m["final"]]
    kept_s, kept_rms = page.page.evaluate(
        """id => {
             const a = window.voiceAgent.controller.replay.audio.turns.get(id) || [];
             const rms = Math.sqrt(a.reduce((s, v) => s + (v / 32768) ** 2, 0) / Math.max(1, a.length));
             return [a.length / 16000, rms];
           }""",
        next(m["turn_id"] for m in finals if "country" in m["text"].lower()),
    )
    assert 3.0 < kept_s < 14.0 and kept_rms > 0.01, (kept_s, kept_rms)

    # Turn latency is shown.
    page.wait_js("document.querySelector('#latency .waterfall') !== null", 30)
    page.page.screenshot(path=str(artifacts / "voice-interview.png"), full_page=True)
    assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_typed_answer_gets_reply_progress_evaluation_and_report(
    server: Server, silent_wav: Path, browser_factory: Any, artifacts: Path
) -> None:
    page = open_page(browser_factory(silent_wav), server)
    page.start("interview")
    thread_id = page.page.evaluate("window.voiceAgent.session.threadId")
    assert thread_id and page.page.inner_text("#thread-id") == thread_id

    # The greeting asks whether we are ready; "I'm ready." brings question 1, the progress bar shows it.
    page.ready()
    assert not [m for m in page.received if m["type"] == "evaluation"]  # the readiness turn: not scored

    agents_before = page.agent_turns()
    page.say(ANSWER)
    # The typed turn is shown once (the server's echo is merged into it) ...
    page.wait_js("document.querySelectorAll('#log .msg.user').length === 2", 10)
    assert normalized(page.page.locator("#log .msg.user .text").last.inner_text()) == normalized(ANSWER)
    # ... and gets an agent reply, a tool call, and a graded evaluation.
    page.wait_js(f"document.querySelectorAll('#log .msg.agent').length > {agents_before}", 60)
    page.wait_js("document.querySelector('#log .evaluation .score') !== null", 60)
    evaluation = page.page.inner_text("#log .evaluation")
    assert "Criteria" in evaluation and "question 1" in evaluation.lower()
    page.wait_js("/score_answer/.test(document.querySelector('#tools').textContent)", 10)
    assert "Average" in page.page.inner_text("#scores")

    # Finish: the final report opens.
    page.wait_js("!document.querySelector('#finish').disabled", 10)
    page.page.screenshot(path=str(artifacts / "main-page.png"), full_page=True)
    page.page.click("#finish")
    page.wait_js("document.querySelector('#report-dialog').open", 60)
    report = page.page.inner_text("#report-body")
    assert "Average" in report and "Questions" in report, report
    page.page.screenshot(path=str(artifacts / "final-report.png"))
    assert page.page.inner_text("#indicator-text") == "Finished"
    assert [m["type"] for m in page.sent if m["type"] in ("text", "session.end")] == [
        "text", "text", "session.end"]
    assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_workflow_picker_lists_workflows_with_their_options(
    server: Server, silent_wav: Path, browser_factory: Any
) -> None:
    body = server.get_json("api/workflows")
    workflows = body["workflows"] if isinstance(body, dict) else body
    page = open_page(browser_factory(silent_wav), server)

    names = page.page.eval_on_selector_all("#workflow option", "els => els.map(e => e.value)")
    assert names == [w["name"] for w in workflows]

    # Each workflow's form is its options' JSON Schema: one field per property, typed and bounded.
    for workflow in workflows:
        page.page.select_option("#workflow", workflow["name"])
        properties = workflow["schema"]["properties"]
        fields = "#options input, #options select"
        shown = page.page.eval_on_selector_all(fields, "els => els.map(e => e.name)")
        assert shown == list(properties), workflow["name"]
        for name, prop in properties.items():
            field = page.page.locator(f"#opt-{name}")
            tag = field.evaluate("e => e.tagName.toLowerCase()")
            if "enum" in prop:
                assert tag == "select"
                listed = field.evaluate("e => [...e.options].map(o => o.value)")
                assert listed == [str(c) for c in prop["enum"]]
                assert field.input_value() == str(prop["default"])
            elif prop.get("type") == "integer":
                assert field.get_attribute("type") == "number"
                assert (field.get_attribute("min"), field.get_attribute("max")) == (
                    str(prop["minimum"]),
                    str(prop["maximum"]),
                )
                assert field.input_value() == str(prop["default"])
            else:  # `str | None`: a text field, blank by default
                assert (tag, field.get_attribute("type"), field.input_value()) == ("input", "text", "")
                assert field.get_attribute("maxlength") == "128"
            assert prop["description"] in page.page.inner_text("#options")

    # The options chosen are the ones sent in session.start, typed as the schema says.
    page.page.select_option("#workflow", "interview")
    page.page.select_option("#opt-role", "backend engineer")
    page.page.fill("#opt-questions", "2")
    page.page.fill("#opt-user", "  ana ")
    page.start("interview")
    start = page.sent[0]
    assert start["type"] == "session.start" and start["workflow"] == "interview"
    assert start["thread_id"] is None
    assert start["options"] == {
        "role": "backend engineer",
        "seniority": "mid",
        "questions": 2,
        "follow_ups": 1,
        "user": "ana",
    }
    started = next(m for m in page.received if m["type"] == "session.started")
    assert started["thread_id"]  # the server took them (a bad option would be an error)

    # Spec workflows (YAML, graph.spec) are offered like the coded ones.
    assert spec_names() and set(spec_names()) <= set(names), names


def test_socket_drop_reconnects_and_resumes_the_same_thread(
    server_factory: Any, silent_wav: Path, browser_factory: Any, artifacts: Path
) -> None:
    server = server_factory()
    browser = browser_factory(silent_wav)
    page = open_page(browser, server)
    page.start("interview")
    thread_id = page.page.evaluate("window.voiceAgent.session.threadId")
    page.ready()
    agents = page.agent_turns()
    page.say(ANSWER)
    page.wait_js(f"document.querySelectorAll('#log .msg.agent').length > {agents}", 60)
    page.wait_js("document.querySelector('#log .evaluation') !== null", 60)

    # The server goes away: the page says so and keeps retrying.
    server.stop()
    page.wait_js("!document.querySelector('#banner').hidden", 20)
    assert "Reconnecting" in page.page.inner_text("#banner-text")
    assert page.page.inner_text("#indicator-text") == "Reconnecting…"
    page.page.screenshot(path=str(artifacts / "reconnecting.png"))

    # A new server on the same port and data: the page reconnects and resumes the same thread.
    server.start()
    page.wait_js("document.querySelector('#log .divider') !== null", 60)
    divider = page.page.inner_text("#log .divider")
    count = int(re.search(r"(\d+) earlier message", divider).group(1))  # type: ignore[union-attr]
    assert count >= 2, divider
    assert page.page.evaluate("window.voiceAgent.session.threadId") == thread_id
    starts = [m for m in page.sent if m["type"] == "session.start"]
    assert [s["thread_id"] for s in starts] == [None, thread_id]
    resumed = [m for m in page.received if m["type"] == "session.started"][-1]
    assert resumed["resumed"] is True and resumed["thread_id"] == thread_id
    assert any(ANSWER[:40] in h["text"] for h in resumed["history"])
    assert page.page.locator("#banner").is_hidden()

    # The conversation goes on in the resumed thread.
    agents = page.agent_turns()
    page.say("I would plan the rollback first and measure everything before and after the change.")
    page.wait_js(f"document.querySelectorAll('#log .msg.agent').length > {agents}", 60)

    # A fresh page lists the session and resumes it from the Sessions panel, showing the history.
    page.page.click("#stop")
    other = open_page(browser, server)
    other.page.click("#sessions-panel summary")
    row = other.page.locator(f'#sessions-list li[data-thread="{thread_id}"]')
    row.wait_for(timeout=10_000)
    row.locator("button", has_text="Resume").click()
    other.wait_js("window.voiceAgent.session.started", 60)
    other.wait_js("document.querySelectorAll('#log .msg.history').length >= 3", 30)
    history = other.page.inner_text("#log")
    assert normalized(ANSWER)[:40] in normalized(history)
    assert other.page.evaluate("window.voiceAgent.session.threadId") == thread_id
    other.page.screenshot(path=str(artifacts / "resumed.png"), full_page=True)


def test_english_practice_shows_turn_progress_and_feedback(
    server: Server, silent_wav: Path, browser_factory: Any
) -> None:
    page = open_page(browser_factory(silent_wav), server)
    page.start("english")
    page.wait_agent_idle()
    agents = page.agent_turns()
    page.say("Yesterday I goed to the market with my sister and we buyed many vegetables for the dinner.")
    page.wait_js(f"document.querySelectorAll('#log .msg.agent').length > {agents}", 60)
    page.wait_js("document.querySelector('#log .evaluation') !== null", 60)
    assert "turn 1" in page.page.inner_text("#log .evaluation").lower()
    page.wait_js("/Turn 1 of \\d+/.test(document.querySelector('#progress-text').textContent)", 30)
    assert "Level" in page.page.inner_text("#phase")
    assert not [e for e in page.errors if "favicon" not in e], page.errors


@pytest.mark.models
def test_embedded_model_answers_typed_text(
    server_factory: Any, silent_wav: Path, browser_factory: Any
) -> None:
    """The default brain (the embedded SmolLM2 behind llama-cpp-python) answers through the page."""
    server = server_factory(llm="embedded")
    page = open_page(browser_factory(silent_wav), server)
    page.start("interview")
    page.ready(timeout_s=180)
    agents = page.agent_turns()
    page.say(ANSWER)
    page.wait_js(f"document.querySelectorAll('#log .msg.agent').length > {agents}", 180)
    page.wait_js("document.querySelector('#log .evaluation .score') !== null", 180)
    reply = page.page.locator("#log .msg.agent").last.inner_text()
    assert len(reply.split()) >= 2, reply
    assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_access_token_is_passed_to_the_api_and_the_socket(
    server_factory: Any, silent_wav: Path, browser_factory: Any
) -> None:
    server = server_factory(env={"VOICE_AGENT_TOKEN": "s3cret-token"})
    browser = browser_factory(silent_wav)

    page = open_page(browser, server, "?raw=1&transport=websocket&token=s3cret-token")
    page.start("interview")
    page.wait_js("document.querySelectorAll('#log .msg.agent .utt').length > 0", 30)
    page.page.click("#sessions-panel summary")
    page.wait_js("document.querySelectorAll('#sessions-list li[data-thread]').length === 1", 10)

    page.wait_js("window.voiceAgent.rttMs !== null", 15)  # ping answered
    page.page.click("#stop")
    unauthorised = browser.new_page()
    unauthorised.goto(server.url)
    unauthorised.wait_for_function("!document.querySelector('#banner').hidden", timeout=10_000)
    assert "401" in unauthorised.inner_text("#banner-text")


def test_denied_microphone_falls_back_to_text_and_sessions_show_the_report(
    server: Server, browser_factory: Any
) -> None:
    page = open_page(browser_factory(None), server)
    page.start("interview")
    assert "denied" in page.page.inner_text("#mic-status")
    assert "denied" in page.page.inner_text("#banner-text")
    page.wait_js("document.querySelector('#indicator').dataset.state !== 'connecting'", 10)
    page.wait_agent_idle()
    assert page.stats()["framesSent"] == 0
    assert page.page.inner_text("#indicator-text") == "Ready — type below"

    page.ready()
    page.say(ANSWER)
    page.wait_js("document.querySelector('#log .evaluation .score') !== null", 60)
    page.wait_agent_idle()
    thread_id = page.page.evaluate("window.voiceAgent.session.threadId")
    page.page.click("#stop")

    page.page.click("#sessions-panel summary")
    row = page.page.locator(f'#sessions-list li[data-thread="{thread_id}"]')
    row.wait_for(timeout=10_000)
    row.locator("button", has_text="Report").click()
    page.wait_js("document.querySelector('#report-dialog').open", 10)
    body = page.page.inner_text("#report-body")
    assert "Transcript" in body and "Feedback" in body, body
    assert normalized(ANSWER)[:40] in normalized(body)
    assert "no final report yet" in body.lower()
