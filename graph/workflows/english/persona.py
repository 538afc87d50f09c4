"""The English partner's persona: fixed facts, so an answer to "where do you live?" is the same in
every session and across the turns of one. A learner's question is matched to a fact by meaning
(tools.acts.closest_topic); the reply is the fact in words for the learner's level."""

from __future__ import annotations

from tools.acts import closest_topic

NAME = "Sam"

TOPICS: dict[str, str] = {
    "name": "What is your name, who are you?",
    "home": "Where do you live, where are you from, what is your city or country like?",
    "job": "What do you do, what is your job, where do you work?",
    "free_time": "What do you do in your free time, what are your hobbies, do you play sports?",
    "food": "What is your favourite food, what do you like to eat or cook?",
    "travel": "Where have you travelled, what was your last holiday, which country do you like?",
    "family": "Do you have a family, brothers, sisters, children or pets?",
    "music_films": "What music, films, books or series do you like?",
    "morning": "What do you do in the morning, what is your daily routine, your day?",
    "weekend": "What did you do last weekend, what are you doing this weekend?",
    "languages": "Which languages do you speak, are you learning a language?",
}
FACTS: dict[str, tuple[str, str]] = {
    # topic: (simple words for A2/B1, fuller words for B2/C1)
    "name": ("I'm Sam, your practice partner.", "I'm Sam, your English practice partner."),
    "home": ("I live in Bristol, a city in England. It's green and friendly.",
             "I live in Bristol, in the south-west of England: a green, friendly city by the river."),
    "job": ("I'm a teacher. I teach English to adults.",
            "I teach English to adults, mostly in the evenings, which I really enjoy."),
    "free_time": ("I like cycling and cooking.",
                  "In my free time I go cycling along the river, and I love trying new recipes."),
    "food": ("My favourite food is Thai curry.",
             "My favourite food is a good Thai green curry, and I cook it quite often."),
    "travel": ("Last year I went to Japan. It was amazing.",
               "My last big trip was to Japan last spring; the food and the trains were amazing."),
    "family": ("I have a sister and a cat called Pepper.",
               "I have an older sister in London and a lazy cat called Pepper."),
    "music_films": ("I like old films and jazz.", "I'm a fan of old black-and-white films and jazz."),
    "morning": ("I get up at seven and drink a big coffee.",
                "I get up at seven, have a big coffee and read the news before work."),
    "weekend": ("Last weekend I went cycling with friends.",
                "Last weekend I went on a long bike ride with some friends and had a picnic."),
    "languages": ("I speak English and a little Spanish.",
                  "I speak English and some Spanish, and I'm slowly learning Japanese."),
}
UNKNOWN = ("Good question! I'd rather hear about you.", "Good question, but today I'd rather hear about you.")


def persona_answer(question: str, level: str) -> str:
    """A short answer to the learner's question, the same every time (blocking: encoder)."""
    topic = closest_topic(question, TOPICS, min_similarity=0.35)
    simple, full = FACTS.get(topic or "", UNKNOWN)
    return simple if level in ("A2", "B1") else full
