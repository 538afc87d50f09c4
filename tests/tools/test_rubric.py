"""Each rubric criterion reacts to what it claims to measure, and odd input never breaks scoring."""

from __future__ import annotations

import pytest

from graph.fluency import fluency_metrics
from tools.rubric import score_answer
from voice_io.protocols import Word

CONFLICT = {
    "id": "b1", "role": "software engineer", "competency": "conflict", "difficulty": 2, "kind": "behavioural",
    "text": "Tell me about a time you disagreed with a colleague.",
    "key_points": ["disagreement with a colleague", "listened to their view", "found a compromise"],
}
INDEX = {
    "id": "t1", "role": "backend engineer", "competency": "databases", "difficulty": 2, "kind": "technical",
    "text": "What is a database index and when would you use one?",
    "key_points": ["speeds up lookups", "b-tree", "slower writes", "extra storage"],
}
BASE = ("My colleague Anna and I disagreed about the release plan. I listened to her view, and I "
        "proposed a compromise where we shipped the safe part first.")


def crit(answer: str, question: dict = CONFLICT, **kw: object) -> dict[str, int]:
    return score_answer(question=question, answer=answer, **kw)["criteria"]  # type: ignore[arg-type]


def test_result_shape_and_ranges() -> None:
    result = score_answer(question=CONFLICT, answer=BASE)
    assert set(result) == {"score", "criteria", "missing", "strength", "improvement", "better_phrasing"}
    assert 1.0 <= result["score"] <= 10.0 and round(result["score"], 1) == result["score"]
    assert set(result["criteria"]) == {"situation", "task", "action", "result", "specificity",
                                       "measurable_outcome", "relevance", "structure"}
    assert all(isinstance(v, int) and 1 <= v <= 10 for v in result["criteria"].values())
    assert set(result["missing"]) <= {"situation", "task", "action", "result", "example", "metric", "depth"}


def test_situation_comes_from_context_and_time_markers() -> None:
    with_context = crit("Last year, at my previous company, we were migrating the billing system. " + BASE)
    assert with_context["situation"] >= 7
    assert crit(BASE)["situation"] <= 2


def test_task_comes_from_responsibility_phrases() -> None:
    answer = "I was responsible for the release and my goal was to ship it by Friday. " + BASE
    assert crit(answer)["task"] >= 7
    assert crit(BASE)["task"] <= 2


def test_action_rewards_first_person_verbs_over_we() -> None:
    mine = crit("I called a meeting, I wrote a proposal and I decided to split the release.")
    ours = crit("We called a meeting, we wrote a proposal and we decided to split the release.")
    assert mine["action"] >= ours["action"] + 3
    result = score_answer(question=CONFLICT, answer="At my last job we disagreed about the plan. We called a "
                          "meeting, we wrote a proposal and we split the release, and in the end it worked.")
    assert "action" in result["missing"]
    assert "'I" in result["improvement"] and "we" in result["improvement"].lower()


def test_result_and_measurable_outcome() -> None:
    story = "At my last job I disagreed with Anna about the release. I proposed a compromise."
    with_number = crit(story + " As a result we cut failed deployments by 30 percent.")
    with_words = crit(story + " As a result the release went fine.")
    without = crit(story)
    assert with_number["result"] >= with_words["result"] > without["result"]
    assert with_number["measurable_outcome"] >= 7 > with_words["measurable_outcome"]
    missing = score_answer(question=CONFLICT, answer=story + " As a result the release went fine.")["missing"]
    assert "metric" in missing and "result" not in missing


def test_specificity_counts_names_numbers_and_dates() -> None:
    concrete = crit("In March 2023, at Shopify, my teammate Priya and I disagreed about three failing tests.")
    generic = crit("Sometimes people in my team disagree with me about the work that we are doing.")
    assert concrete["specificity"] >= generic["specificity"] + 3


def test_relevance_drops_for_an_answer_to_another_question() -> None:
    on_topic = score_answer(question=CONFLICT, answer=BASE + " She agreed and we shipped on time.")
    off_topic = score_answer(question=CONFLICT, answer=(
        "My favourite food is pasta with tomatoes and basil, and on weekends I cook it for my family at "
        "home while we listen to music and talk about football and holidays by the sea."))
    assert on_topic["criteria"]["relevance"] >= off_topic["criteria"]["relevance"] + 4
    assert off_topic["score"] <= 4.5


def test_relevance_understands_related_words() -> None:
    mistake = {"id": "b2", "kind": "behavioural", "competency": "accountability",
               "text": "Tell me about a mistake you made at work.",
               "key_points": ["admitted the mistake", "fixed it", "prevented it happening again"]}
    answer = ("Last year I accidentally deleted a production table. I told my lead right away, I restored it "
              "from a backup, and I added a checklist so it never happened again.")
    assert crit(answer, mistake)["relevance"] >= 7


def test_structure_prefers_an_ordered_story_to_repetition() -> None:
    ordered = ("Last year at my previous company our deploys kept failing. I was responsible for the "
               "pipeline. First I measured where the failures were, then I rewrote the flaky tests and I "
               "added retries. In the end failed deploys dropped from ten a week to one.")
    rambling = " ".join(["and yeah the thing with the deploys was the thing"] * 12)
    assert crit(ordered)["structure"] >= crit(rambling)["structure"] + 3


def test_fluency_criterion_only_when_metrics_are_given() -> None:
    assert "fluency" not in crit(BASE)
    smooth = score_answer(question=CONFLICT, answer=BASE,
                          fluency={"fillers_per_100_words": 1.0, "wpm": 140.0, "long_pauses": 0})
    halting = score_answer(question=CONFLICT, answer=BASE,
                           fluency={"fillers_per_100_words": 15.0, "wpm": 70.0, "long_pauses": 4})
    assert smooth["criteria"]["fluency"] >= 9 and halting["criteria"]["fluency"] <= 2
    assert smooth["score"] > halting["score"]


