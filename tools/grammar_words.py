"""Learner-error rules on word choice: -ing/-ed adjectives ("I'm interesting in" -> "interested in"),
preposition collocations ("married with", "in Monday", "good in maths") and verb-noun collocations
("make a question", "open the light"). Tables of learner errors, each anchored on its context so
that correct English ("an interesting book", "the atmosphere was relaxed") stays untouched.
"""

from __future__ import annotations

import re

from tools.grammar_core import Edit, Fix, Rule, alternatives, literal, match_case, next_words, rx

_EMOTIONS = ("bor interest excit tir confus surpris annoy frustrat disappoint amaz embarrass exhaust "
             "satisf shock terrify fascinat amus depress frighten thrill overwhelm astonish").split()


def _ed(stem: str) -> str:
    return "satisfied" if stem == "satisf" else ("terrified" if stem == "terrify" else stem + "ed")


def _ing(stem: str) -> str:
    return "satisfying" if stem == "satisf" else ("terrifying" if stem == "terrify" else stem + "ing")


_ING = {_ing(s): _ed(s) for s in _EMOTIONS}
_ED = {v: k for k, v in _ING.items()}
_ING_PREPOSITIONS = {"interesting": "in", "exciting": "about", "boring": "of with", "confusing": "about",
                     "tiring": "of", "frightening": "of", "terrifying": "of", "disappointing": "with",
                     "embarrassing": "about", "amazing": "by", "shocking": "by", "surprising": "by"}
_PERSON = r"(I|we|you|he|she|they|I'm|we're|you're|he's|she's|they're)"
_DEGREE = r"((?:very|so|really|quite|a bit|too|not|extremely|pretty|always|a little|totally)\s+)?"
_THINGS = ("film movie book lesson class trip journey job game match party show story news weather course "
           "day week city museum lecture meeting concert experience result results situation exam test "
           "flight holiday song talk presentation weekend evening morning afternoon night work").split()


def _fix_person_ing(m: re.Match[str]) -> str | Edit | None:
    subject, verb, word = m.group(1), (m.group(2) or "").lower(), m.group(4).lower()
    after = next_words(m, 1)
    if after and after[0] in _ING_PREPOSITIONS.get(word, "").split():
        return None  # the preposition rule reports "interesting in" itself
    first_person = subject.lower() in ("i", "we", "i'm", "we're")
    if verb in ("feel", "felt", "feels"):
        return Edit(m.start(2), m.end(), m.string[m.start(2): m.start(4)] + _ING[word])
    if first_person and (verb or "'" in subject) and verb not in ("get", "got"):
        return m.group(0)[: m.start(4) - m.start()] + _ING[word]
    return None


def _fix_ing_preposition(m: re.Match[str]) -> str | None:
    word, preposition = m.group(1).lower(), m.group(2).lower()
    if preposition not in _ING_PREPOSITIONS.get(word, "").split():
        return None
    return f"{match_case(m.group(1), _ING[word])} {m.group(2)}"


def _fix_thing_ed(m: re.Match[str]) -> str | None:
    if next_words(m, 1)[:1] == ["by"]:
        return None  # a real passive: "the city was shocked by the news"
    return m.string[m.start(2): m.start(4)] + _ED[m.group(4).lower()]


def _fix_ed_noun(m: re.Match[str]) -> str:
    return f"{_ED[m.group(1).lower()]} {m.group(2)}"


_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = "january february march april june july august september october november december"
_NUMBERS = "one two three four five six seven eight nine ten eleven twelve"
_SUBJECTS = ("maths math sports sport football tennis english languages cooking drawing singing music "
             "science history chemistry physics art swimming dancing")


def _verb_swap(table: dict[str, str]) -> Fix:
    """Replace the verb (group 1) by its counterpart in `table`; keep the rest of the match."""

    def fix(m: re.Match[str]) -> str:
        rest = m.group(0)[m.end(1) - m.start():]
        return match_case(m.group(1), table[m.group(1).lower()]) + rest

    return fix


