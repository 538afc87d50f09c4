"""Learner-error rules on verb forms, built on lemminflect's dictionary of English inflections:
a present or present-perfect verb under a past time marker, agreement after plural and compound
subjects, a modal followed by an inflected verb, "will" in an if-clause, double comparatives,
regularised irregular pasts and a past form after "have".

Each rule checks its whole context (clause, time markers, what comes before and after) and gives up
when in doubt: a wrong correction hurts a learner more than a missed one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from tools.grammar_core import SINGULAR_PRONOUNS, Rule, match_case, next_words, prev_words, rx
from tools.verbs import (
    adjective_lemma,
    forms,
    is_base,
    is_form,
    participle_of,
    past_of,
    plural_noun,
    regularised_past,
    third_of,
)

_PAST_MARKER = rx(
    r"\b(?:yesterday|ago|the other day|last (?:night|week|month|year|summer|winter|spring|autumn|"
    r"weekend|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in (?:19\d\d|20[01]\d|"
    r"202[0-4])|when (?:i|we) (?:was|were) (?:a|an|young|little|small|at|kids|children))\b"
)
_PRESENT_MARKER = rx(r"\b(?:now|today|nowadays|these days|currently|at the moment|tomorrow|next|since|"
                     r"for (?:\w+ )?(?:years|months|weeks)|ever|never|already|yet|so far|recently)\b")
_CLAUSE_SPLIT = re.compile(r"[.!?;]|,|\b(?:and|but|so|because|although|though|while|whereas|or|then|where)\b|"
                           r"\b(?:that|who|which)\b(?=\s+(?:i|you|he|she|we|they|it)\b)", re.IGNORECASE)
_DISCOURSE = frozenset("think mean know guess suppose remember believe bet reckon wonder hope forget see "
                       "say like".split())
_AUX_BEFORE = frozenset("do does did to will would can could should must may might let make made help "
                        "helped saw see watched heard hear 'll".split())
_DETERMINERS = frozenset("the a an his her my your our their its this that free good own last political "
                         "tin beer".split())
_PREPOSITIONS = frozenset("of in on at with for from about between among like to by than into".split())
_NEGATIVE_PAST = {"can't": "couldn't", "can": "could", "don't": "didn't", "doesn't": "didn't",
                  "isn't": "wasn't", "aren't": "weren't", "am": "was", "is": "was", "are": "were"}


@lru_cache(maxsize=64)
def _clauses(text: str) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, under a past marker with no present/future marker) for each clause of `text`.
    Clauses split at punctuation and conjunctions; a short lead-in ("Yesterday,") carries over."""
    out: list[tuple[int, int, bool]] = []
    start, carried = 0, False
    for m in [*_CLAUSE_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        clause = text[start:end]
        past = carried or bool(_PAST_MARKER.search(clause))
        out.append((start, end, past and not _PRESENT_MARKER.search(clause)))
        carried = past and len(clause.split()) <= 3
        start = m.end() if m else len(text)
    return tuple(out)


def _past_clause(text: str, position: int) -> bool:
    clauses = _clauses(text)
    index = bisect_right(clauses, (position, len(text) + 1, True)) - 1
    return index >= 0 and clauses[index][1] > position and clauses[index][2]


def _singular(subject: str) -> bool:
    head = subject.split()[-1].lower()
    return head in SINGULAR_PRONOUNS or (head not in ("i", "you", "we", "they") and not plural_noun(head))


def _fix_past_marker(m: re.Match[str]) -> str | None:
    subject, adverb, verb = m.group(1), m.group(2) or "", m.group(3).lower()
    before = prev_words(m, 1)
    if not _past_clause(m.string, m.start(3)) or set(before) & _AUX_BEFORE:
        return None
    if (" " in subject and set(before) & _PREPOSITIONS) or _PAST_MARKER.match(m.string, m.start(3)):
        return None  # "for her birthday last Saturday": an object, and a time marker
    if subject.lower() == "you" and before and is_form(before[0], "VBD") is not None:
        return None  # "I saw you play": an object
    after = next_words(m, 1)
    if verb in _NEGATIVE_PAST:
        new = _NEGATIVE_PAST[verb]
        if new == "was" and not _singular(subject) and subject.lower() != "i":
            new = "were"
        if subject.lower() == "i" and verb == "are":
            return None
    else:
        if after and (is_form(after[0], "VBD") or after[0] in ("is", "are", "was", "were", "has")):
            return None  # "my phone call lasted": the "verb" was a noun
        lemma = is_base(verb) or is_form(verb, "VBZ")
        if lemma is None or lemma in _DISCOURSE or (lemma in ("have", "be") and after[:1] == ["to"]):
            return None
        if lemma == "have" and after and (is_form(after[0], "VBN") or after[0] == "been"):
            return None  # present perfect: the next rule's job
        new = past_of(lemma) or ""
        if not new:
            return None
    return f"{subject} {adverb}{new}"


def _fix_perfect_with_marker(m: re.Match[str]) -> str | None:
    contracted, participle = m.group(1), m.group(3).lower()
    if not _past_clause(m.string, m.start(3)):
        return None
    lemma = is_form(participle, "VBN") or is_form(participle, "VBD")
    if participle == "been":
        if next_words(m, 1, 3) != ["to"]:
            return None
        new = "went"
    elif lemma is None or (new := past_of(lemma) or "") == "":
        return None
    return f"{m.group(2)} {new}" if contracted else match_case(m.group(0), new)


def _fix_have_past(m: re.Match[str]) -> str | None:
    word = m.group(3).lower()
    lemma = is_form(word, "VBD")
    participle = participle_of(lemma) if lemma else None
    if not participle or word in forms(lemma or "", "VBN") or word == participle:
        return None
    return m.group(0)[: m.start(3) - m.start()] + participle


def _fix_regularised(m: re.Match[str]) -> str | None:
    past = regularised_past(m.group(0))
    return match_case(m.group(0), past) if past else None


_PLURAL_OF = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't", "isn't": "aren't",
              "wasn't": "weren't", "hasn't": "haven't"}


