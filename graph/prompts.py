"""Prompts and templates shared by the workflows (workflow-specific ones live next to each builder).

Templates are what the rules brain says, and what any brain falls back to; prompts ask the model
to phrase the same thing. Keep prompts short: the embedded model is 135M parameters.
"""

PHRASE_SYSTEM = (
    "You are {persona}. You speak out loud, so use short plain sentences, no lists, no markup, "
    "and never write a name followed by a colon."
)

ASK_TASK = (
    "{context}\nSay one short friendly sentence to {lead_goal}, then ask exactly this question "
    "in your own words: {question}"
)

STATEMENT_TASK = "{context}\nIn one or two short sentences, {goal}."

REASK_EMPTY = "Sorry, I didn't catch that."
REASK_NONSENSE = "Sorry, I couldn't quite follow that."
REASK_AGAIN = "Take your time."
REASK_REPEAT = "Sure."

WELCOME_BACK = "Welcome back — we were on {where}."

ALREADY_DONE = "This session has already finished. You can start a new one whenever you like."
