"""bench.vad_cost: the numbers it reports are consistent (no timing thresholds asserted)."""

from __future__ import annotations

import json

import pytest

from bench.vad_cost import format_table, main, measure
from tests.voice_io.helpers import AUDIO_DIR

pytestmark = pytest.mark.models


def test_measure_reports_per_window_cost_on_real_speech() -> None:
    result = measure(AUDIO_DIR / "jfk.flac", repeats=2)
    assert result["windows"] == 2 * (176_000 // 512)
    assert result["window_ms"] == 32.0
    assert 0 < result["median_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["realtime_factor"] == pytest.approx(result["mean_ms"] / 32.0)
    assert 0.4 < result["speech_fraction"] < 0.9  # jfk: speech with ~1 s pauses
    table = format_table(result)
    assert "median" in table and "p95" in table


def test_cli_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--json", "--repeats", "1", "--audio", str(AUDIO_DIR / "jfk.flac")])
    result = json.loads(capsys.readouterr().out)
    assert result["windows"] == 176_000 // 512
