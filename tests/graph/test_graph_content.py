from pathlib import Path

import pytest

from graph.content import ContentError
from graph.workflows.english.content import load_prompts
from graph.workflows.interview.bank import ROLES, load_bank, load_bank_file, question_dicts


def test_every_role_has_at_least_six_valid_questions() -> None:
    bank = load_bank()
    for role in ROLES:
        questions = bank[role]
        assert len(questions) >= 6, role
        assert {q.kind for q in questions} <= {"behavioural", "technical"}
        assert all(q.key_points and q.text.endswith(("?", ".")) for q in questions)
    ids = [q["id"] for q in question_dicts()]
    assert len(ids) == len(set(ids))


def test_english_prompts_cover_every_topic() -> None:
    topics = {p.topic for p in load_prompts()}
    assert topics == {"daily life", "travel", "work", "hobbies", "free"}


def test_broken_entry_names_file_entry_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "role: backend engineer\n"
        "questions:\n"
        "  - id: ok-one\n"
        "    competency: apis\n"
        "    difficulty: 1\n"
        "    kind: technical\n"
        "    text: How would you design an API?\n"
        "    key_points: [resources]\n"
        "  - id: bad-two\n"
        "    competency: apis\n"
        "    difficulty: 7\n"
        "    kind: riddle\n"
        "    text: What is it?\n"
        "    key_points: [x]\n"
    )
    with pytest.raises(ContentError) as info:
        load_bank_file(path)
    message = str(info.value)
    assert str(path) in message
    assert "entry #2" in message and "'bad-two'" in message and "line 9" in message
    assert "difficulty" in message and "kind" in message


def test_not_yaml_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("role: x\nquestions: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_bank_file(path)
    entry = (
        "  - {id: same, competency: c, difficulty: 1, kind: technical,"
        " text: 'Why is the sky blue?', key_points: [a]}\n"
    )
    path.write_text("role: x\nquestions:\n" + entry + entry)
    with pytest.raises(ContentError, match=r"entry #2 .*duplicate id 'same'"):
        load_bank_file(path)


def test_bank_directory_needs_every_role(tmp_path: Path) -> None:
    (tmp_path / "only.yaml").write_text(
        "role: backend engineer\nquestions:\n"
        "  - {id: a1, competency: c, difficulty: 1, kind: technical,"
        " text: 'Why is the sky blue?', key_points: [a]}\n"
    )
    with pytest.raises(ContentError, match="needs at least 3 questions"):
        load_bank.__wrapped__(tmp_path)
