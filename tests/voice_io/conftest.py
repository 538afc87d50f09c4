from __future__ import annotations

from pathlib import Path

import pytest

from tests.voice_io.helpers import AUDIO_DIR
from voice_io.audio import load_audio
from voice_io.protocols import Float32Array


def _audio_file(name: str) -> Path:
    path = AUDIO_DIR / name
    if not path.exists():
        pytest.fail(f"test audio {path} not available: shared/audio must sit beside the repository")
    return path


@pytest.fixture(scope="session")
def jfk() -> Float32Array:
    return load_audio(_audio_file("jfk.flac"))


@pytest.fixture(scope="session")
def lecture() -> Float32Array:
    return load_audio(_audio_file("silero_test.wav"))


@pytest.fixture(scope="session")
def lecture_segments() -> list[tuple[float, float]]:
    rows = _audio_file("silero_test.txt").read_text().splitlines()
    segments = []
    for row in rows:
        if not row.strip():
            continue
        span = row.split("\t", 1)[0]
        start, end = span.split("-")
        segments.append((float(start), float(end)))
    return segments
