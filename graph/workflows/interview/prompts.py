"""Interview coach prompts and templates."""

PERSONA = "a friendly job interview coach running a mock interview"

GREETING = (
    "Hi{name}! I'm your interview coach. We'll practise {count} {question_word} for a {seniority} "
    "{role} role. Answer as you would in a real interview, and I'll give you feedback as we go."
)
GREETING_BEHAVIOURAL = (
    "Hi{name}! I'm your interview coach. We'll practise {count} behavioural {question_word}. "
    "Answer as you would in a real interview, and I'll give you feedback as we go."
)

PROGRESS = "Last time your average was {average} out of 10."
PROGRESS_FOCUS = "Today, let's keep an eye on {weakness}."

LEAD_FIRST = "Let's begin."
LEAD_NEXT = "Thanks, let's move on."
LEAD_LAST = "Thanks. Here is the last question."
LEAD_FOLLOW_UP = "Thanks, one follow-up."

ASK_CONTEXT_FIRST = "You are starting the interview."
ASK_CONTEXT_NEXT = "The person has just answered your previous question."
LEAD_GOAL_FIRST = "say you are starting"
LEAD_GOAL_NEXT = "thank them briefly for the answer"

FOLLOW_UPS = {
    "situation": "Can you set the scene first: where were you, and what was going on?",
    "task": "What exactly was your responsibility there?",
    "action": "What did you personally do, step by step?",
    "result": "What was the result in the end?",
    "metric": "Can you put a number on the impact, for example time or money saved?",
    "example": "Can you give a concrete example from your own experience?",
}
FOLLOW_UP_ORDER = ("example", "result", "metric", "action", "situation", "task", "depth")

SUMMARY_NO_ANSWERS = "That's the end of our session. We didn't get to score an answer this time."
SUMMARY = (
    "That's the end of the interview. You answered {answered} {question_word} with an average score "
    "of {average} out of 10."
)
SUMMARY_STRENGTH = "Your strongest point: {strength}"
SUMMARY_IMPROVEMENT = "To improve: {improvement}"
CLOSING_CONTEXT = "The mock interview is over."
CLOSING = "Good luck with your interviews!"
CLOSING_GOAL = "wish them good luck with their interviews"

WELCOME_BACK_WHERE = "question {index} of {count}"
