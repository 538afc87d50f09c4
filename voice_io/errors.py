"""Exception tree of the voice agent. Each error carries the protocol error `code` it maps to and
whether the session survives it (`fatal`).

    VoiceAgentError
    ├── ClientError            bad input from the client; never fatal by itself
    │   ├── BadJSON            code bad_json
    │   ├── UnknownType        code unknown_type
    │   ├── BadField           code bad_field
    │   ├── NotStarted         code not_started
    │   ├── AlreadyStarted     code already_started
    │   ├── BadAudio           code bad_audio
    │   └── RateLimited        code rate_limited
    ├── ConversationError      raised by a Responder when opening a conversation
    │   ├── UnknownWorkflow    code unknown_workflow
    │   ├── UnknownThread      code unknown_thread
    │   └── BadOption          code bad_field
    └── EngineError            a model or service failed; recoverable, the session goes on
        ├── STTError           code stt_failed
        ├── TTSError           code tts_failed
        ├── LLMError           code llm_failed
        └── ToolError          code tool_failed
"""

from __future__ import annotations


class VoiceAgentError(Exception):
    code = "internal"
    fatal = False

    def __init_subclass__(cls, *, code: str | None = None, **kwargs: object) -> None:
        """`class BadJSON(ClientError, code="bad_json")`: the protocol code the error maps to."""
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)

    @property
    def message(self) -> str:
        return str(self)


class ClientError(VoiceAgentError):
    """The client sent something the protocol does not allow."""


class BadJSON(ClientError, code="bad_json"):
    """A text frame is not a JSON object."""


class UnknownType(ClientError, code="unknown_type"):
    """Unknown message type."""


class BadField(ClientError, code="bad_field"):
    """A field is missing or has the wrong type or value."""


class NotStarted(ClientError, code="not_started"):
    """Send session.start first."""


class AlreadyStarted(ClientError, code="already_started"):
    """A conversation is already running on this connection."""


class BadAudio(ClientError, code="bad_audio"):
    """Audio frames must be PCM s16le, an even number of bytes, at most 64 KiB, after session.start."""


class RateLimited(ClientError, code="rate_limited"):
    """Too many frames; slow down."""


class ConversationError(VoiceAgentError):
    """The conversation could not be opened."""


class UnknownWorkflow(ConversationError, code="unknown_workflow"):
    """No such workflow."""


class UnknownThread(ConversationError, code="unknown_thread"):
    """No conversation with this thread_id."""


class BadOption(ConversationError, code="bad_field"):
    """A workflow option is unknown or out of range."""


class EngineError(VoiceAgentError):
    """A model or an external service failed; the session goes on."""


class STTError(EngineError, code="stt_failed"):
    """Speech recognition failed."""


class TTSError(EngineError, code="tts_failed"):
    """Speech synthesis failed."""


class LLMError(EngineError, code="llm_failed"):
    """The language model failed."""


class ToolError(EngineError, code="tool_failed"):
    """A tool failed."""
