"""The torch-free sentence encoder against reference embeddings.

`minilm_reference.json` was computed once with transformers' BertModel on torch 2.13.0 CPU
(mean pooling over the attention mask, then L2 normalisation: what sentence-transformers does for
all-MiniLM-L6-v2). The torch-marked test recomputes references for new texts with torch ops.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tools.semantic.encoder import DIM, MAX_TOKENS, Encoder, EncoderUnavailable, shared_encoder

REFERENCE = json.loads((Path(__file__).parent / "minilm_reference.json").read_text())


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return shared_encoder()


def test_matches_the_reference_embeddings_within_1e_3(encoder: Encoder) -> None:
    refs = REFERENCE["references"]
    got = encoder.encode([r["text"] for r in refs])
    want = np.array([r["vector"] for r in refs], dtype=np.float32)
    assert got.shape == (len(refs), DIM) and got.dtype == np.float32
    assert np.abs(got - want).max() < 1e-3
    assert [encoder.token_count(r["text"]) for r in refs] == [r["tokens"] for r in refs]


def test_rows_are_unit_length_and_batching_does_not_change_them(encoder: Encoder) -> None:
    texts = ["A short one.", "A much longer sentence about caching database queries in production.", ""]
    together = encoder.encode(texts)
    alone = np.vstack([Encoder.load().encode([t]) for t in texts])  # a fresh encoder: no cache
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-5


def test_similar_meaning_scores_higher_than_unrelated(encoder: Encoder) -> None:
    anchor, paraphrase, unrelated = encoder.encode([
        "I disagreed with my manager about the release date.",
        "My boss and I had an argument over when to ship.",
        "Photosynthesis turns sunlight into chemical energy in plants.",
    ])
    assert float(anchor @ paraphrase) > float(anchor @ unrelated) + 0.3


def test_long_text_is_truncated_not_rejected(encoder: Encoder) -> None:
    text = "word " * 2000
    assert encoder.token_count(text) == MAX_TOKENS
    assert encoder.encode([text]).shape == (1, DIM)


def test_odd_input_never_crashes(encoder: Encoder) -> None:
    vectors = encoder.encode(["\x00\x01", "🙂🙂🙂", "   ", None])  # type: ignore[list-item]
    assert vectors.shape == (4, DIM) and np.isfinite(vectors).all()
    assert encoder.encode([]).shape == (0, DIM)


def test_a_missing_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="cannot load"):
        Encoder.load(tmp_path)


@pytest.mark.torch
def test_agrees_with_a_torch_bert_on_new_texts(encoder: Encoder) -> None:
    """An independent forward pass with torch's own layer_norm, gelu and attention."""
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    from tools.semantic.encoder import model_dir

    weights = load_file(str(model_dir() / "model.safetensors"))
    texts = ["Rate limiting protects the API from bursts.", "Then I rolled back the deploy within an hour."]
    f = torch.nn.functional
    with torch.no_grad():
        for text, ours in zip(texts, encoder.encode(texts), strict=True):
            ids = torch.tensor([encoder._tokenizer.encode(text).ids])  # type: ignore[attr-defined]
            n = ids.shape[1]
            e = "embeddings."
            x = (weights[e + "word_embeddings.weight"][ids] + weights[e + "position_embeddings.weight"][:n]
                 + weights[e + "token_type_embeddings.weight"][0])
            x = f.layer_norm(x, (DIM,), weights[e + "LayerNorm.weight"], weights[e + "LayerNorm.bias"], 1e-12)
            for i in range(6):
                p = f"encoder.layer.{i}."

                def lin(h: Any, name: str, p: str = p) -> Any:
                    return f.linear(h, weights[p + name + ".weight"], weights[p + name + ".bias"])

                q, k, v = (lin(x, f"attention.self.{m}").view(1, n, 12, 32).transpose(1, 2)
                           for m in ("query", "key", "value"))
                ctx = f.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(1, n, DIM)
                x = f.layer_norm(lin(ctx, "attention.output.dense") + x, (DIM,),
                                 weights[p + "attention.output.LayerNorm.weight"],
                                 weights[p + "attention.output.LayerNorm.bias"], 1e-12)
                h = lin(f.gelu(lin(x, "intermediate.dense")), "output.dense")
                x = f.layer_norm(h + x, (DIM,), weights[p + "output.LayerNorm.weight"],
                                 weights[p + "output.LayerNorm.bias"], 1e-12)
            want = f.normalize(x.mean(dim=1), dim=1)[0].numpy()
            assert np.abs(ours - want).max() < 1e-3


def test_a_bank_index_is_cached_on_disk_and_loads_the_same(encoder: Encoder, tmp_path: Path) -> None:
    from tools.semantic.index import QuestionIndex

    questions = [{"id": "a", "text": "How do you cache reads?", "reference_points": ["Use a TTL."]},
                 {"id": "b", "text": "Tell me about a conflict.", "key_points": ["listened", "compromise"]}]
    first = QuestionIndex.build(questions, encoder, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("embeddings-*.npy"))) == 1
    again = QuestionIndex.build(questions, encoder, cache_dir=tmp_path)
    assert np.array_equal(first.points, again.points) and first.texts.shape == (2, DIM)
    question, similarity = again.match("What is a good way to cache database reads?", encoder)
    assert question["id"] == "a" and similarity > 0.5
