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

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)

    @property
    def message(self) -> str:
        return str(self)


class ClientError(VoiceAgentError):
    """The client sent something the protocol does not allow."""


class BadJSON(ClientError):
    """A text frame is not a JSON object."""

    code = "bad_json"


class UnknownType(ClientError):
    """Unknown message type."""

    code = "unknown_type"


class BadField(ClientError):
    """A field is missing or has the wrong type or value."""

    code = "bad_field"


class NotStarted(ClientError):
    """Send session.start first."""

    code = "not_started"


class AlreadyStarted(ClientError):
    """A conversation is already running on this connection."""

    code = "already_started"


class BadAudio(ClientError):
    """Audio frames must be PCM s16le, an even number of bytes, at most 64 KiB, after session.start."""

    code = "bad_audio"


class RateLimited(ClientError):
    """Too many frames; slow down."""

    code = "rate_limited"


class ConversationError(VoiceAgentError):
    """The conversation could not be opened."""


class UnknownWorkflow(ConversationError):
    """No such workflow."""

    code = "unknown_workflow"


class UnknownThread(ConversationError):
    """No conversation with this thread_id."""

    code = "unknown_thread"


class BadOption(ConversationError):
    """A workflow option is unknown or out of range."""

    code = "bad_field"


class EngineError(VoiceAgentError):
    """A model or an external service failed; the session goes on."""


class STTError(EngineError):
    """Speech recognition failed."""

    code = "stt_failed"


class TTSError(EngineError):
    """Speech synthesis failed."""

    code = "tts_failed"


class LLMError(EngineError):
    """The language model failed."""

    code = "llm_failed"


class ToolError(EngineError):
    """A tool failed."""

    code = "tool_failed"