def test_technical_depth_rewards_key_points_and_trade_offs() -> None:
    shallow = crit("An index makes the database faster, so you should add one when queries are slow.", INDEX)
    deep = crit("An index is a B-tree kept sorted by the column, so lookups are logarithmic instead of a "
                "full scan. The trade-off is slower writes, because every insert updates the index, and it "
                "needs extra storage.", INDEX)
    assert set(deep) == {"depth", "example", "relevance", "clarity"}
    assert deep["depth"] >= shallow["depth"] + 4


def test_technical_example_criterion() -> None:
    base = "An index is a sorted B-tree over a column, so lookups are fast but writes get slower."
    example = " For example, at my last job we added an index on orders and the query went from 2 s to 20 ms."
    assert crit(base + example, INDEX)["example"] >= crit(base, INDEX)["example"] + 4
    assert "example" in score_answer(question=INDEX, answer=base)["missing"]


@pytest.mark.parametrize("answer", ["", "   ", "?!...", "asdf qwer zxcv hjkl", "ok", "\n\n\t"])
def test_empty_or_nonsense_answers_score_low_and_say_what_to_add(answer: str) -> None:
    for question in (CONFLICT, INDEX):
        result = score_answer(question=question, answer=answer)
        assert result["score"] <= 2.0
        assert result["missing"]
        assert "full answer" in result["improvement"]
        assert result["better_phrasing"] == ""


def test_very_long_answer_is_bounded() -> None:
    """(No wall-clock assertion: timings are not asserted in tests; the answer must just score.)"""
    answer = (BASE + " Um, and, like, you know, it was fine. ") * 200  # ~5,000 words
    result = score_answer(question=CONFLICT, answer=answer)
    assert 1.0 <= result["score"] <= 10.0
    assert result["criteria"]["structure"] <= 7


def test_odd_question_dicts_do_not_raise() -> None:
    odd: list[dict] = [{}, {"kind": "technical"}, {"key_points": None, "text": None},
                       {"key_points": [1, None]}]
    for question in odd:
        result = score_answer(question=question, answer=BASE)
        assert 1.0 <= result["score"] <= 10.0


def test_better_phrasing_rewrites_one_of_the_candidates_sentences() -> None:
    answer = ("Um, so, at my last job I was, like, in charge of the release. And, uh, I basically, you know, "
              "sort of talked to Anna and we agreed on a plan.")
    phrasing = score_answer(question=CONFLICT, answer=answer)["better_phrasing"]
    lowered = phrasing.lower()
    assert not any(f in f" {lowered} " for f in (" um", " uh", " like,", "you know", "basically", "sort of"))
    assert "anna" in lowered or "release" in lowered
    assert phrasing[0].isupper() and phrasing.endswith(".")


def test_strength_quotes_the_candidates_own_action() -> None:
    answer = ("Last year at my previous company I led the move to a new CI system. I wrote the migration "
              "plan, I trained the team and I decided to migrate one service at a time.")
    strength = score_answer(question=CONFLICT, answer=answer)["strength"]
    assert strength and ("led" in strength or "wrote" in strength or "decided" in strength)


def test_verbs_sharing_the_subject_count_as_actions() -> None:
    one = crit("My lead wanted to skip code review. I disagreed with him about it.")
    three = crit("My lead wanted to skip code review. I disagreed, showed him two bugs and proposed a fix.")
    assert three["action"] > one["action"]


def test_a_strong_story_about_something_else_is_capped() -> None:
    answer = ("Last year at my previous company I was responsible for migrating our billing system to "
              "Stripe. I wrote the migration plan, I ran both systems in parallel for two weeks and I moved "
              "customers in batches. As a result we finished a month early and cut payment failures by 30 "
              "percent.")
    result = score_answer(question=CONFLICT, answer=answer)
    assert result["criteria"]["action"] >= 7 and result["criteria"]["relevance"] <= 3
    assert result["score"] <= 4.5
    assert "Answer the question" in result["improvement"]


def test_a_short_concrete_story_beats_a_long_generic_speech() -> None:
    concrete = ("My lead wanted to skip code review to hit a deadline. I disagreed, showed him two bugs "
                "reviews had caught that month, and proposed reviewing only risky files. He agreed and we "
                "shipped on time with no incidents.")
    generic = ("So, um, conflict is, like, something that happens in every team, right? I think the most "
               "important thing is communication, you know, and being respectful. When people disagree, you "
               "have to listen and understand the other person and their point of view. I always try to stay "
               "calm and professional. In my experience, most conflicts come from misunderstandings, so if "
               "you communicate well and you're open, you can usually find a compromise that works for "
               "everyone. Basically, conflict can actually be positive if you handle it well.")
    assert score_answer(question=CONFLICT, answer=concrete)["score"] >= \
        score_answer(question=CONFLICT, answer=generic)["score"] + 2


def test_measured_delivery_feeds_the_fluency_criterion() -> None:
    halting_text = "Um, so, like, I, uh, I talked to Anna and, um, you know, we, like, agreed on a plan."
    words = tuple(Word(w, 1.5 * i, 1.5 * i + 0.3) for i, w in enumerate(halting_text.split()))
    halting = fluency_metrics(text=halting_text, words=words, audio_s=words[-1].end, response_delay_s=2.0)
    clean = fluency_metrics(text=BASE)
    assert halting["long_pauses"] >= 5 and halting["fillers_per_100_words"] > 30
    assert crit(halting_text, fluency=halting)["fluency"] == 1
    assert crit(BASE, fluency=clean)["fluency"] == 10
