"""Prompts and templates shared by the workflows (workflow-specific ones live next to each builder).

Templates are what the rules brain says, and what any brain falls back to; prompts ask the model
to phrase the same thing. Keep prompts short: the embedded model is 135M parameters.
"""

PHRASE_SYSTEM = (
    "You are {persona}. You speak out loud, so use short plain sentences, no lists, no markup, "
    "and never write a name followed by a colon."
)

REMARK_SYSTEM = (
    "You are {persona}. {context} Name the main thing the person talked about, in a few words "
    "taken from what they said."
)
REMARK_MAX_WORDS = 80
"""The user's words the remark prompt carries (a long answer costs prompt time)."""

STATEMENT_TASK = "{context}\nIn one short sentence, {goal}."

REASK_EMPTY = "Sorry, I didn't catch that."
REASK_NONSENSE = "Sorry, I couldn't quite follow that."
REASK_AGAIN = "Take your time."
REASK_REPEAT = "Sure."

WELCOME_BACK = "Welcome back — we were on {where}."

ALREADY_DONE = "This session has already finished. You can start a new one whenever you like."
