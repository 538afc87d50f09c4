"""A preemptive reply end to end: real server processes (Silero, Whisper, Piper, the rules brain,
SQLite), real human speech over a real WebSocket. With the setting on, the answer is prepared on
the speculative transcript during the endpoint wait and committed; what the thread stores is the
same as what a server without preemption stores for the same speech."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.voice_agent.conftest import Client, ServerProcess, connect, silence, speech, start_server

pytestmark = pytest.mark.models

CLIP = (0.0, 2.65)  # silero_test.wav: "and says, how do I get to Dublin?" (one turn, no long pause)
TIMING = ("time_to_first_word_s", "metrics_ms")
"""Fields that depend on when the server noticed the onset or answered (wall clock), not on the speech."""
DROP = {"id", "thread_id", "turn_id", "created_at", "updated_at", "started_at", "ended_at"}


@pytest.fixture(scope="module")
def preempt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = start_server(
        tmp_path_factory.mktemp("preempt-server"),
        VOICE_AGENT_LLM="rules",
        VOICE_AGENT_PREEMPTIVE_REPLY="true",
    )
    yield server
    server.stop()


async def one_spoken_turn(server: ServerProcess) -> tuple[str, Client, dict[str, Any]]:
    """Greeting, then one spoken turn answered to the end; (thread id, client, the turn's metrics)."""
    start, end = CLIP
    clip = speech("silero_test.wav")[int(start * 16_000) : int(end * 16_000)]
    async with await connect(server) as ws, Client(ws) as client:
        await client.send(
            type="session.start", workflow="interview", thread_id=None, options={"role": "backend engineer"}
        )
        started = await client.wait_for("session.started")
        await client.wait_for("agent.audio_end", timeout=60)
        await client.stream(silence(0.5))
        await client.stream(clip)
        await client.stream(silence(2.0))
        final = await client.wait_for("transcript", final=True, timeout=60)
        metrics = await client.wait_for("turn.metrics", turn_id=final["turn_id"], timeout=60)
        answer = await client.wait_for("agent.audio_start", turn_id=final["turn_id"], timeout=60)
        await client.wait_for("agent.audio_end", utterance_id=answer["utterance_id"], timeout=120)
        await client.send(type="session.end")
        await client.wait_for("session.ended", timeout=120)
    return started["thread_id"], client, metrics


def scrubbed(value: Any) -> Any:
    """`value` without ids, times and wall-clock-dependent fluency (at any depth)."""
    if isinstance(value, dict):
        return {k: scrubbed(v) for k, v in value.items() if k not in DROP and not k.startswith(TIMING)}
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    return value


def content(export: dict[str, Any]) -> dict[str, Any]:
    """The stored conversation: turns (without their latency waterfall), evaluations, tool calls and
    the report, scrubbed."""
    turns = [{k: v for k, v in turn.items() if k != "metrics"} for turn in export["turns"]]
    return scrubbed({"turns": turns, **{k: export[k] for k in ("evaluations", "tool_calls", "report")}})


async def stored(server: ServerProcess, thread_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    async with httpx.AsyncClient(base_url=server.http_url, timeout=10) as http:
        export = (await http.get(f"/api/sessions/{thread_id}/export")).json()
        checkpoints = (await http.get(f"/api/sessions/{thread_id}/history")).json()["checkpoints"]
    return export, checkpoints


async def test_a_committed_preemptive_reply_stores_what_a_plain_reply_stores(
    preempt_server: ServerProcess, rules_server: ServerProcess
) -> None:
    early_id, early_client, early_metrics = await one_spoken_turn(preempt_server)
    plain_id, plain_client, plain_metrics = await one_spoken_turn(rules_server)
    assert early_metrics["preempted"] is True, early_metrics  # prepared during the endpoint wait
    assert plain_metrics["preempted"] is False and plain_metrics["preempt_discards"] == 0

    def said(client: Client) -> list[str]:
        return [m["text"] for m in client.messages("agent.text")]

    def finals(client: Client) -> list[str]:
        return [m["text"] for m in client.messages("transcript") if m["final"]]

    assert finals(early_client) == finals(plain_client) and "dublin" in finals(early_client)[0].lower()
    assert said(early_client) == said(plain_client)
    early, early_checkpoints = await stored(preempt_server, early_id)
    plain, plain_checkpoints = await stored(rules_server, plain_id)
    early_content, plain_content = content(early), content(plain)
    for key in early_content:
        assert early_content[key] == plain_content[key], key
    assert [c["source"] for c in early_checkpoints] == [c["source"] for c in plain_checkpoints]
    assert "fork" not in [c["source"] for c in early_checkpoints]  # nothing was discarded and rewound
