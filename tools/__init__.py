"""The agent's tools.

Understanding by meaning (offline sentence embeddings, no torch):
    tools.semantic.encoder        all-MiniLM-L6-v2 in numpy: shared_encoder().encode(texts)
    tools.semantic.evaluator      interview answer graded by meaning, with evidence (the default)
Pure, deterministic rule scorers (features, guard-rails and the fallback without the encoder):
    tools.rubric.score_answer     interview answer -> score, criteria, missing parts, feedback
    tools.english.analyze_english learner English -> corrections, new vocabulary, difficulty signal
Storage-backed tools:
    tools.db_tools                plain async functions for graph nodes (storage calls in a worker thread)
    TOOLS                         the same as LangChain tools for a model (plumbing args injected)
    tools.filler.with_filler      speak a short filler line when a tool is slow

`TOOLS` is loaded on first access, so importing the pure scorers pulls in neither LangChain nor storage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    TOOLS: list[BaseTool]

__all__ = ["TOOLS"]


def __getattr__(name: str) -> Any:
    if name == "TOOLS":
        from tools.agent_tools import TOOLS

        return TOOLS
    raise AttributeError(f"module 'tools' has no attribute {name!r}")
