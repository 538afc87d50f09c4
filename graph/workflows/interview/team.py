"""The team behind each mock role: what the interviewer says when the candidate asks about the team,
the work or the process. Fixed facts (the same answer every time), matched to the candidate's
question by meaning (tools.semantic.encoder), by shared words when the encoder is unavailable."""

from __future__ import annotations

from tools.acts import closest_topic

TOPICS: dict[str, str] = {
    "team": "What is the team like, how big is it, who would I work with?",
    "work": "What does the team work on, what are the projects and the product?",
    "stack": "Which technologies, languages and tools do you use?",
    "day": "What does a typical day or week look like in this job?",
    "remote": "Is the job remote, hybrid or in the office, where is it?",
    "growth": "How do people learn and grow here, is there mentoring or training?",
    "process": "What happens after this interview, what are the next steps?",
    "culture": "What is the culture like, what do you value in people?",
}
_SHARED = {
    "remote": "We work hybrid: two days a week in the office, the rest from home.",
    "process": "After this conversation there's a short technical chat with the team, then a decision "
               "within a week.",
    "growth": "Everyone gets a mentor for the first months and a yearly training budget.",
    "culture": "We value people who say what they think and help each other out.",
}
FACTS: dict[str, dict[str, str]] = {
    "backend engineer": {
        "team": "It's a team of six backend engineers, with a product manager and a designer.",
        "work": "We build the order and payment services behind our shop.",
        "stack": "Mostly Python and PostgreSQL, with a message queue between the services.",
        "day": "Usually a short stand-up, then focused work on your service and a code review or two.",
    },
    "frontend engineer": {
        "team": "It's a team of five frontend engineers working closely with two designers.",
        "work": "We build the web app our customers use every day, and its design system.",
        "stack": "TypeScript and React, with automated tests and accessibility checks.",
        "day": "A short stand-up, then building features, pairing with design and reviewing code.",
    },
    "data scientist": {
        "team": "It's a team of four data scientists and two data engineers.",
        "work": "We build the forecasting and recommendation models behind the product.",
        "stack": "Python, SQL and notebooks, with models deployed behind an internal API.",
        "day": "A mix of exploring data, building models and explaining results to product teams.",
    },
    "product manager": {
        "team": "You'd lead a team of seven engineers and a designer on one product area.",
        "work": "The team owns the onboarding experience for new customers.",
        "stack": "We plan in short cycles and decide with data from our analytics tools.",
        "day": "Talking to customers, prioritising with the team and checking how releases perform.",
    },
    "behavioural": {
        "team": "You'd join a friendly team of about eight people from different backgrounds.",
        "work": "The team works on projects for customers across the company.",
        "stack": "We use the usual tools for planning, chat and shared documents.",
        "day": "A short check-in in the morning, then project work and time with your colleagues.",
    },
}
FALLBACK = "Good question. I'll make sure the team answers that in the next round."


def team_answer(role: str, question: str) -> str:
    """A brief answer in the persona of the role's team (blocking: call it in a worker thread)."""
    topic = closest_topic(question, TOPICS)
    facts = {**_SHARED, **FACTS.get(role, FACTS["behavioural"])}
    return facts.get(topic or "", FALLBACK)
