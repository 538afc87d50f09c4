"""A better phrasing of the candidate's OWN answer: their sentences, cleaned of fillers and put in
order (situation → action → result for a story; explanation → example → trade-off for a technical
answer), with marked slots for what is missing ("[by how much?]"). Nothing is invented; when there
is nothing to restructure (too short, off-topic, already in order and complete) the answer is "".
"""

from __future__ import annotations

from tools.cues import find_cues
from tools.feedback import polish
from tools.semantic.signals import answer_sentences
from tools.text import words

SLOTS = {
    "situation": "[Where and when was this, in one sentence?]",
    "action": "[What did you do yourself? Start with 'I …'.]",
    "result": "[What changed because of it?]",
    "metric": "[by how much?]",
    "example": "[One example from your own work: where you used it and what happened.]",
    "tradeoff": "[When would you not use it, and what does it cost?]",
}
MAX_SENTENCES_PER_PART = 2


def _role(sentence: str, technical: bool) -> str | None:
    cues = find_cues(sentence)
    if technical:
        if cues.examples:
            return "example"
        if cues.tradeoffs:
            return "tradeoff"
        return "explain" if cues.tech_terms or len(words(sentence)) >= 6 else None
    if cues.results or cues.metrics:
        return "result"
    if cues.actions or cues.we_actions or cues.decision:
        return "action"
    if cues.situation or cues.task:
        return "situation"
    return None


def better_phrasing(answer: str, *, technical: bool, missing: list[str], off_topic: bool = False) -> str:
    """The restructured answer with slots, or "" (see the module docstring)."""
    if off_topic:
        return ""
    parts = [s for s in answer_sentences(answer) if len(words(s)) >= 4]
    if not parts:
        return ""
    order = ("explain", "example", "tradeoff") if technical else ("situation", "action", "result")
    by_role: dict[str, list[str]] = {role: [] for role in order}
    roles: list[str] = []
    for sentence in parts:
        role = _role(sentence, technical)
        if role is None:
            continue
        roles.append(role)
        if len(by_role[role]) < MAX_SENTENCES_PER_PART:
            cleaned = polish(sentence)
            if cleaned:
                by_role[role].append(cleaned)
    if not any(by_role.values()):
        return ""
    out: list[str] = []
    for role in order:
        if by_role[role]:
            out.extend(by_role[role])
        elif not technical or role != "explain":
            out.append(SLOTS[role])
    if not technical and by_role["result"] and "metric" in missing:
        last = by_role["result"][-1]
        out[out.index(last)] = f'{last.rstrip(".!?")} {SLOTS["metric"]}.'
    text = " ".join(out)
    in_order = roles == sorted(roles, key=order.index)
    if in_order and "[" not in text and text == " ".join(parts):
        return ""  # already complete, in order and clean: nothing to restructure
    return text
