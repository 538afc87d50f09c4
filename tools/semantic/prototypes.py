"""Prototype sentences the semantic evaluator compares answer sentences with, by meaning.

Generic filler is what candidates say when they have no story: true of everyone, about no one. Each
line is one typical shape of it; an answer sentence close to any of them (and not close to the
question's reference points) counts as generic. STAR prototypes tell which part of a story a sentence
plays, for the restructured "better phrasing".
"""

from __future__ import annotations

GENERIC = (
    "I always try my best and work hard.",
    "Communication is really important in a team.",
    "I am a team player and I get along with everyone.",
    "I stay positive and keep everyone motivated.",
    "I am a natural leader and people listen to me.",
    "I am very organised and good at managing my time.",
    "I learn from every experience and keep growing.",
    "I am passionate about delivering value to customers.",
    "We leveraged best practices to drive alignment and synergy.",
    "I took a data-driven, holistic and strategic approach.",
    "I focused on ownership, accountability and continuous improvement.",
    "It is important to be open, honest and respectful.",
    "It depends on the situation and on the context.",
    "There are many factors to consider and every case is different.",
    "I would follow the industry best practices for this.",
    "I think it is a very interesting and important topic.",
    "The situation was challenging, my task was important and the result was a success.",
    "The result was a big improvement in efficiency and overall impact.",
    "I make sure that the work gets done and everybody is happy.",
    "I never really fail, things just don't always go perfectly.",
    "I would use the right tool for the job and keep it simple.",
    "I always think about scalability, performance and quality.",
)

SITUATION = (
    "At my last job we had a problem with the release process.",
    "Last year, while I was working on the payments team, our main service kept failing.",
    "The context was a tight deadline for a big client launch.",
)
ACTION = (
    "I decided to set up a meeting and proposed a plan.",
    "I wrote a script, tested it and rolled it out myself.",
    "I talked to each person and split the work into smaller steps.",
)
RESULT = (
    "As a result, we shipped on time and errors dropped by forty percent.",
    "In the end the client renewed the contract and the team kept the new process.",
    "What I learned is to plan the testing time up front.",
)