def _plural_verb(verb: str, after: list[str]) -> str | None:
    v = verb.lower()
    if v in _PLURAL_OF:
        return _PLURAL_OF[v]
    lemma = is_form(v, "VBZ")
    if lemma is None or (after and after[0] in ("is", "are", "was", "were", "have", "has")):
        return None  # "the kids toys are": a noun, not a verb
    return lemma


def _fix_plural_subject(m: re.Match[str]) -> str | None:
    subject, noun, adverb = m.group(1), m.group(3), m.group(4) or ""
    if noun is not None and (noun[:1].isupper() or not plural_noun(noun)):
        return None
    if m.group(2) and set(prev_words(m, 1)) & _PREPOSITIONS:
        return None  # "the colour of the walls is": the subject is "colour"
    if noun is None and subject.lower() == "you" and m.group(5).lower() not in _PLURAL_OF:
        return None
    new = _plural_verb(m.group(5), next_words(m, 1))
    return f"{subject} {adverb}{new}" if new else None


_NOT_NOUNS = frozenset("yes no well so okay ok right now then oh um uh like and but or both".split())
_FIXED_PAIRS = frozenset("fish chips salt pepper bread butter rock roll research development law order "
                         "trial error peace quiet".split())


def _fix_compound(m: re.Match[str]) -> str | None:
    first, second = m.group(4).lower(), m.group(6)
    if first in _NOT_NOUNS or second.lower() in _NOT_NOUNS or {first, second.lower()} <= _FIXED_PAIRS:
        return None
    if second[:1].islower() and plural_noun(second) is False and is_form(second, "VBZ"):
        return None
    verb = m.group(7).lower()
    new = "are" if verb == "am" else _plural_verb(verb, next_words(m, 1, 7))
    if new is None:
        return None
    return m.string[m.start(2): m.start(7)] + new


def _fix_modal(m: re.Match[str]) -> str | None:
    modal, verb = m.group(1), m.group(4).lower()
    before = prev_words(m, 1)
    if (modal[:1].isupper() and m.start() > 0 and m.string[: m.start()].rstrip()[-1:] not in ".!?") or (
        set(before) & _DETERMINERS
    ):
        return None  # "in May", "the will", "a must"
    if m.group(3) and before and before[0] not in ("and", "but", "so", "then", "um", "uh", "well"):
        return None
    lemma = is_form(verb, "VBZ") or is_form(verb, "VBD")
    if lemma is None or lemma == "be":
        return None
    return m.group(0)[: m.start(4) - m.start()] + lemma


_IF_BLOCKERS = frozenset("know knew wonder wondered wondering ask asked asking see sure doubt check checking "
                         "tell told decide unsure idea whether clear remember find guess curious matter as "
                         "even".split())


