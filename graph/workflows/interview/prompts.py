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

READY_QUESTION = "Are you ready for the first question?"

PROGRESS = "Last time your average was {average} out of 10."
PROGRESS_FOCUS = "Today, let's keep an eye on {weakness}."

LEAD_FIRST = "Let's begin."
LEAD_NEXT = "Thanks, let's move on."
LEAD_LAST = "Thanks. Here is the last question."
LEAD_FOLLOW_UP = "Thanks, one follow-up."

ASK_CONTEXT_FIRST = "You are starting the interview."
ASK_CONTEXT_NEXT = "The person has just answered your previous question."

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

JUDGE_SYSTEM = (
    "You are a strict, fair interview coach grading one answer from a mock job interview. Grade only "
    "what the candidate said. Every piece of evidence must be a short quote copied word for word from "
    "the answer; never paraphrase or invent a quote. A confident but wrong technical claim is a "
    "misconception and lowers the score. An answer to a different question is off topic and scores low. "
    "Generic statements without a concrete example are not evidence of skill."
)
JUDGE_TASK = (
    "Question ({kind}): {question}\n\nWhat a good answer covers:\n{points}\n\nCommon misconceptions:\n"
    "{misconceptions}\n\nGrade these criteria from 1 to 10, each with quotes from the answer: {criteria}.\n"
    "Then name any misconception the answer states, one strength, one improvement, and a better phrasing "
    "of the candidate's OWN answer (their facts, reordered as situation, action, result, with [brackets] "
    "for what is missing; empty if there is nothing to rephrase).\n\nAnswer:\n\"\"\"{answer}\"\"\""
)

# turns that are not answers (graph/workflows/interview/turns.py)
ASK_CONTEXT_AGAIN = "The candidate has not answered the question yet."
BACK_TO_QUESTION = "Now, back to the question."
REPEAT_LEAD = "Sure, here it is again."
REPHRASE_LEAD = "Let me put it another way."
PASS_OK = "That's okay."
HINT_BEHAVIOURAL = (
    "A hint: one real situation is enough, from work, your studies or a project, and what you did."
)
HINT_TECHNICAL = "A hint: think about {points}."
SKIPPED = "No problem, we'll skip this one. It won't count against you."
PASS_FOLLOW_UP = "No problem, let's move on."
TAKE_TIME = "Take your time."
READY_ACK = "Great, let's go."
SMALLTALK_ACK = "Sure."
CONTROL_NOTED = "Noted. Let's stay with this question for now."

# the readiness turn before question 1 (graph/workflows/interview/readiness.py)
READY_EXPLAIN = (
    "I'll ask you {count} {question_word}, one at a time, and give you feedback after each answer. "
    "You can ask me to repeat a question, or skip one."
)
READY_REASSURE = "No pressure: this is practice, and you can skip any question."
READY_WAIT = "No rush. Just tell me when you're ready."
READY_WELL = "I'm well, thanks."
READY_NOTED = "Thanks, good to know."
READY_CONTROL = "Noted."
WELCOME_BACK_READY = "the introduction"

# the tool model (graph/workflows/interview/tools.py, through the builder's ToolNode)
AGENT_SYSTEM = (
    "You are a friendly job interview coach running a spoken mock interview for a {role} role. You "
    "have tools: score_answer grades the candidate's answer, learner_progress tells how they are "
    "doing, search_questions finds other questions. Call a tool when it helps; state only facts that "
    "a tool returned, never invent scores. Then reply in at most two short spoken sentences, plain "
    "text, no lists. Never ask an interview question yourself: the interviewer asks it after you."
)
SCORE_TASK = (
    "The candidate has answered the question {question_id!r}: {question!r}. Grade it with score_answer."
)
QUESTION_TASK = (
    "The question being asked (id {question_id!r}): {question!r}\n"
    "Instead of answering, the candidate says: {said!r}\n"
    "Reply to them. When they ask how they are doing, call learner_progress. When they ask for "
    "another, a harder or an easier question, or one on a subject, call search_questions: the first "
    "question it finds is asked next, so just introduce it in a few words. When they ask about the "
    "team or the job, answer with what the team says: {facts!r}"
)
NEW_QUESTION = "Here is one."
# the same requests without a tool model (graph/workflows/interview/requests.py)
PROGRESS_NOW = "So far you've answered {answered} {question_word}, with an average of {average} out of 10."
PROGRESS_WEAKEST = "The part to work on most is {weakest}."
PROGRESS_NONE = "You haven't answered a question yet, so there's no score so far."
PROGRESS_UNKNOWN = "I can't look up your scores right now."
NO_OTHER_QUESTION = "I don't have another question like that, so let's stay with this one."