def _forms(*pairs: str) -> dict[str, str]:
    """"make:ask makes:asks" -> {"make": "ask", "makes": "asks"}."""
    return dict(pair.split(":") for spec in pairs for pair in spec.split())


_MAKE_TO_ASK = _forms("make:ask makes:asks made:asked making:asking")
_SAY_TO_TELL = _forms("say:tell says:tells said:told saying:telling")
_MAKE_TO_HAVE = _forms("make:have makes:has made:had making:having")
_LOSE_TO_MISS = _forms("lose:miss loses:misses lost:missed losing:missing")
_MAKE_TO_PAY = _forms("make:pay makes:pays made:paid making:paying")
_MAKE_TO_TAKE = _forms("make:take makes:takes made:took making:taking")
_OPEN = _forms("open:turn opens:turns opened:turned opening:turning close:turn closes:turns closed:turned "
               "closing:turning")


def _fix_light(m: re.Match[str]) -> str:
    verb = m.group(1).lower()
    particle = "on" if verb.startswith("open") else "off"
    return f"{match_case(m.group(1), _OPEN[verb])} {particle} {m.group(2)}"


def _fix_arrive(m: re.Match[str]) -> str:
    place = m.group(2)
    preposition = "in" if place[:1].isupper() else "at"
    return f"{m.group(1)} {preposition} {place}"


