"""Understanding by meaning: an offline sentence encoder and the evaluators built on it.

    tools.semantic.encoder    all-MiniLM-L6-v2 in numpy: `shared_encoder().encode(texts)` -> [n, 384]
"""
