"""Odd and adversarial input never breaks the scorers, and long answers stay fast."""

from __future__ import annotations

import random
import time

import pytest

from graph.fluency import fluency_metrics
from tools.english import analyze_english
from tools.rubric import score_answer

QUESTION = {"id": "q", "kind": "behavioural", "competency": "teamwork",
            "text": "Tell me about a team project.", "key_points": ["shared goal", "your role"]}
PIECES = ["I", "we", "did", "went", "um", "like", ",", ".", "?", "!", "...", "—", "30%", "$5", "é", "日本",
          "don't", "he", "go", "a", "informations", "since", "two", "years", "\n", "\t", "'", '"', "I've",
          "result", "because", "for example", "Anna", "2023", "-", "(", ")", "more", "better", "you know"]


def random_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("text", random_texts(60))
def test_random_input_never_raises(text: str) -> None:
    for kind in ("behavioural", "technical"):
        result = score_answer(question={**QUESTION, "kind": kind}, answer=text)
        assert 1.0 <= result["score"] <= 10.0
    english = analyze_english(text=text, level="B1")
    assert english["difficulty_signal"] in (-1, 0, 1)
    assert fluency_metrics(text=text)["word_count"] >= 0


@pytest.mark.parametrize(
    "text", ["x" * 20_000, "I " * 10_000, "got a " * 3000, "did " * 5000, "a" + "!" * 5000]
)
def test_pathological_input_is_fast(text: str) -> None:
    start = time.perf_counter()
    score_answer(question=QUESTION, answer=text)
    analyze_english(text=text, level="A2")
    fluency_metrics(text=text)
    assert time.perf_counter() - start < 3.0


def test_five_thousand_word_answer_is_fast() -> None:
    sentence = ("Um, so at my last job I led a team of five and, you know, we shipped the app in March, "
                "which cut support tickets by 30 percent. He go to work and I have went home. ")
    text = sentence * 160  # ~5,000 words
    start = time.perf_counter()
    assert score_answer(question=QUESTION, answer=text)["score"] >= 1.0
    assert len(analyze_english(text=text, level="B1")["errors"]) >= 300
    assert fluency_metrics(text=text, audio_s=1800.0)["word_count"] > 4500
    assert time.perf_counter() - start < 3.0
