"""A learner's history of finished sessions, written through the storage API (for the progress
charts' tests: storage, HTTP API and browser)."""

from __future__ import annotations

import secrets

import storage

INTERVIEW_SCORES = [  # per session: (overall, {criterion: score}) for each of two answers
    [(4, {"structure": 3, "relevance": 5, "depth": 4}), (5, {"structure": 4, "relevance": 6, "depth": 5})],
    [(6, {"structure": 5, "relevance": 7, "depth": 6}), (6, {"structure": 6, "relevance": 7, "depth": 5})],
    [(7, {"structure": 7, "relevance": 8, "depth": 6}), (8, {"structure": 8, "relevance": 8, "depth": 7})],
]
ENGLISH_TURNS = [  # per session: (errors, words, wpm, fillers) of each of two turns, then the level
    ([(3, 20, 90.0, 2), (2, 20, 100.0, 2)], "A2"),
    ([(2, 25, 110.0, 1), (1, 25, 115.0, 1)], "B1"),
    ([(1, 30, 125.0, 1), (0, 30, 130.0, 0)], "B1"),
    ([(0, 30, 135.0, 0), (1, 30, 140.0, 0)], "B2"),
]


def seed_interview(db: storage.Database, learner: str = "ada") -> list[str]:
    """Three finished interview sessions; returns their thread ids, oldest first."""
    ids = []
    for n, answers in enumerate(INTERVIEW_SCORES, start=1):
        tid = secrets.token_hex(8)
        storage.create_session(db=db, thread_id=tid, workflow="interview", options={"user": learner})
        for q, (score, criteria) in enumerate(answers, start=1):
            turn = f"t{n}{q}"
            storage.add_turn(db=db, thread_id=tid, turn_id=turn, role="agent", text=f"Question {q}: tell me.")
            storage.add_turn(db=db, thread_id=tid, turn_id=turn, role="user", text="I led the migration.")
            payload = {
                "type": "evaluation",
                "workflow": "interview",
                "question_index": q,
                "question": f"Question {q}",
                "score": score,
                "criteria": criteria,
                "strengths": ["Clear situation"],
                "improvements": ["Give a number"],
                "metrics": {"wpm": 120.0, "fillers": {}, "filler_count": 0, "word_count": 4},
            }
            storage.add_evaluation(db=db, thread_id=tid, turn_id=turn, payload=payload)
        storage.add_turn(
            db=db,
            thread_id=tid,
            turn_id="end",
            role="agent",
            text="Thanks, that is all for today.",
            heard_text="Thanks,",
            interrupted=True,
        )
        storage.save_report(db=db, thread_id=tid, report={"summary": f"Session {n} done.", "average": score})
        ids.append(tid)
    return ids


def seed_english(db: storage.Database, learner: str = "bea") -> list[str]:
    """Four finished English practice sessions; returns their thread ids, oldest first."""
    ids = []
    for n, (turns, level) in enumerate(ENGLISH_TURNS, start=1):
        tid = secrets.token_hex(8)
        storage.create_session(db=db, thread_id=tid, workflow="english", options={"user": learner})
        for k, (errors, words, wpm, fillers) in enumerate(turns, start=1):
            unclear = [{"word": "weekend", "index": 2, "start": 0.8, "end": 1.2, "probability": 0.08}]
            fluency = {"wpm": wpm, "filler_count": fillers, "word_count": words, "unclear_words": unclear}
            storage.add_turn(
                db=db,
                thread_id=tid,
                turn_id=f"e{n}{k}",
                role="user",
                text="Last weekend I goed to the market.",
                fluency=fluency,
            )
            payload = {
                "type": "evaluation",
                "workflow": "english",
                "turn_index": k,
                "turns": 2,
                "level": level,
                "errors": [{"original": "goed", "correction": "went", "explanation": "irregular"}] * errors,
                "word_count": words,
                "metrics": {**fluency, "fillers": {}},
            }
            storage.add_evaluation(db=db, thread_id=tid, turn_id=f"e{n}{k}", payload=payload)
        storage.save_report(db=db, thread_id=tid, report={"end_level": level, "turns_taken": 2})
        ids.append(tid)
    return ids
