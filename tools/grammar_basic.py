"""Basic learner-error rules: he/she/it agreement, did + past, uncountables, articles, double
negatives, missing "to", a few fixed expressions. Each rule is a regular expression plus a function
that builds the corrected snippet, written to stay quiet on correct English ("did he go", "make it
work", "a research project"). The engine is tools.grammar.find_errors.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tools.grammar_core import Rule
from tools.grammar_core import literal as _literal
from tools.grammar_core import match_case as _match_case
from tools.grammar_core import prev_words as _prev_words
from tools.grammar_core import rx as _rx
from tools.verbs import (
    BASE_TO,
    BASE_VERBS,
    PAST_TO_BASE,
    base_of_past,
    ing_form,
    third_person,
)


def _words(spec: str) -> str:
    return "|".join(sorted(spec.split(), key=len, reverse=True))


_AUX_BEFORE = frozenset(
    "did does do can could will would should may might must let make makes made help helps helped to saw "
    "see watch watched hear heard have had get let's 'll".split()
)
_SUBJECT_BEFORE = frozenset(
    "i you we they he she it i'd we'd you'd they'd i'm we're you're they're he's she's really also just "
    "still don't didn't doesn't always never to will 'll am are is was were".split()
)
_NOUN_MODIFIED = (
    "project paper papers engineer engineers developer company team loop session sessions base form center "
    "centre assistant group question questions program programme tool tools package item update field "
    "position role department assignment assignments"
)


# --------------------------------------------------------------------------- fixes


def _fix_sva(m: re.Match[str]) -> str | None:
    if set(_prev_words(m)) & _AUX_BEFORE or _prev_words(m, 1) == ["and"]:
        return None  # "my brother and my sister live": a compound subject
    subject, verb = m.group(1), m.group(2)
    return f"{subject} {third_person(verb)}"


def _fix_did_past(m: re.Match[str]) -> str | None:
    base = base_of_past(m.group(3))
    if base is None or base == m.group(3).lower():
        return None
    subject = f"{m.group(2)} " if m.group(2) else ""
    return f"{m.group(1)} {subject}{base}"


_COMPARATIVE_OF = {"good": "better", "bad": "worse", "big": "bigger", "easy": "easier", "cheap": "cheaper",
                   "fast": "faster", "hard": "harder", "old": "older", "young": "younger", "happy": "happier",
                   "long": "longer", "short": "shorter", "high": "higher", "low": "lower",
                   "strong": "stronger",
                   "nice": "nicer", "rich": "richer", "busy": "busier", "safe": "safer", "quick": "quicker",
                   "slow": "slower", "warm": "warmer", "cold": "colder", "hot": "hotter", "large": "larger",
                   "small": "smaller", "smart": "smarter", "close": "closer", "near": "nearer"}


def _fix_more_adj_than(m: re.Match[str]) -> str:
    return f"{_COMPARATIVE_OF[m.group(1).lower()]} than"


_ANY_FORM = {"nothing": "anything", "nobody": "anybody", "no one": "anyone", "nowhere": "anywhere",
             "none": "any", "never": "ever", "no": "any"}


_CLAUSE_BREAK = frozenset("because and but so when if that who which since as or while until".split())


def _fix_double_negative(m: re.Match[str]) -> str | None:
    if set(m.group(0).lower().split()[1:-1]) & _CLAUSE_BREAK:
        return None  # "I didn't go because nobody came": two clauses
    second = m.group(1).lower()
    return m.group(0)[: m.start(1) - m.start()] + _ANY_FORM[second] + m.group(0)[m.end(1) - m.start():]


def _fix_uncountable(m: re.Match[str]) -> str:
    noun = m.group(2).lower()
    singular = noun[:-1] if noun.endswith("s") and noun not in ("news",) else noun
    return "some " + singular if m.group(1) else _match_case(m.group(0), singular)


def _fix_missing_to(m: re.Match[str]) -> str | None:
    if not set(_prev_words(m, 1)) & _SUBJECT_BEFORE:
        return None
    return f"{m.group(1)} to {m.group(2)}"


_PLURAL_VERB = {"is": "are", "was": "were", "has": "have", "doesn't": "don't", "does": "do"}


_IRREGULAR_PLURAL = {"childrens": "children", "peoples": "people", "mens": "men", "womens": "women",
                     "feets": "feet", "teeths": "teeth", "mouses": "mice"}


def _fix_plural_subject(m: re.Match[str]) -> str:
    return f"{m.group(1)} {_PLURAL_VERB[m.group(2).lower()]}"


def _fix_i_were(m: re.Match[str]) -> str | None:
    if {"if", "wish", "as", "though"} & set(_prev_words(m, 2)) or _prev_words(m, 1) == ["and"]:
        return None
    return f"{m.group(1)} was"


def _fix_modal_to(m: re.Match[str]) -> str | None:
    if {"everything", "all", "what", "best", "anything", "whatever", "could"} & set(_prev_words(m, 3)):
        return None  # "I did everything I could to help"
    return _match_case(m.group(0), f"{m.group(1)} {m.group(2)}")


def _fix_the_most_of(m: re.Match[str]) -> str | None:
    if {"make", "makes", "made", "making"} & set(_prev_words(m, 1)):
        return None  # "make the most of" is an idiom
    return _match_case(m.group(0), f"most of {m.group(1)}")


_FUNCTION_WORDS = frozenset("is are and or of in on at as if it its an a up us our all also any into "
                            "over out after about again even ever each else".split())


def _fix_article_an(m: re.Match[str]) -> str | None:
    word = m.group(2)
    before = m.string[: m.start()].rstrip()
    if word.lower() in _FUNCTION_WORDS or (m.group(1) == "A" and before and before[-1] not in ".!?"):
        return None  # "vitamin A is", "plan A or B"
    if re.match(r"(?i)(uni|use|usu|uti|uro|eu|one|once|ure|ubiq)", word):
        return None
    return f"{_match_case(m.group(1), 'an')} {word}"


def _fix_article_a(m: re.Match[str]) -> str | None:
    word = m.group(2)
    if word.isupper() or word.lower().startswith("h"):
        return None  # "an MBA", "an hour", "an honest"
    return f"{_match_case(m.group(1), 'a')} {word}"


_RULES: tuple[Rule, ...] = (
    Rule(_rx(r"\b(he|she|it|my (?:mother|father|mom|mum|dad|brother|sister|friend|boss|wife|husband|son|"
             r"daughter|teacher|manager|colleague))\s+(" + _words(BASE_VERBS) + r"|don't)\b(?!')"),
         _fix_sva, "With he, she, it (or one person), the present simple verb takes -s: 'she has', "
                   "'he goes', 'it doesn't'."),
    Rule(_rx(r"\b(I)\s*(?:am|'m)\s+(agree|disagree)\b"), _literal(r"\1 \2"),
         "'Agree' is a verb, so you don't need 'am': say 'I agree'."),
    Rule(_rx(r"\b(I)\s*(?:am|'m)\s+not\s+agree\b"), _literal(r"\1 don't agree"),
         "'Agree' is a verb: the negative is 'I don't agree'."),
    Rule(_rx(r"\b(did|didn't|did not)\s+(?:(I|you|he|she|it|we|they)\s+)?([a-z]+ed|"
             + _words(" ".join(PAST_TO_BASE)) + r")\b"),
         _fix_did_past,
         "After 'did' / 'didn't' use the base form of the verb: 'did you go', 'I didn't see'."),
    Rule(_rx(r"\b(?:more|most)\s+(better|worse|bigger|smaller|easier|faster|cheaper|harder|older|younger|"
             r"happier|larger|longer|shorter|higher|lower|stronger|nicer|richer|smarter|busier|safer|"
             r"quicker|slower|warmer|colder|hotter|best|worst|biggest|easiest|fastest|cheapest|hardest|"
             r"happiest|largest|longest|highest|strongest|smartest)\b"),
         _literal(r"\1"),
         "'Better', 'bigger', 'easiest'... are already comparatives: don't add 'more'/'most'."),
    Rule(_rx(r"\bmore\s+(" + _words(" ".join(_COMPARATIVE_OF)) + r")\s+than\b"), _fix_more_adj_than,
         "Short adjectives make the comparative with -er: 'easier than', 'better than'."),
    Rule(_rx(r"\b(?:since|during)\s+((?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|many|several|"
             r"a few|\d+)\s+(?:years?|months?|weeks?|days?|hours?|minutes?)|a long time)\b(?!\s+ago)"),
         _literal(r"for \1"), "Use 'for' with a length of time ('for two years') and 'since' with a "
                              "starting point ('since 2020')."),
    Rule(_rx(r"\b(?:don't|doesn't|didn't|can't|couldn't|won't|wouldn't|isn't|aren't|wasn't|weren't|"
             r"haven't|hasn't|never)\s+(?:[a-z]+\s+){0,3}?(nothing|nobody|no one|nowhere|none|never)\b"),
         _fix_double_negative, "English uses one negative per clause: 'I don't know anything', "
                               "not 'I don't know nothing'."),
    Rule(_rx(r"\b(?:don't|doesn't|didn't|can't|haven't|hasn't)\s+(?:have|has|need|want|see|get|know)\s+"
             r"(no)\s+[a-z]+"),
         _fix_double_negative,
         "English uses one negative per clause: 'I don't have any', not 'I don't have no'."),
    Rule(_rx(r"\b(an?\s+|some\s+)?(informations|advices|furnitures|equipments|knowledges|homeworks|feedbacks|"
             r"luggages|baggages|researches|evidences|softwares)\b"),
         _fix_uncountable, "This noun is uncountable: no plural -s and no 'a' ('some information', "
                           "'a piece of advice')."),
    Rule(_rx(r"\b(an?\s+)(information|advice|furniture|equipment|knowledge|homework|feedback|luggage|"
             r"research|evidence|software|news)\b(?!\s+(?:" + _words(_NOUN_MODIFIED) + r")\b)"),
         _fix_uncountable, "This noun is uncountable, so it can't take 'a/an': say 'some advice' or "
                           "'a piece of advice'."),
    Rule(_rx(r"\b(want|wants|wanted|need|needs|needed|would like|'d like|decided|decide|plan|planned|hope|"
             r"hoped|forgot|learn|learned|try|tried|trying|going|like|likes|love|prefer)\s+("
             + _words(BASE_TO) + r")\b"),
         _fix_missing_to,
         "After verbs like 'want', 'need', 'decide', 'try' use 'to' + verb: 'I want to go'."),
    Rule(_rx(r"\b(people|children|the police|men|women)\s+(is|was|has|doesn't|does)\b"),
         _fix_plural_subject,
         "This noun is plural, so the verb is plural too: 'people are', 'children have'."),
    Rule(_rx(r"\b(childrens|peoples|mens|womens|feets|teeths|mouses)\b(?!\s+of\b)"),
         lambda m: _match_case(m.group(0), _IRREGULAR_PLURAL[m.group(1).lower()]),
         "This plural is irregular and already plural: 'children', 'people', 'men', 'feet'."),
    Rule(_rx(r"\b(they|we|you)\s+(was)\b"), _literal(r"\1 were"),
         "With 'we', 'you' and 'they' the past of 'be' is 'were'."),
    Rule(_rx(r"\b(I)\s+were\b"), _fix_i_were, "With 'I' the past of 'be' is 'was' (except 'if I were')."),
    Rule(_rx(r"\bthere\s+(?:is|was|'s)\s+(many|several|two|three|four|five|six|seven|eight|nine|ten|a lot "
             r"of people)\b"),
         _literal(r"there are \1"), "With a plural noun use 'there are' / 'there were'."),
    Rule(_rx(r"\b(make|makes|made|making)\s+(an?\s+|some\s+)?(photos?|pictures?|selfies?)\b"),
         lambda m: _match_case(m.group(0), {"make": "take", "makes": "takes", "made": "took",
                                            "making": "taking"}[m.group(1).lower()]
                               + " " + (m.group(2) or "") + m.group(3)),
         "In English you 'take' a photo, not 'make' one."),
    Rule(_rx(r"\b(do|does|did|doing)\s+(an?\s+|some\s+)?(mistakes?|decisions?|noise)\b"),
         lambda m: _match_case(m.group(0), {"do": "make", "does": "makes", "did": "made",
                                            "doing": "making"}[m.group(1).lower()]
                               + " " + (m.group(2) or "") + m.group(3)),
         "We 'make' a mistake or a decision, not 'do' it."),
    Rule(_rx(r"\b(make|makes|made|making)\s+(my |the |our |your )?(homework|sports?|exercise)\b"),
         lambda m: _match_case(m.group(0), {"make": "do", "makes": "does", "made": "did",
                                            "making": "doing"}[m.group(1).lower()]
                               + " " + (m.group(2) or "") + m.group(3)),
         "We 'do' homework, sport and exercise."),
    Rule(_rx(r"\bexplain\s+(me|him|us)\b(?!\s+to\b)"), _literal(r"explain to \1"),
         "'Explain' needs 'to' before the person: 'explain to me' (or 'explain it to me')."),
    Rule(_rx(r"\b(say|says|said)\s+(me|him|us)\b"),
         lambda m: _match_case(m.group(0),
                               {"say": "tell", "says": "tells", "said": "told"}[m.group(1).lower()]
                               + " " + m.group(2)),
         "Use 'tell' + person ('tell me'); 'say' doesn't take the person directly."),
    Rule(_rx(r"\b(discuss|discussed|discussing)\s+about\b"), _literal(r"\1"),
         "'Discuss' is followed directly by the topic: 'discuss the plan', not 'discuss about'."),
    Rule(_rx(r"\b(listen|listens|listened|listening)\s+(music|the radio|podcasts?|him|her|me|them)\b"),
         _literal(r"\1 to \2"), "'Listen' needs 'to': 'listen to music'."),
    Rule(_rx(r"\b(depend|depends|depending)\s+of\b"), _literal(r"\1 on"),
         "We say 'depend on', not 'depend of'."),
    Rule(_rx(r"\b(it)'?s\s+depend\b"), _literal(r"\1 depends"), "'Depend' is a verb: 'it depends'."),
    Rule(_rx(r"\bI\s+have\s+(\d+|twenty[- ]?\w*|thirty[- ]?\w*|forty[- ]?\w*|fifty[- ]?\w*|[a-z]+teen)\s+"
             r"years(?:\s+old)?\b(?!\s+(?:of|in|at|as|with|working|experience|ago))"),
         _literal(r"I am \1 years old"), "For age, English uses 'be': 'I am 25 (years old)'."),
    Rule(_rx(r"\b(can|could|should|must|will|would|might|may)\s+to\s+([a-z]+)"), _fix_modal_to,
         "After 'can', 'should', 'must'... use the verb without 'to': 'I can swim'."),
    Rule(_rx(r"\b(?:look|looking|looked)\s+forward\s+to\s+(" + _words(BASE_TO) + r")\b"),
         lambda m: m.group(0)[: m.start(1) - m.start()] + ing_form(m.group(1)),
         "'Look forward to' is followed by -ing: 'I look forward to meeting you'."),
    Rule(_rx(r"\bthe\s+most\s+of\s+(the|my|our|them|us|people)\b"), _fix_the_most_of,
         "Say 'most of the...', without 'the' before 'most'."),
    Rule(_rx(r"\baccording\s+to\s+me\b"), _literal("in my opinion"),
         "'According to' is for other sources; for yourself say 'in my opinion'."),
    Rule(_rx(r"\b(borrow|borrowed)\s+(me|him|us)\b"),
         lambda m: ("lend " if m.group(1).lower() == "borrow" else "lent ") + m.group(2),
         "You 'lend' something to someone; you 'borrow' it from someone."),
    Rule(_rx(r"\binterested\s+(?:for|on|about)\b"), _literal("interested in"), "We say 'interested in'."),
    Rule(_rx(r"\b(a)\s+([aeiou][a-z]+)\b"), _fix_article_an,
         "Use 'an' before a vowel sound: 'an apple', 'an idea'."),
    Rule(_rx(r"\b(an)\s+([bcdfgjklmnpqrstvwxyz][A-Za-z]*)\b"), _fix_article_a,
         "Use 'a' before a consonant sound: 'a book', 'a job'."),
)

_NAMES = (
    "he/she/it + verb-s", "'agree' is a verb", "'agree' is a verb", "did + base form", "double comparative",
    "short comparative", "for + length of time", "one negative per clause", "one negative per clause",
    "uncountable noun", "uncountable noun", "verb + to + verb", "plural subject", "irregular plural",
    "we/you/they were", "I was", "there are", "collocation", "collocation", "collocation", "preposition",
    "say/tell", "preposition", "preposition", "preposition", "'depend' is a verb", "age with 'be'",
    "modal + base form", "look forward to + -ing", "most of", "in my opinion", "lend/borrow", "preposition",
    "a/an", "a/an",
)
BASIC_RULES: tuple[Rule, ...] = tuple(
    replace(rule, name=name) for rule, name in zip(_RULES, _NAMES, strict=True)
)
