"""`voice-agent score --workflow english --read-aloud "TARGET" --audio FILE`: one reading, scored.

Prints `{type, workflow, exercise, target, heard, accuracy, words: [{word, status, heard, start,
end, probability}], omissions, substitutions, insertions, unclear, wpm, feedback, metrics}`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

ReadAloud = Annotated[str | None, typer.Option("--read-aloud", help="english: the sentence read in --audio.")]


def print_read_aloud(*, workflow: str, target: str, audio: Path | None) -> None:
    if workflow != "english" or audio is None or not audio.is_file() or not target.strip():
        typer.echo(
            "error: --read-aloud needs --workflow english, a sentence and an existing --audio file", err=True
        )
        raise typer.Exit(code=1)
    typer.echo(json.dumps(score_read_aloud(target, audio), indent=2, ensure_ascii=False))


def score_read_aloud(target: str, audio_path: Path) -> dict[str, Any]:
    """Transcribe `audio_path` with word times (embedded tiny.en) and align it to `target`."""
    from graph.fluency import WHISPER_DISFLUENCY_PROMPT, fluency_metrics
    from graph.workflows.english.reading import feedback, needs_retry, score_reading
    from voice_io.audio import load_audio
    from voice_io.protocols import INPUT_RATE
    from voice_io.stt import load_stt

    stt = load_stt("faster-whisper", "tiny.en", "en", 2)
    audio = load_audio(audio_path)
    transcript = asyncio.run(stt.transcribe(audio, prompt=WHISPER_DISFLUENCY_PROMPT, word_timestamps=True))
    audio_s = len(audio) / INPUT_RATE
    result = score_reading(target, transcript.words, audio_s=audio_s)
    return {
        "type": "evaluation",
        "workflow": "english",
        "exercise": "read_aloud",
        **result,
        "feedback": feedback(result, retry=needs_retry(result)),
        "metrics": fluency_metrics(text=transcript.text, words=transcript.words, audio_s=audio_s),
    }
