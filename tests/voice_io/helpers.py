"""Shared test helpers: the real speech clips' transcripts, text normalisation, MP3 encoding."""

from __future__ import annotations

import io
import re
from pathlib import Path

import av
import numpy as np

from voice_io.protocols import Float32Array

AUDIO_DIR = Path("/work/shared/audio")
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def encode_mp3(signal: Float32Array, rate: int, *, id3: bool = False) -> bytes:
    """Raw MP3 frames, as edge-tts streams them (`id3=True` adds a tag and a Xing frame)."""
    buffer = io.BytesIO()
    options = {} if id3 else {"id3v2_version": "0", "write_xing": "0"}
    with av.open(buffer, "w", format="mp3", options=options) as container:
        stream = container.add_stream("libmp3lame", rate=rate)
        stream.layout = "mono"
        pcm = (np.clip(signal, -1, 1) * 32767).astype(np.int16)
        for i in range(0, pcm.size, 1152):
            frame = av.AudioFrame.from_ndarray(pcm[None, i : i + 1152], format="s16", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def tone(freq: float, seconds: float, rate: int, amplitude: float = 0.3) -> Float32Array:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


JFK_KEY_WORDS = frozenset({"country", "ask", "do", "for", "you", "what"})


def assert_heard(
    text: str, reference: str = JFK_TEXT, *, max_wer: float = 0.25, key_words: frozenset[str] = JFK_KEY_WORDS
) -> None:
    """Whisper heard `reference`: within a word-error-rate bound, with its key words.

    Exact phrases from a model are not stable across CPUs (CTranslate2 picks other kernels on
    AVX-512: "ask not" comes back as "asked not"), so the assertion is a tolerance; an empty or
    unrelated transcript (a dead model) still fails.
    """
    import jiwer

    heard = normalise(text)
    assert heard, "the transcript is empty"
    wer = jiwer.wer(normalise(reference), heard)
    assert wer <= max_wer, f"WER {wer:.2f} > {max_wer}: {heard!r}"
    assert key_words <= set(heard.split()), f"missing {sorted(key_words - set(heard.split()))}: {heard!r}"
