"""A question bank embedded once: which question an answer fits best, and which bank question a typed
question means.

    index = QuestionIndex.build(questions, encoder)      # questions: dicts with id, text, reference points
    index.match("Tell me about a fight with a coworker")  # -> (question dict, similarity)
    index.fits(sentence_vectors, answer_vector)            # -> fit of the answer to every question

Building embeds every question text and reference point (780 short sentences for 150 questions:
10-30 s on 2 busy cores), so the vectors are cached on disk and later builds only load them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tools.semantic.encoder import DIM, Encoder

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    return Path(os.environ.get("VOICE_AGENT_CACHE_DIR") or Path.home() / ".cache" / "voice-agent")


def _cached_encode(texts: list[str], encoder: Encoder, cache_dir: Path) -> np.ndarray:
    key = hashlib.sha256("\x1f".join([encoder.fingerprint, *texts]).encode("utf-8")).hexdigest()[:20]
    path = cache_dir / f"embeddings-{key}.npy"
    try:
        vectors = np.load(path)
        if vectors.shape == (len(texts), DIM):
            return vectors.astype(np.float32, copy=False)
    except (OSError, ValueError):
        pass
    vectors = encoder.encode(texts)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home still works, only slower at start
        log.warning("cannot cache the bank embeddings in %s: %s", cache_dir, exc)
    return vectors


def question_points(question: Mapping[str, Any]) -> list[str]:
    points = question.get("reference_points") or question.get("key_points") or []
    return [str(p).strip() for p in points if isinstance(p, str) and p.strip()]


@dataclass(frozen=True)
class QuestionIndex:
    questions: tuple[Mapping[str, Any], ...]
    texts: np.ndarray  # [q, 384]
    points: np.ndarray  # [p, 384]
    owner: np.ndarray  # [p] index of the question each point belongs to

    @classmethod
    def build(cls, questions: Sequence[Mapping[str, Any]], encoder: Encoder,
              cache_dir: Path | None = None) -> QuestionIndex:
        """Embed the bank, or load the vectors a previous build saved under `cache_dir` (default
        $VOICE_AGENT_CACHE_DIR or ~/.cache/voice-agent; keyed by the texts and the model)."""
        texts = [str(q.get("text") or "") for q in questions]
        points: list[str] = []
        owner: list[int] = []
        for i, question in enumerate(questions):
            for point in question_points(question):
                points.append(point)
                owner.append(i)
        vectors = _cached_encode(texts + points, encoder, cache_dir or default_cache_dir())
        return cls(questions=tuple(questions), texts=vectors[: len(texts)], points=vectors[len(texts):],
                   owner=np.asarray(owner, dtype=np.int64))

    def position(self, question: Mapping[str, Any]) -> int | None:
        for i, q in enumerate(self.questions):
            if q.get("id") == question.get("id") and q.get("text") == question.get("text"):
                return i
        return None

    def fits(self, sentences: np.ndarray, whole: np.ndarray) -> np.ndarray:
        """How well the answer fits each question: 0.4 x (answer . question text) + 0.6 x the mean,
        over the question's reference points, of the best sentence's similarity to the point."""
        text_fit = self.texts @ whole
        best = (sentences @ self.points.T).max(axis=0) if len(self.points) else np.zeros(0)
        sums = np.bincount(self.owner, weights=best, minlength=len(self.questions))
        counts = np.bincount(self.owner, minlength=len(self.questions))
        point_fit = np.where(counts > 0, sums / np.maximum(counts, 1), text_fit)
        return (0.4 * text_fit + 0.6 * point_fit).astype(np.float32)

    def match(self, text: str, encoder: Encoder) -> tuple[Mapping[str, Any], float]:
        """The bank question nearest in meaning to `text`, and its cosine similarity."""
        vector = encoder.encode([text])[0]
        sims = self.texts @ vector
        best = int(np.argmax(sims))
        return self.questions[best], float(sims[best])
