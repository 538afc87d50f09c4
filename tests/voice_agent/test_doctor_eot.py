"""The end-of-turn self-test on live speech engines: the real smart-turn model passes it, and a
model that says the same thing whatever it hears (dead weights, a constant head) fails it."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from voice_agent.doctor import probe_speech
from voice_agent.engines import Engines, load_engines
from voice_agent.settings import Settings
from voice_io.protocols import Float32Array

pytestmark = [pytest.mark.models]


@dataclasses.dataclass
class Constant:
    probability: float
    name: str = "constant"
    calls: int = 0

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        self.calls += 1
        return self.probability


@pytest.fixture(scope="module")
def engines() -> Engines:
    return load_engines(Settings(llm="rules"))


def eot_probe(engines: Engines) -> tuple[bool, str]:
    probe = next(p for p in asyncio.run(probe_speech(engines)) if p.engine == "EOT")
    return probe.ok, probe.detail


def test_the_real_end_of_turn_model_passes(engines: Engines) -> None:
    ok, detail = eot_probe(engines)
    assert ok, detail


def test_it_passes_with_fast_session_speech(engines: Engines) -> None:
    """The tests' servers speak at 4x: the probe reads at natural speed (at 4x, cuts sound final)."""
    fast = dataclasses.replace(engines, piper=engines.piper.at_speed(4.0), settings=Settings(tts_speed=4.0))
    results = [eot_probe(fast) for _ in range(5)]
    assert all(ok for ok, _ in results), results


@pytest.mark.parametrize("probability", [0.95, 0.2])
def test_a_model_that_hears_nothing_fails(engines: Engines, probability: float) -> None:
    constant = Constant(probability)
    ok, detail = eot_probe(dataclasses.replace(engines, end_of_turn=constant))
    assert not ok and "at best cut short" in detail, detail
    assert constant.calls == 12  # the sentence and five cuts, twice: a second reading before failing
