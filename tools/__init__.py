"""The agent's tools.

Understanding by meaning (offline sentence embeddings, no torch):
    tools.semantic.encoder        all-MiniLM-L6-v2 in numpy: shared_encoder().encode(texts)
    tools.semantic.evaluator      interview answer graded by meaning, with evidence (the default)
Pure, deterministic rule scorers (features, guard-rails and the fallback without the encoder):
    tools.rubric.score_answer     interview answer -> score, criteria, missing parts, feedback
    tools.english.analyze_english learner English -> corrections, new vocabulary, difficulty signal
The tools a model may call (scoring, question search, learner progress, phrases) are defined
with the workflows that use them (graph/workflows/*/tools.py, machinery in graph/toolbox.py).
"""
