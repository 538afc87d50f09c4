"""Groups of words that mean the same thing in an interview answer, so relevance is not pure string
matching: "I accidentally deleted a table" is about a *mistake* even without the word.

`concept_stems(text)` = the content stems of `text` plus one `#group` token per concept it touches.
"""

from __future__ import annotations

from tools.text import content_stems, stem

_GROUPS = {
    "mistake": "mistake error wrong accident accidentally broke broken bug fault blame fail failure failed "
               "deleted underestimated missed forgot",
    "fix": "fix fixed restore restored resolve resolved repair repaired rollback rolled revert reverted "
           "recover recovered solve solved solution patch",
    "prevent": "prevent prevented avoid avoided never again rule checklist process safeguard",
    "ownership": "admit admitted owned ownership responsibility responsible accountable honest told",
    "conflict": "disagree disagreed disagreement conflict argument argued tension pushback objected clash",
    "listen": "listen listened heard understand understood concerns perspective view point",
    "compromise": "compromise middle agreed agreement consensus deal negotiated",
    "customer": "customer client user patient guest buyer",
    "lead": "lead led leader leadership managed manage mentor mentored coach coached",
    "motivate": "motivate motivated morale encourage encouraged demo celebrate recognition energy",
    "deadline": "deadline due late urgent schedule tight rush",
    "prioritise": "prioritise prioritize prioritised prioritized priority priorities pause paused postpone "
                  "important urgent estimate estimated",
    "communicate": "communicate communicated told informed updated explained message email meeting "
                   "stakeholder stakeholders",
    "learn": "learn learned learnt course study studied practice practised skill tutorial",
    "result": "result outcome impact delivered shipped increased reduced improved saved",
    "evidence": "evidence data numbers showed convinced persuade persuaded proof incidents metrics",
    "feedback": "feedback review criticism critical comments harsh",
    "pressure": "pressure stress stressful calm panic overwhelmed busy",
    "initiative": "initiative proactive nobody volunteered decided",
    "team": "team teammates colleagues together collaborate collaboration group",
    "speed": "fast faster slow slower latency performance speed quick milliseconds",
    "store": "store storage save hash hashed database persist",
}

_INDEX: dict[str, str] = {}
for _group, _words in _GROUPS.items():
    for _word in _words.split():
        _INDEX.setdefault(stem(_word), _group)


def concept_stems(text: str) -> set[str]:
    stems = content_stems(text)
    return stems | {f"#{_INDEX[s]}" for s in stems if s in _INDEX}