WORD_RULES: tuple[Rule, ...] = (
    Rule(rx(r"\b(" + alternatives(" ".join(_ING)) + r")\s+(in|about|of|with|by)\b"), _fix_ing_preposition,
         "Use -ed for how a person feels and -ing for what causes it: 'I'm interested in history', "
         "'the film is interesting'.", "-ed/-ing adjective"),
    Rule(rx(r"\b" + _PERSON + r"\s+(?:(am|are|is|was|were|feel|feels|felt|get|got)\s+)?" + _DEGREE
            + r"(" + alternatives(" ".join(_ING)) + r")\b"), _fix_person_ing,
         "Use -ed for how a person feels: 'I was bored', 'I feel tired' ('boring' is what bores you).",
         "-ed/-ing adjective"),
    Rule(rx(r"\b((?:the|this|that|my|our|his|her|their)\s+(?:" + alternatives(" ".join(_THINGS))
            + r")|it|that|this)\s+(is|was|seems|seemed|looks|looked|sounds|sounded)\s+" + _DEGREE
            + r"(" + alternatives(" ".join(e for e in _ED if e not in ("relaxed", "satisfied"))) + r")\b"),
         _fix_thing_ed, "Use -ing for what causes a feeling: 'the film was boring', 'the news was "
                        "surprising'.", "-ed/-ing adjective", group=2),
    Rule(rx(r"(?<=\s)(" + alternatives("bored tired exhausted confused excited") + r")\s+("
            + alternatives(" ".join(_THINGS)) + r")\b"), _fix_ed_noun,
         "Use -ing for what causes a feeling: 'a tiring day', 'a boring film'.", "-ed/-ing adjective"),
    Rule(rx(r"\b(married|engaged)\s+with\b"), literal(r"\1 to"), "We say 'married to' someone.",
         "preposition"),
    Rule(re.compile(r"\b([Aa]rrive[sd]?|[Aa]rriving)\s+to\s+((?:the|my|our|your|his|her|their)\s+[a-z]+|"
                    r"[A-Z][a-z]+)\b"), _fix_arrive,
         "We 'arrive in' a city or country and 'arrive at' a place, never 'arrive to'.", "preposition"),
    Rule(rx(r"\b(good|bad|better|worse|great|terrible)\s+in\s+(" + alternatives(_SUBJECTS) + r")\b"),
         literal(r"\1 at \2"), "We are 'good at' or 'bad at' something.", "preposition"),
    Rule(rx(r"\b(afraid|scared|frightened)\s+from\b"), literal(r"\1 of"), "We are 'afraid of' something.",
         "preposition"),
    Rule(rx(r"\b(?:in|at)\s+(" + alternatives(_WEEKDAYS) + r")s?\b(?!')"), literal(r"on \1"),
         "Use 'on' with days: 'on Monday'.", "preposition"),
    Rule(rx(r"\b(?:on|at)\s+(" + alternatives(_MONTHS) + r"|19\d\d|20\d\d)\b(?!\s+\d)(?!\s+the\b)"),
         literal(r"in \1"), "Use 'in' with months and years: 'in May', 'in 1995'.", "preposition"),
    Rule(rx(r"\b(?:in|on)\s+((?:" + alternatives(_NUMBERS) + r"|\d{1,2})\s+o'clock)\b"), literal(r"at \1"),
         "Use 'at' with clock times: 'at five o'clock'.", "preposition"),
    Rule(rx(r"\b(responsible)\s+of\b"), literal(r"\1 for"), "We are 'responsible for' something.",
         "preposition"),
    Rule(rx(r"\b(proud)\s+on\b"), literal(r"\1 of"), "We are 'proud of' something.", "preposition"),
    Rule(rx(r"\b(similar)\s+than\b"), literal(r"\1 to"), "We say 'similar to'.", "preposition"),
    Rule(rx(r"\b(depend|depends|depended|depending)\s+from\b"), literal(r"\1 on"),
         "We say 'depend on', not 'depend from'.", "preposition"),
    Rule(rx(r"\b(wait|waits|waited|waiting)\s+(me|you|him|her|us|them)\b"), literal(r"\1 for \2"),
         "'Wait' needs 'for' before the person or thing: 'I'm waiting for you'.", "preposition"),
    Rule(rx(r"\b(go|goes|went|going|come|comes|came|coming|get|got|arrive|arrived)\s+to\s+home\b"
            r"(?!\s+(?:page|screen|office|base|country|town))"), literal(r"\1 home"),
         "'Home' needs no 'to' after verbs of movement: 'I went home'.", "preposition"),
    Rule(rx(r"\b(make|makes|made|making)\s+(an?\s+|some\s+)?(questions?)\b"), _verb_swap(_MAKE_TO_ASK),
         "We 'ask' a question, not 'make' it.", "collocation"),
    Rule(rx(r"\b(say|says|said|saying)\s+((?:a\s+)?lies?|the truth)\b"), _verb_swap(_SAY_TO_TELL),
         "We 'tell' a lie or the truth, not 'say' it.", "collocation"),
    Rule(rx(r"\b(open|opens|opened|opening|close|closes|closed|closing)\s+(the (?:lights?|tv|television|"
            r"radio|heating|air conditioning))\b"), _fix_light,
         "We 'turn on' or 'turn off' a light or a TV, not 'open' or 'close' it.", "collocation"),
    Rule(rx(r"\b(make|makes|made|making)\s+(an?\s+)(party)\b"), _verb_swap(_MAKE_TO_HAVE),
         "We 'have' (or 'throw') a party, not 'make' one.", "collocation"),
    Rule(rx(r"\b(lose|loses|lost|losing)\s+(the|my|our|a)\s+(bus|train|flight|plane)\b"
            r"(?!\s+(?:ticket|tickets|pass|card|station|stop))"), _verb_swap(_LOSE_TO_MISS),
         "We 'miss' a bus or a train (we 'lose' things we can't find).", "collocation"),
    Rule(rx(r"\b(strong)\s+(rain|traffic|snow)\b"), literal(r"heavy \2"),
         "We say 'heavy rain', 'heavy traffic', 'heavy snow'.", "collocation"),
    Rule(rx(r"\b(make|makes|made|making)\s+(attention)\b"), _verb_swap(_MAKE_TO_PAY),
         "We 'pay' attention, not 'make' it.", "collocation"),
    Rule(rx(r"\b(make|makes|made|making)\s+(an?\s+)(shower|walk|break|nap)\b"), _verb_swap(_MAKE_TO_TAKE),
         "We 'take' a shower, a walk or a break.", "collocation"),
)
