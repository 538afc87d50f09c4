"""The agent's tools.

Pure, deterministic scorers (the local model is too weak to grade):
    tools.rubric.score_answer     interview answer -> score, criteria, missing parts, feedback
    tools.english.analyze_english learner English -> corrections, new vocabulary, difficulty signal
Storage-backed tools:
    tools.db_tools                plain async functions for graph nodes (storage calls in a worker thread)
    TOOLS                         the same as LangChain tools for a model (plumbing args injected)
    tools.filler.with_filler      speak a short filler line when a tool is slow
"""

from tools.agent_tools import TOOLS

__all__ = ["TOOLS"]
