"""Fixtures for graph tests: a rules/fake-model responder on InMemorySaver, scripted tools,
fake chat models (scripted text, raising, slow)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import ConfigDict

from graph.responder import GraphResponder
from voice_io.protocols import Finished, Notify, ReplyEvent, Say, UserTurn
from voice_io.wire import event_message

GOOD = (
    "When I was at my last company I was responsible for our payments API. I rewrote the retry logic "
    "and added metrics, and the result was that failed payments dropped by 40 percent."
)


async def collect(events: AsyncIterator[ReplyEvent]) -> list[ReplyEvent]:
    return [event async for event in events]


def spoken(events: list[ReplyEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, Say)).strip()


def notices(events: list[ReplyEvent], kind: str) -> list[dict[str, Any]]:
    """The protocol messages of one type among the events, as the client receives them."""
    messages = [event_message(e.event) for e in events if isinstance(e, Notify)]
    return [m for m in messages if m["type"] == kind]


def finished(events: list[ReplyEvent]) -> Finished | None:
    return next((e for e in events if isinstance(e, Finished)), None)


_turns = iter(range(1_000_000))


def turn(text: str, **kwargs: Any) -> UserTurn:
    kwargs.setdefault("source", "text")
    return UserTurn(turn_id=f"u{next(_turns)}", text=text, **kwargs)


def fake_model(*replies: str) -> GenericFakeChatModel:
    """Streams each reply in word-sized chunks, one reply per model call."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def sentence(text: str) -> str:
    """A model answer in the shape `graph.remark` asks for: `{"sentence": text}`."""
    return json.dumps({"sentence": text})


class GatedChatModel(BaseChatModel):
    """Answers `reply` only once the test opens `gate` (so a test can see what is spoken first)."""

    reply: str
    gate: asyncio.Event
    calls: int = 0

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return "gated"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        raise NotImplementedError

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls += 1
        await self.gate.wait()
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply))])


class RaisingChatModel(BaseChatModel):
    """A model whose every call fails (like a dead server)."""

    @property
    def _llm_type(self) -> str:
        return "raising"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        raise ConnectionError("model server is down")

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        raise ConnectionError("model server is down")
        yield  # pragma: no cover


class SlowChatModel(BaseChatModel):
    """Sends one token, then hangs (like an overloaded server)."""

    delay_s: float = 30.0

    @property
    def _llm_type(self) -> str:
        return "slow"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="Well"))])

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        yield ChatGenerationChunk(message=AIMessageChunk(content="Well"))
        await asyncio.sleep(self.delay_s)
        yield ChatGenerationChunk(message=AIMessageChunk(content=" then."))


@pytest.fixture
def make_responder() -> Any:
    def make(chat_model: BaseChatModel | None = None, **kwargs: Any) -> GraphResponder:
        kwargs.setdefault("checkpointer", InMemorySaver())
        return GraphResponder(chat_model=chat_model, **kwargs)

    return make


class StallingChatModel(BaseChatModel):
    """Scripted replies, one per call; on call number `stall_on` it streams the first sentence of
    its reply and then hangs (so a test can barge in while a spoken node is still running)."""

    replies: list[str]
    stall_on: int = -1
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "stalling"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        raise NotImplementedError

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        """A whole answer, as `ainvoke` asks for it (stalls the same way)."""
        text = "".join([str(chunk.message.content) async for chunk in self._astream(messages)])
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        index = self.calls
        self.calls += 1
        reply = self.replies[index % len(self.replies)]
        words = reply.split(" ")
        for i, word in enumerate(words):
            yield ChatGenerationChunk(
                message=AIMessageChunk(content=word + (" " if i < len(words) - 1 else ""))
            )
            if index == self.stall_on and word.endswith("."):
                yield ChatGenerationChunk(message=AIMessageChunk(content=" "))
                await asyncio.sleep(3600)
