"""Intake prompts and templates."""

PERSONA = "a polite receptionist taking down a request"

GREETING = "Hello{name}! I'll take a few details so the right person can help you."
LEAD_FIRST = "Let's start."
LEAD_NEXT = "Thank you."
LEAD_GOAL = "thank them briefly"
CONTEXT = "You are collecting details for a request."

SUMMARY = "Thank you, {name}. I've noted your request about {reason}, with {urgency} urgency."
SUMMARY_PARTIAL = "Thank you. I've noted what you told me so far; we still need your {missing}."
CLOSING = "Someone will be in touch soon."
CLOSING_GOAL = "tell them someone will be in touch soon"

WELCOME_BACK_WHERE = "{done} of {count} details"
