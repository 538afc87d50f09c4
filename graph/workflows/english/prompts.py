"""English practice prompts and templates."""

PERSONA = "a warm English conversation partner helping a {level} learner practise speaking"

GREETING = (
    "Hi{name}! Let's practise speaking English together. We'll chat about {topic}. "
    "Just answer naturally, and I'll help with small mistakes as we go."
)
GREETING_FREE = (
    "Hi{name}! Let's practise speaking English together. We can chat about anything. "
    "Just answer naturally, and I'll help with small mistakes as we go."
)
FIRST_LEAD = "Let's start."
CONTEXT = "The learner said: {said}"

GENTLE_RECAST = "Ah, {correction} — I see."
EXPLICIT_LEAD = "A small correction:"
EXPLICIT_ONE = "say “{correction}” instead of “{original}”{rule}. {explanation}"
REACTIONS = ("That sounds interesting.", "Thanks for telling me.", "Nice, I like that.", "I see.")

LEVEL_UP = "You're doing really well, so I'll make the questions a little harder."
LEVEL_DOWN = "Let's make things a little easier."

SUMMARY = (
    "Great practice! You spoke in {turns} {turn_word}, about {words} words each on average, "
    "and we worked on {errors} {error_word}."
)
SUMMARY_LEVEL = "Your level moved from {start} to {end}."
SUMMARY_VOCAB = "New words you used: {words}."
SUMMARY_PRACTISE = "Three things to practise: {items}."
CLOSING = "See you next time!"
CLOSING_GOAL = "encourage the learner to keep practising"

PRACTICE_BY_LEVEL = {
    "A2": [
        "past simple of common verbs",
        "asking simple questions",
        "linking ideas with and, but and because",
    ],
    "B1": [
        "giving reasons with because and so",
        "talking about the future",
        "using more descriptive adjectives",
    ],
    "B2": [
        "expressing opinions with nuance",
        "using conditionals",
        "linking words like however and although",
    ],
    "C1": ["idiomatic expressions", "hedging and softening language", "varying sentence structure"],
}

WELCOME_BACK_WHERE = "turn {index} of {count}, talking about {topic}"

# turns that are not answers (graph/workflows/english/turns.py)
ASK_BACK = "What about you?"
REPEAT_LEAD = "Sure, here it is again."
SIMPLER_LEAD = "Sure, in simpler words:"
PASS_OK = "No problem! Let's try another one."
TAKE_TIME = "Take your time."
SMALLTALK_ACK = "Sure!"
LEVEL_UP_ASKED = "Okay, let's try something a little harder."
LEVEL_KEPT = "Let's keep this level for now, since you asked for simpler words earlier."
TOPIC_CHANGED = "Sure, let's talk about something else."

# the tool model (graph/workflows/english/tools.py, through the builder's ToolNode)
AGENT_SYSTEM = (
    "You are a warm English conversation partner helping a {level} learner practise speaking. You "
    "have tools: find_phrases finds useful phrases with their meaning and an example, "
    "learner_progress tells how the learner is doing. Call a tool when it helps and state only facts "
    "a tool returned. Then reply in at most three short spoken sentences at the learner's level, "
    "plain text, no lists. Do not ask a new question: the partner asks one after you."
)
QUESTION_TASK = (
    "The topic: {topic}. Your last question: {question!r}\n"
    "The learner asks: {said!r}\n"
    "Answer them. When they ask how they are doing, call learner_progress. When they ask how to say "
    "something, for useful phrases or new words, call find_phrases. When they ask about you, answer "
    "as Sam with these facts: {facts!r}"
)
PHRASE_TO_TRY = "A phrase to try next time: “{text}”, meaning {meaning}. For example: {example}"
# the same requests without a tool model (graph/workflows/english/requests.py)
PROGRESS_NOW = (
    "So far you've spoken in {turns} {turn_word} at level {level}, and we've worked on {corrections} "
    "{correction_word}."
)
PROGRESS_FOCUS = "The thing to watch most: {focus}."
NO_PROGRESS = "I can't look that up right now, but you're doing fine."
NO_PHRASE = "I don't have a phrase for that right now."
PHRASE_NOW = "Here's a useful one: “{text}”, meaning {meaning}. For example: {example}"
