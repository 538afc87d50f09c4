"""Learner-English analysis: real learner-like sentences get the right corrections, correct English
gets none, vocabulary above the level is noticed, and the difficulty signal moves the right way."""

from __future__ import annotations

import pytest

from tests.tools.rubric_pairs import PAIRS
from tools.english import analyze_english


def corrections(text: str) -> list[tuple[str, str]]:
    return [(e["original"], e["correction"]) for e in analyze_english(text=text, level="B1")["errors"]]


@pytest.mark.parametrize(
    ("text", "original", "correction"),
    [
        ("My sister go to the gym every morning.", "My sister go", "My sister goes"),
        ("He don't like his job.", "He don't", "He doesn't"),
        ("She have two children and a dog.", "She have", "She has"),
        ("When he come home he is tired.", "he come", "he comes"),
        ("I am agree with you about that.", "I am agree", "I agree"),
        ("Honestly I'm not agree with this idea.", "I'm not agree", "I don't agree"),
        ("I have went to London three times.", "have went", "have gone"),
        ("She has saw this movie before.", "has saw", "has seen"),
        ("Last week I goed to the cinema.", "goed", "went"),
        ("I buyed a new phone yesterday.", "buyed", "bought"),
        ("Did you went to the party?", "Did you went", "Did you go"),
        ("I didn't saw him at work.", "didn't saw", "didn't see"),
        ("Did you finished your report?", "Did you finished", "Did you finish"),
        ("The new office is more better than the old one.", "more better", "better"),
        ("This exercise is more easy than the last one.", "more easy than", "easier than"),
        ("I live in Madrid since two years.", "since two years", "for two years"),
        ("I work here since a long time.", "since a long time", "for a long time"),
        ("I don't know nothing about cars.", "don't know nothing", "don't know anything"),
        ("We didn't see nobody there.", "didn't see nobody", "didn't see anybody"),
        ("I don't have no time today.", "don't have no time", "don't have any time"),
        ("Can you give me a informations about the course?", "a informations", "some information"),
        ("My teacher gave me an advice.", "an advice", "some advice"),
        ("We need more equipments for the lab.", "equipments", "equipment"),
        ("I want go to the beach.", "want go", "want to go"),
        ("I would like learn Spanish next year.", "would like learn", "would like to learn"),
        ("We are going visit my parents.", "going visit", "going to visit"),
        ("In my country people is very friendly.", "people is", "people are"),
        ("I want to make a photo of the mountains.", "make a photo", "take a photo"),
        ("I did a mistake in the exam.", "did a mistake", "made a mistake"),
        ("Can you explain me the rules?", "explain me", "explain to me"),
        ("We discussed about the new plan.", "discussed about", "discussed"),
        ("I listen music every evening.", "listen music", "listen to music"),
        ("It depends of the weather.", "depends of", "depends on"),
        ("I have 25 years and I am a nurse.", "I have 25 years", "I am 25 years old"),
        ("I can to speak three languages.", "can to speak", "can speak"),
        ("I look forward to meet you.", "look forward to meet", "look forward to meeting"),
        ("They was very kind to me.", "They was", "They were"),
        ("There is many shops near my house.", "There is many", "There are many"),
        ("I ate a orange for breakfast.", "a orange", "an orange"),
        ("She bought an book for her son.", "an book", "a book"),
        ("According to me, the film was boring.", "According to me", "In my opinion"),
        ("All the peoples in my village know me.", "peoples", "people"),
        ("My childrens go to school by bus.", "childrens", "children"),
    ],
)
def test_common_learner_errors_are_corrected(text: str, original: str, correction: str) -> None:
    found = analyze_english(text=text, level="A2")["errors"]
    assert (original, correction) in [(e["original"], e["correction"]) for e in found]
    assert all(e["explanation"] for e in found)


@pytest.mark.parametrize(
    "text",
    [
        "Did he go home early? Does she have a car?",
        "I made it work, and then I let it go.",
        "I have gone there twice and she has seen it.",
        "I have lived here since 2019.",
        "I didn't go because nobody came.",
        "I work on a research project as a software engineer.",
        "I want you to come with me. I need help.",
        "I have 5 years of experience in sales.",
        "I did everything I could to help them.",
        "We made the most of the time we had.",
        "If I were you, I would take the job.",
        "An hour later I met an MBA student at a university.",
        "Vitamin A is good for your eyes.",
        "He read the book last night and she cut the cake.",
        "Explain them to me slowly, please.",
    ],
)
def test_correct_english_is_left_alone(text: str) -> None:
    assert corrections(text) == []


def test_several_errors_in_one_answer_come_in_text_order() -> None:
    text = "Yesterday I goed to the market. My friend don't like it, but I buyed apples since two years."
    assert corrections(text) == [("goed", "went"), ("My friend don't", "My friend doesn't"),
                                 ("buyed", "bought"), ("since two years", "for two years")]


def test_new_vocabulary_is_above_the_learners_level() -> None:
    text = ("Last summer I negotiated a contract with a supplier, and honestly the experience was "
            "invaluable for my career.")
    a2 = analyze_english(text=text, level="A2")["new_vocabulary"]
    b2 = analyze_english(text=text, level="B2")["new_vocabulary"]
    assert {"negotiated", "supplier", "invaluable"} <= set(a2)
    assert "invaluable" in b2 and "negotiated" not in b2  # "negotiate" is a B1 word
    assert "summer" not in a2 and "career" not in b2


def test_names_numbers_and_error_words_are_not_new_vocabulary() -> None:
    result = analyze_english(text="Yesterday Anna and Marcus buyed 25 tickets in Barcelona.", level="A2")
    assert result["new_vocabulary"] == []


def test_difficulty_goes_up_when_the_learner_is_doing_well() -> None:
    text = ("When I was a student I worked in a small restaurant in the evenings, and it taught me how to "
            "stay calm with demanding customers. Nowadays I manage a team of four people.")
    assert analyze_english(text=text, level="A2")["difficulty_signal"] == 1


def test_difficulty_goes_down_when_the_learner_is_struggling() -> None:
    assert analyze_english(text="Yes. Good.", level="B1")["difficulty_signal"] == -1
    text = "He go school. She don't like. I goed home and I buyed bread."
    assert analyze_english(text=text, level="B1")["difficulty_signal"] == -1


def test_difficulty_stays_for_an_ordinary_answer() -> None:
    text = "I like my job. It is interesting and my colleagues are nice."
    assert analyze_english(text=text, level="B2")["difficulty_signal"] == 0


@pytest.mark.parametrize("text", ["", "   ", "?!...", "um uh hmm", "word " * 5000])
@pytest.mark.parametrize("level", ["A1", "B2", "C2", "intermediate", "", "nonsense"])
def test_odd_input_never_raises(text: str, level: str) -> None:
    result = analyze_english(text=text, level=level)
    assert set(result) == {"errors", "new_vocabulary", "difficulty_signal", "word_count"}
    assert result["difficulty_signal"] in (-1, 0, 1)
    assert result["word_count"] == {"": 0, "   ": 0, "?!...": 0, "um uh hmm": 3}.get(text, 5000)


def test_word_count_counts_spoken_words() -> None:
    assert analyze_english(text="I've lived in Paris for 3 years.", level="B1")["word_count"] == 7


def test_fluent_native_answers_get_no_false_corrections() -> None:
    texts = [text for question, strong, vague in PAIRS for text in (question["text"], strong, vague)]
    false_alarms = [(e["original"], e["correction"]) for text in texts
                    for e in analyze_english(text=text, level="C1")["errors"]]
    assert false_alarms == []
