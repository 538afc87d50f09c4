"""The words of the feedback: one strength, one concrete improvement, one better phrasing.

Everything is built from the candidate's own answer (quoted snippets, one of their sentences
rewritten) so the feedback feels specific even though it is rule-based.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

from tools.cues import Cues, action_snippet, is_action, metric_snippet


class FeedbackContext(TypedDict):
    question: Mapping[str, Any]
    answer: str
    cues: Cues
    criteria: dict[str, int]
    missing: list[str]
    technical: bool
    covered: list[str]
    uncovered: list[str]


# --------------------------------------------------------------------------- strength

_STRENGTHS = {
    "situation": "You set the scene quickly, so the listener knows where and when this happened.",
    "task": "You made clear what you were responsible for before telling the story.",
    "specificity": "You used concrete details (names, numbers, dates) that make the story believable.",
    "structure": "Your answer was easy to follow, with a clear beginning, middle and end.",
    "fluency": "You spoke at a steady pace with very few fillers.",
    "depth": "You went beyond a definition and explained how it works and what it costs.",
    "clarity": "Your explanation was clear and well organised.",
}


def strength(ctx: FeedbackContext) -> str:
    cues, criteria = ctx["cues"], ctx["criteria"]
    if cues.word_count == 0:
        return "Nothing to praise yet: there was no answer to score."
    best = max(criteria, key=lambda k: criteria[k])
    if criteria[best] < 7:
        if ctx["technical"]:
            return "You answered in your own words; now let's build it into a full explanation."
        return "You answered in your own words; now let's build it into a full story."
    if best == "action":
        return f'You made your own role clear: "{action_snippet(ctx["answer"])}…".'
    if best == "measurable_outcome":
        return f'You backed your result with a number ("{metric_snippet(ctx["answer"])}").'
    if best == "result":
        return "You closed the story with a clear outcome."
    if best == "relevance":
        points = ctx["covered"]
        if points:
            return f"You stayed on the question and covered the key point: {points[0]}."
        return "You stayed focused on the question that was asked."
    if best == "example":
        return "You grounded the explanation in a real example."
    return _STRENGTHS.get(best, "You gave a relevant answer.")


# --------------------------------------------------------------------------- improvement

_IMPROVE = {
    "action": "Say what you did yourself, with 'I' and a strong verb: 'I decided…', 'I built…', "
              "'I spoke to…'. Right now your own part is unclear.",
    "result": "End with the result: what changed because of what you did, ideally with a number "
              "(time saved, percentage improved, customers affected).",
    "metric": "Put a number on the outcome: how much time, money or errors it saved, or how many "
              "people it affected.",
    "situation": "Start with one sentence of context: where you worked, when, and what was going on.",
    "task": "Say what your responsibility or goal was before describing what you did.",
    "example": "Use one specific, real example with names, dates or numbers instead of speaking in "
               "general terms.",
    "depth": "Give more detail: walk through two or three concrete steps you took, in order.",
}


def improvement(ctx: FeedbackContext) -> str:
    cues, criteria, missing = ctx["cues"], ctx["criteria"], ctx["missing"]
    technical = ctx["technical"]
    if cues.word_count < 20:
        if technical:
            return ("Give a full answer: define the idea, explain how it works, give one example from "
                    "your experience and one trade-off. Aim for four to six sentences.")
        return ("Give a full answer: describe one specific situation, what you personally did and how it "
                "turned out. Aim for four to six sentences.")
    if not technical and not cues.actions and not cues.situation and criteria["specificity"] < 5:
        return ("Tell one specific story instead of describing what you usually do: start with 'At my "
                "last job, when…', then say what you did and how it ended.")
    if criteria.get("relevance", 10) <= 2:
        topic = ctx["question"].get("competency") or "the question"
        return f"Answer the question that was asked: it is about {topic}. Link your example to it directly."
    if technical:
        if "depth" in missing:
            return _depth_hint(ctx["uncovered"])
        if "example" in missing:
            return ("Add a concrete example: a project where you used it, what you measured, and what you "
                    "would do differently.")
        if len(cues.tradeoffs) < 2:
            return ("Add a trade-off: when would you NOT use this, and what does it cost (speed, memory, "
                    "complexity)?")
    else:
        if "action" in missing and cues.we_actions:
            return ("You said 'we' for most of the story; say what you personally did: 'I proposed…', "
                    "'I wrote…', 'I spoke to…'.")
        for part in ("action", "result", "metric", "situation", "task", "example", "depth"):
            if part in missing:
                return _IMPROVE[part]
    if criteria.get("fluency", 10) <= 6:
        return "Cut the fillers ('um', 'like', 'you know'): pause silently instead, and keep a steady pace."
    if criteria.get("structure", criteria.get("clarity", 10)) <= 6:
        return ("Organise the answer in order: situation, task, action, result, and signpost it with "
                "'First…', 'Then…', 'In the end…'.")
    if ctx["uncovered"]:
        return f"To make it even stronger, also mention: {ctx['uncovered'][0]}."
    if technical:
        return "Tighten it: open with a one-sentence definition, then how it works, then the trade-off."
    return "Tighten it: open with the result in one sentence, then tell the story behind it."


def _depth_hint(uncovered: list[str]) -> str:
    if uncovered:
        listed = "; ".join(uncovered[:2])
        return f"Go deeper: cover {listed}, and explain one trade-off (when you would not use it and why)."
    return "Go deeper: explain how it works inside, and one trade-off (when you would not use it and why)."


# --------------------------------------------------------------------------- better phrasing

_FILLERS = re.compile(
    r"(,?)\s*\b(?:u+m+|u+h+|e+r+m*|a+h+|h+m+|you know|i mean|basically|actually|kind of|sort of|"
    r"literally|just|like(?=\s*,))\b\s*(,?)",
    re.IGNORECASE,
)
_HEDGES = re.compile(r"\b(?:i think|i guess|i believe|maybe|probably|kinda|sorta|i would say)\b,?\s*",
                     re.IGNORECASE)
_SENTENCE_START_SO = re.compile(r"^\s*(?:so|and|well|okay|ok|yeah|right)\b[,\s]+", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.IGNORECASE)
_SWAPS = (
    (re.compile(r"\ba lot of\b", re.I), "many"),
    (re.compile(r"\breally (good|great)\b", re.I), "strong"),
    (re.compile(r"\bgot (it|things) done\b", re.I), "delivered it"),
    (re.compile(r"\bhelped with\b", re.I), "contributed to"),
    (re.compile(r"\bwas in charge of\b", re.I), "led"),
    (re.compile(r"\btried to\b", re.I), "worked to"),
)


_GLUE_WORDS = frozenset("a an the to of in on at for with was were is are am be been and or but i we "
                        "you he she they it my our your their this that".split())


def _drop_filler(m: re.Match[str]) -> str:
    """Keep one comma where the filler sat between two clauses, none inside a phrase."""
    before = m.string[: m.start()].split()
    glued = bool(before) and before[-1].lower().strip(",") in _GLUE_WORDS
    return ", " if m.group(1) and m.group(2) and not glued else " "


def polish(sentence: str) -> str:
    """The same sentence without fillers, hedges, stutters or weak openers, tidied up."""
    s = sentence
    for _ in range(3):  # "um, like, you know," -> nested fillers go one layer per pass
        s = _FILLERS.sub(_drop_filler, s)
    s = _HEDGES.sub("", s)
    for _ in range(2):
        s = _SENTENCE_START_SO.sub("", s)
    s = _REPEAT.sub(r"\1", s)
    for pattern, replacement in _SWAPS:
        s = pattern.sub(replacement, s)
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r",\s*,", ",", s)
    s = re.sub(r"\s+", " ", s).strip(" ,")
    if not s:
        return ""
    s = s[0].upper() + s[1:]
    return s if s[-1] in ".!?" else s + "."


def _first_person(sentence: str) -> str:
    """'we decided' -> 'I decided' (the coach's usual advice), only for the first 'we'."""
    def swap(m: re.Match[str]) -> str:
        return "I " + m.group(1) if is_action(m.group(1).lower()) else m.group(0)

    return re.sub(r"\bwe (\w+)", swap, sentence, count=1, flags=re.IGNORECASE)


def better_phrasing(ctx: FeedbackContext) -> str:
    """One of the candidate's sentences said better; "" when there is no sentence to work from."""
    cues = ctx["cues"]
    if ctx["criteria"] and max(ctx["criteria"].values()) <= 1:
        return ""  # nothing scoreable (empty or nonsense)
    candidates = [s for s in cues.sentences if len(s.split()) >= 4]
    if not candidates:
        return ""
    scored = []
    for sentence in candidates:
        better = polish(sentence)
        if not ctx["technical"] and "action" in ctx["missing"] and re.search(r"\bwe\b", better, re.I):
            better = _first_person(better)
        changed = _distance(sentence, better)
        scored.append((changed, len(sentence), better))
    changed, _, best = max(scored)
    if len(best.split()) < 3:
        return ""
    if changed == 0 and best:
        split = _split_run_on(best)
        best = split if split != best else "Concretely, " + _lower_first(best)
    return best


def _split_run_on(sentence: str) -> str:
    """Split a long sentence at its middle-most ", and" / " and " into two sentences."""
    if len(sentence.split()) <= 25:
        return sentence
    cuts = [m.start() for m in re.finditer(r", and ", sentence)]
    if not cuts:
        return sentence
    cut = min(cuts, key=lambda i: abs(i - len(sentence) / 2))
    head, tail = sentence[:cut].rstrip(" ,"), re.sub(r"^, and ", "", sentence[cut:])
    return f"{head}. {tail[0].upper()}{tail[1:]}"


def _lower_first(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or (len(first) > 1 and first[1:2].isupper()):
        return sentence  # "I", "I'd", acronyms keep their case
    return sentence[0].lower() + sentence[1:]


def _distance(before: str, after: str) -> int:
    a, b = before.lower().split(), after.lower().split()
    same = sum(1 for x, y in zip(a, b, strict=False) if x.strip(".,!?") == y.strip(".,!?"))
    return max(len(a), len(b)) - same
