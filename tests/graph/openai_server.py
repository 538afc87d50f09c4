"""A tiny OpenAI-compatible chat server for tests: the real HTTP API (POST /v1/chat/completions,
JSON or SSE streaming, text or tool-call answers) on a free loopback port, scripted per test."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from voice_agent.llm_server import free_port


@dataclass
class Scripted:
    """Replies in order: a string (text) or {"tool": name, "args": {...}} (a tool call).
    `route(request body)`, when given, answers first (None: the next reply in order); a reply
    {"delay_s": s, "then": reply} waits that long first (a slow server)."""

    replies: list[Any] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: str = "Thanks for that."
    delay_s: float = 0.0
    """Each reply waits this long first (a slow or overloaded server)."""
    route: Callable[[dict[str, Any]], Any] | None = None

    def next(self, body: dict[str, Any] | None = None) -> Any:
        if self.route is not None and (routed := self.route(body or {})) is not None:
            return routed
        return self.replies.pop(0) if self.replies else self.default


def _chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": "test",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


def create_app(script: Scripted) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        script.requests.append(body)
        if request.headers.get("authorization") != "Bearer test-key":
            return JSONResponse(
                {"error": {"message": "bad key", "type": "invalid_request_error"}}, status_code=401
            )
        reply = script.next(body)
        if script.delay_s:
            await asyncio.sleep(script.delay_s)
        if isinstance(reply, dict) and "delay_s" in reply:
            await asyncio.sleep(reply["delay_s"])
            reply = reply.get("then", script.default)
        is_tool = isinstance(reply, dict)
        if not body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": None if is_tool else reply}
            if is_tool:
                message["tool_calls"] = [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": reply["tool"], "arguments": json.dumps(reply["args"])},
                    }
                ]
            return JSONResponse(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": "test",
                    "choices": [
                        {"index": 0, "message": message, "finish_reason": "tool_calls" if is_tool else "stop"}
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }
            )

        async def events() -> AsyncIterator[str]:
            yield _chunk({"role": "assistant", "content": ""})
            if is_tool:
                yield _chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": reply["tool"], "arguments": ""},
                            }
                        ]
                    }
                )
                arguments = json.dumps(reply["args"])
                for i in range(0, len(arguments), 8):
                    yield _chunk(
                        {"tool_calls": [{"index": 0, "function": {"arguments": arguments[i : i + 8]}}]}
                    )
                yield _chunk({}, "tool_calls")
            else:
                for word in reply.split(" "):
                    yield _chunk({"content": word + " "})
                    await asyncio.sleep(0.001)
                yield _chunk({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@asynccontextmanager
async def serve(script: Scripted) -> AsyncIterator[str]:
    """Run the server in this event loop; yields its base URL (ending in /v1)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(script), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve(), name="openai-test-server")
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        await task