def _fix_if_will(m: re.Match[str]) -> str | None:
    subject, will, verb = m.group(2), m.group(3).lower(), m.group(4).lower()
    if set(prev_words(m, 1)) & _IF_BLOCKERS or (subject.lower() == "you" and verb in ("excuse", "allow",
                                                                                          "forgive", "pardon",
                                                                                          "bear")):
        return None
    head = subject.split()[-1]
    if head.lower() not in ("i", "you", "we", "they", "he", "she", "it") and not (
        len(subject.split()) == 2 or head[:1].isupper()
    ):
        return None
    lemma = is_base(verb) or ("be" if verb == "be" else None)
    if lemma is None:
        return None
    singular, negative = _singular(subject), will != "will"
    if lemma == "be":
        new = "am" if head.lower() == "i" else ("is" if singular else "are")
        new = f"{new} not" if negative else new
    elif negative:
        new = f"{'doesn' if singular else 'don'}'t {lemma}"
    else:
        new = third_of(lemma) if singular else lemma
    return f"{m.group(1)} {subject} {new}"


def _fix_double_comparative(m: re.Match[str]) -> str | None:
    word = m.group(2)
    if adjective_lemma(word, "JJR") or adjective_lemma(word, "JJS"):
        return word
    return None


_SUBJECT = r"\b(I|you|we|they|he|she|(?:my|our|his|her|their) [a-z]+)"
_ADVERB = r"((?:really|just|also|always|often|usually|only|even|first|finally|both|all)\s+)?"
_PLURAL_DET = (r"(?:all (?:the|my|our)|most of the|some of the|my|our|your|his|her|their|the|these|those|"
               r"many|some|all|both)")

TENSE_RULES: tuple[Rule, ...] = (
    Rule(rx(_SUBJECT + r"\s+" + _ADVERB + r"([a-z]+n't|[a-z]+)\b"), _fix_past_marker,
         "With a finished time in the past ('yesterday', 'last week', '... ago') use the past simple: "
         "'yesterday I went'.", "past time marker"),
    Rule(rx(r"\b(?:have|has|((I|you|we|they)'ve))\s+(?:really\s+|also\s+)?([a-z]+)\b"),
         _fix_perfect_with_marker,
         "With a finished past time ('last night', 'in 2019', '... ago') use the past simple, not the "
         "present perfect: 'I saw it last night'.", "past time marker"),
    Rule(rx(r"\b(have|has|'ve|haven't|hasn't)\s+((?:already|just|never|ever|not|also|really|recently)\s+)?"
            r"([a-z]+)\b"), _fix_have_past,
         "After 'have/has' use the past participle: 'I have gone', 'she has begun'.", "present perfect"),
    Rule(rx(r"\b[a-z]+ed\b"), _fix_regularised, "This verb is irregular: its past form doesn't end in -ed.",
         "irregular past"),
    Rule(rx(r"\b((" + _PLURAL_DET + r")\s+([a-z]+)|they|we|you)\s+" + _ADVERB
            + r"(is|was|has|does|doesn't|isn't|wasn't|hasn't|[a-z]+s)\b"), _fix_plural_subject,
         "A plural subject takes a plural verb: 'my parents live', 'the shops open', 'they were'.",
         "plural subject"),
    Rule(rx(r"(^|[.!?,;:]\s*|\b(?:and|but|because|so|when)\s+)(((?:my|our|your|his|her|their|the)\s+)?"
            r"([A-Za-z]+)\s+and\s+((?:my|our|your|his|her|their|the)\s+)?([A-Za-z]+))\s+"
            r"(?:both\s+|also\s+|always\s+)?(is|was|has|does|doesn't|isn't|wasn't|hasn't|am|[a-z]+s)\b"),
         _fix_compound, "Two subjects joined by 'and' are plural: 'my brother and my sister live'.",
         "compound subject", group=2),
    Rule(rx(r"\b(can|could|will|would|shall|should|may|might|must)\s+((?:not|also|really|always|just|never|"
            r"probably|definitely)\s+)?(?:(I|you|he|she|it|we|they)\s+)?([a-z]+)\b"), _fix_modal,
         "After 'can', 'will', 'must'... use the base form of the verb: 'she can speak', 'he must go'.",
         "modal + base form"),
    Rule(rx(r"\b(if)\s+((?:(?:the|my|our|your|his|her|their|this|that)\s+)?[a-z]+)\s+(will|won't)\s+([a-z]+)\b"),
         _fix_if_will, "In an if-clause about the future use the present, not 'will': 'if it rains, ...'.",
         "if-clause"),
    Rule(rx(r"\b(more|most)\s+([a-z]+(?:er|est))\b"), _fix_double_comparative,
         "'Bigger', 'easier', 'biggest'... are already comparatives: don't add 'more'/'most'.",
         "double comparative"),
)
