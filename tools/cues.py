"""Linguistic cues an interviewer listens for, found with regular expressions.

`find_cues(text)` returns counts and short evidence snippets; `tools.rubric` turns them into scores.
The patterns are written for spoken English as Whisper transcribes it (fillers, no paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.text import raw_words, sentences, words

_SITUATION = re.compile(
    r"\b(when i was|while i was|at my (?:last|previous|current|old|first|second) "
    r"(?:job|company|role|position|internship|team|employer|workplace)|in my (?:last|previous|current|old|"
    r"first) (?:job|company|role|position|internship|team)|last (?:year|month|summer|spring|autumn|fall|"
    r"winter|quarter|week|semester)|(?:a|one|two|three|four|five|few|couple of) (?:years?|months?|weeks?) "
    r"ago|back in|in (?:19|20)\d\d|at the time|the situation|the context|there was (?:a|an|this)|we had "
    r"(?:a|an|this)|we were (?:working|building|migrating|launching|about|moving|preparing|running)|our "
    r"team (?:was|had)|i was working|i worked (?:at|as|on|for)|working (?:at|for) |during (?:my|the|a|our)"
    r"|one time|on (?:a|one|my) (?:project|team|shift)|i was (?:a|an|the) \w+ at|when i (?:joined|started|"
    r"moved|arrived|took over)|in my (?:first|last|previous|current|old) \w+|one (?:day|night|morning|"
    r"evening|week)|(?:my|our) (?:\w+ )?(?:lead|manager|boss|team|client|colleague|company|ceo|director|"
    r"customer|teammate) (?:wanted|was|were|had|decided|asked|planned|insisted))"
)
_TASK = re.compile(
    r"\b(my (?:job|role|task|responsibility|goal|aim|objective|part) was|i was (?:responsible|in charge|"
    r"asked|tasked|supposed|expected|hired|assigned)|i (?:had|needed) to|we (?:had|needed) to|the "
    r"(?:goal|task|challenge|problem|objective|aim|deadline|requirement|plan|issue) was|responsible for|"
    r"in charge of|(?:my|our) (?:\w+ )?(?:manager|boss|lead|client|customer|director|ceo) (?:asked|wanted|"
    r"needed|told)|it was my (?:job|responsibility)|i was the (?:one|owner|lead|only)|i owned|my mission|"
    r"(?:nobody|no one) (?:owned|was responsible|wanted)|the (?:problem|issue) was that)"
)
_I_VERB = re.compile(
    r"\bi (?:(?:have|had|then|also|first|personally|quickly|immediately|eventually|actually|just|finally|"
    r"basically|really|\w+ly) ){0,2}([a-z]+)\b"
)
_WE_VERB = re.compile(r"\bwe (?:(?:then|also|just|all|\w+ly) ){0,2}([a-z]+)\b")
_ACTION_VERBS = frozenset(
    """built led wrote made set took ran spoke met decided created organized organised designed
    implemented developed proposed started launched introduced fixed analyzed analysed reviewed talked
    called asked explained negotiated coordinated scheduled prioritized prioritised automated refactored
    tested deployed migrated rewrote drafted presented convinced trained mentored coached hired delegated
    escalated investigated found identified reached contacted sat gathered collected measured tracked
    monitored changed moved split broke simplified reduced cut increased improved added removed replaced
    shipped delivered documented pushed merged debugged profiled optimized optimised redesigned
    researched suggested recommended volunteered stepped gave brought sent emailed followed listened
    apologized apologised offered compromised resolved handled managed planned mapped learned learnt
    worked paired showed told helped sorted rolled reverted interviewed surveyed compared benchmarked
    estimated budgeted raised flagged reported communicated aligned facilitated owned drove championed
    initiated established rebuilt restructured streamlined consolidated persuaded pitched sold closed
    chose wrote invited booked divided assigned clarified challenged noticed realized realised
    checked asked involved encouraged supported taught rewrote sketched prototyped shadowed""".split()
)
_NOT_ACTIONS = frozenset(
    """needed wanted liked loved hoped seemed supposed tired interested excited worried scared bored
    stressed surprised annoyed frustrated confused disappointed pleased satisfied used guess think mean
    was am had have need want like felt feel hope would could should will can don didn wasn believe
    guessed thought assumed expected""".split()
)
_DECISION = re.compile(r"\bi (?:decided|chose|proposed|suggested|recommended|convinced|pushed for|took)\b")
_RESULT = re.compile(
    r"\b(as a result|in the end|at the end|the result was|the outcome|which (?:meant|led|resulted|helped|"
    r"saved|reduced|increased|cut|improved|brought)|that (?:meant|led to|resulted)|this (?:meant|led to|"
    r"resulted)|ended up|resulted in|led to|thanks to (?:this|that)|because of (?:this|that)|eventually "
    r"(?:we|it|the)|(?:we|it|i|they|the team|this|that) (?:reduced|increased|improved|saved|cut|doubled|"
    r"halved|tripled|grew|shipped|delivered|launched|finished|met|hit|exceeded|beat|won|reached|went "
    r"(?:down|up)|dropped|fell)|(?:went|dropped|fell|rose|grew|came) (?:down |up )?(?:from|to|by) |(?:was|"
    r"were|got) (?:promoted|praised|recognized|recognised|adopted|approved|accepted|fixed|resolved|solved|"
    r"delivered|shipped|released|launched|finished|done) |(?:client|customer|manager|team|everyone|users?)"
    r" (?:was|were) (?:happy|pleased|satisfied|impressed|thrilled)|i learned|i learnt|lesson|since then|"
    r"from then on|feedback was|on time|under budget|ahead of schedule|we never had|never happened again|"
    r"(?:he|she|they|everyone|the team|the client|the customer|my manager) (?:agreed|approved|accepted|"
    r"calmed down|came back|thanked|renewed|stayed|signed|loved it|changed (?:his|her|their) mind)|(?:were|"
    r"was) (?:stable|safe|fixed|resolved|solved) |(?:left|gave us|got) (?:a|an) (?:\w+ ){0,3}?review|"
    r"the next "
    r"(?:quarter|month|year|week|sprint) we|by the (?:morning|end of|deadline)|(?:is|are) still (?:used|"
    r"running|in use))"
)
_METRIC = re.compile(
    r"(\d+(?:[.,]\d+)?\s?(?:%|percent|per cent|x\b|times\b|hours?\b|days?\b|weeks?\b|months?\b|minutes?\b|"
    r"seconds?\b|ms\b|milliseconds?\b|users?\b|customers?\b|clients?\b|people\b|dollars\b|euros\b|pounds\b|"
    r"k\b|thousand\b|million\b|hundred\b|points\b|tickets\b|bugs\b|incidents\b|requests\b|sales\b|"
    r"orders\b|calls\b|errors\b)|\b(?:no|zero) (?:incidents|bugs|errors|complaints|downtime|rollbacks|"
    r"outages|defects|escalations)\b|[$£€]\s?\d+|\b(?:doubled|halved|tripled|quadrupled)\b|\b(?:by|to) "
    r"(?:half|a third|a quarter)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|a thousand) (?:percent|per cent|times|"
    r"hours|days|weeks|minutes|users|customers|people|thousand|million))|\bfrom \d+(?:\.\d+)? to "
    r"\d+(?:\.\d+)?|\b\d+(?:\.\d+)? out of \d+|\b(?:\d|one|two|three|four|five) stars?\b"
)
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million half dozen".split()
)
_TIME_REF = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|"
    r"tuesday|wednesday|thursday|friday|(?:19|20)\d\d|last (?:year|month|week|quarter|summer|winter)|"
    r"(?:a|one|two|three|four|five|six|few) (?:days?|weeks?|months?|years?|hours?|sprints?)|q[1-4]\b)"
)
TRADEOFF = re.compile(
    r"\b(because|however|trade-?offs?|on the other hand|whereas|instead of|rather than|downsides?|"
    r"drawbacks?|the cost|costs? of|it depends|depends on|but (?:the|it|that|if|you|then|this)|although|"
    r"pros and cons|advantages?|disadvantages?|at the expense|overhead|bottleneck|unless|the catch|"
    r"the risk|risky|slower|faster|cheaper|more expensive|scales?|scalab\w+|consisten\w+|latency)\b"
)
_EXAMPLE = re.compile(
    r"\b(for example|for instance|e\.g\.|such as|in my (?:last|previous|current) (?:job|project|role|"
    r"company|team)|on (?:one|a|my|our) (?:\w+ )?(?:project|team|job)|we (?:used|built|had|did|added|"
    r"switched|moved|migrated)|i (?:used|built|implemented|added|wrote|switched)|like when|at my "
    r"(?:last|previous|current) (?:job|company)|imagine|say you have|let's say|in practice|in production|"
    r"real[- ]world)\b"
)
CONNECTORS = re.compile(
    r"\b(first(?:ly)?|second(?:ly)?|third|then|after that|afterwards|next|finally|in the end|because|so "
    r"that|as a result|overall|to sum up|to summari[sz]e|in short|the reason|on top of that|also)\b"
)
TECH_TERMS = frozenset(
    """api apis database databases sql nosql index indexes cache caching latency throughput thread
    threads async await queue queues kafka rabbitmq redis postgres postgresql mysql mongodb python java
    javascript typescript docker kubernetes container containers test tests testing unit integration
    deploy deployment ci cd pipeline git http https rest graphql grpc json schema memory cpu complexity
    hash hashing tree lock locks locking transaction transactions replica replication shard sharding
    partition partitioning balancer microservice microservices monolith cloud aws gcp azure server
    servers client request requests response endpoint endpoints authentication authorization token
    tokens encryption model models training regression classification feature features dataset
    overfitting validation gradient pandas numpy spark etl warehouse join joins query queries
    normalization denormalization consistency availability idempotent idempotency retry retries timeout
    timeouts rate limiting concurrency parallelism mutex deadlock garbage heap stack recursion algorithm
    algorithms array arrays list lists dictionary linked binary search sort sorting bigo logarithmic
    linear quadratic benchmark profiling profiler metrics logging monitoring alerting observability
    tracing load scaling horizontal vertical stateless stateful session sessions cookie cookies cors
    oauth jwt ssl tls dns cdn latency p99 percentile sla slo backup failover rollback migration
    migrations orm react frontend backend css html browser dom component components state props hooks
    interface interfaces class classes inheritance composition polymorphism abstraction encapsulation
    dependency injection refactor refactoring code review pull merge branch branches commit commits
    version versioning semantic accuracy precision recall f1 embedding embeddings vector vectors
    transformer llm prompt inference batch batching streaming websocket websockets event events
    producer consumer subscriber publisher pubsub eventual strong acid base cap theorem""".split()
)


@dataclass(slots=True)
class Cues:
    word_count: int = 0
    unique_ratio: float = 0.0
    sentences: list[str] = field(default_factory=list)
    situation: list[str] = field(default_factory=list)
    task: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    """Distinct first-person action verbs ("built", "decided")."""
    we_actions: list[str] = field(default_factory=list)
    decision: bool = False
    results: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    numbers: int = 0
    proper_nouns: list[str] = field(default_factory=list)
    time_refs: list[str] = field(default_factory=list)
    tradeoffs: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    connectors: list[str] = field(default_factory=list)
    tech_terms: list[str] = field(default_factory=list)
    positions: dict[str, float] = field(default_factory=dict)
    """Where (0..1 of the text) the first situation/action/result cue appears."""


def _normalise(text: str) -> str:
    t = (text or "").lower().replace("\u2019", "'")
    t = re.sub(r"\bi've\b", "i have", t)
    t = re.sub(r"\bi'd\b", "i had", t)
    t = re.sub(r"[,;:]", " ", t)
    return re.sub(r"\s+", " ", t)


def _distinct(matches: list[str]) -> list[str]:
    return list(dict.fromkeys(m.strip() for m in matches if m.strip()))


def _first_position(pattern: re.Pattern[str], text: str) -> float | None:
    m = pattern.search(text)
    return m.start() / max(1, len(text)) if m else None


def is_action(verb: str) -> bool:
    if verb in _NOT_ACTIONS:
        return False
    return verb in _ACTION_VERBS or (verb.endswith("ed") and len(verb) >= 5)


_COORDINATED = re.compile(r"(?:,|\band\b|\bthen\b)\s+(?:then\s+|also\s+)?([a-z]+)")


def _coordinated_actions(text: str) -> list[str]:
    """Verbs sharing the subject of an earlier "I <verb>" in the same sentence:
    "I disagreed, showed him the bugs and proposed a fix" -> showed, proposed."""
    found: list[str] = []
    for sentence in sentences(text):
        lowered = sentence.lower()
        first = next((m for m in _I_VERB.finditer(_normalise(sentence)) if is_action(m.group(1))), None)
        if first is None:
            continue
        found += [v for v in _COORDINATED.findall(lowered) if v in _ACTION_VERBS]
    return found


def _proper_nouns(text: str) -> list[str]:
    found: list[str] = []
    for sentence in sentences(text):
        tokens = raw_words(sentence)
        for token in tokens[1:]:
            if token[0].isupper() and token not in ("I", "I'm", "I've", "I'd", "I'll", "OK", "Okay"):
                found.append(token)
    return _distinct(found)


def find_cues(text: str) -> Cues:
    norm = _normalise(text)
    tokens = words(norm)
    cues = Cues(word_count=len(tokens), sentences=sentences(text),
                unique_ratio=len(set(tokens)) / max(1, len(tokens)))
    if not tokens:
        return cues
    cues.situation = _distinct(_SITUATION.findall(norm))
    cues.task = _distinct(_TASK.findall(norm))
    cues.actions = _distinct([v for v in _I_VERB.findall(norm) if is_action(v)] + _coordinated_actions(text))
    cues.we_actions = _distinct([v for v in _WE_VERB.findall(norm) if is_action(v)])
    cues.decision = bool(_DECISION.search(norm))
    cues.results = _distinct(_RESULT.findall(norm))
    cues.metrics = _distinct([m.group(0) for m in _METRIC.finditer(norm)])
    cues.numbers = sum(1 for t in tokens if t[0].isdigit() or t in _NUMBER_WORDS)
    cues.proper_nouns = _proper_nouns(text)
    cues.time_refs = _distinct(_TIME_REF.findall(norm))
    cues.tradeoffs = _distinct(TRADEOFF.findall(norm))
    cues.examples = _distinct(_EXAMPLE.findall(norm))
    cues.connectors = _distinct(CONNECTORS.findall(norm))
    cues.tech_terms = _distinct([t for t in tokens if t in TECH_TERMS])
    for name, pattern in (("situation", _SITUATION), ("result", _RESULT)):
        pos = _first_position(pattern, norm)
        if pos is not None:
            cues.positions[name] = pos
    for m in _I_VERB.finditer(norm):
        if is_action(m.group(1)):
            cues.positions["action"] = m.start() / max(1, len(norm))
            break
    return cues


def action_snippet(text: str, max_words: int = 9) -> str:
    """The first "I <action verb> ..." phrase of the text, as the candidate said it, for quoting."""
    for sentence in sentences(text):
        for m in re.finditer(r"\bI\b", sentence):
            found = _I_VERB.match(_normalise(sentence[m.start():]))
            if found and is_action(found.group(1)):
                return " ".join(sentence[m.start():].split()[:max_words]).rstrip(".,;:!?")
    return ""


def metric_snippet(text: str) -> str:
    m = _METRIC.search(_normalise(text))
    return m.group(0).strip() if m else ""
