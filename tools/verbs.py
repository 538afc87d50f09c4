"""English verb forms for the learner-error rules: base, past, participle, -s and -ing forms."""

from __future__ import annotations

import re

from tools.wordlists import A2_CORE, B1

BASE_VERBS = (
    "go want like have do need make work live play know think say come take get see watch study speak love "
    "hate eat drink write teach help start finish try use feel look seem mean prefer enjoy visit call "
    "run drive cook sleep leave tell give buy pay understand remember forget agree believe become travel "
    "learn meet stay move change find ask open show swim dance sing spend improve practice practise talk"
)
BASE_TO = (
    "go buy see do make learn study speak talk visit eat get work travel find play watch be become improve "
    "practice practise know say tell ask read write live come meet stay leave move change use join open "
    "show give drive cook sleep swim dance sing spend take have start finish understand call"
)
PAST_TO_BASE = {
    "went": "go", "came": "come", "did": "do", "saw": "see", "took": "take", "ate": "eat", "wrote": "write",
    "spoke": "speak", "ran": "run", "drank": "drink", "began": "begin", "broke": "break", "chose": "choose",
    "forgot": "forget", "gave": "give", "knew": "know", "rode": "ride", "sang": "sing", "swam": "swim",
    "threw": "throw", "wore": "wear", "drove": "drive", "flew": "fly", "grew": "grow", "fell": "fall",
    "stole": "steal", "became": "become", "bought": "buy", "brought": "bring", "thought": "think",
    "taught": "teach", "caught": "catch", "made": "make", "said": "say", "told": "tell", "found": "find",
    "got": "get", "had": "have", "left": "leave", "met": "meet", "paid": "pay", "sold": "sell",
    "sent": "send",
    "slept": "sleep", "spent": "spend", "stood": "stand", "understood": "understand", "won": "win",
    "felt": "feel", "kept": "keep", "heard": "hear", "lost": "lose", "built": "build", "taken": "take",
}
PARTICIPLE = {
    "go": "gone", "come": "come", "do": "done", "see": "seen", "take": "taken", "eat": "eaten",
    "write": "written", "speak": "spoken", "run": "run", "drink": "drunk", "begin": "begun",
    "break": "broken",
    "choose": "chosen", "forget": "forgotten", "give": "given", "know": "known", "ride": "ridden",
    "sing": "sung", "swim": "swum", "throw": "thrown", "wear": "worn", "drive": "driven", "fly": "flown",
    "grow": "grown", "fall": "fallen", "steal": "stolen", "become": "become",
}
OVERREGULAR = {
    "goed": "went", "buyed": "bought", "teached": "taught", "thinked": "thought", "catched": "caught",
    "runned": "ran", "eated": "ate", "writed": "wrote", "speaked": "spoke", "taked": "took", "comed": "came",
    "maked": "made", "sayed": "said", "bringed": "brought", "knowed": "knew", "drinked": "drank",
    "swimmed": "swam", "breaked": "broke", "choosed": "chose", "feeled": "felt", "keeped": "kept",
    "leaved": "left", "meeted": "met", "payed": "paid", "selled": "sold", "sended": "sent",
    "sleeped": "slept",
    "spended": "spent", "standed": "stood", "telled": "told", "understanded": "understood", "winned": "won",
    "finded": "found", "getted": "got", "gived": "gave", "holded": "held", "hurted": "hurt", "putted": "put",
    "cutted": "cut", "becomed": "became", "begined": "began", "drived": "drove",
    "forgetted": "forgot", "growed": "grew", "hided": "hid", "losed": "lost", "rided": "rode",
    "sitted": "sat", "stealed": "stole", "throwed": "threw", "weared": "wore",
    "readed": "read", "falled": "fell", "drawed": "drew", "builded": "built",
}
def third_person(verb: str) -> str:
    v = verb.lower()
    special = {"have": "has", "do": "does", "go": "goes", "don't": "doesn't", "be": "is"}
    if v in special:
        return special[v]
    if v.endswith(("s", "sh", "ch", "x", "z", "o")):
        return v + "es"
    if v.endswith("y") and v[-2:-1] not in ("a", "e", "i", "o", "u"):
        return v[:-1] + "ies"
    return v + "s"


def base_of_past(word: str) -> str | None:
    """"went" -> "go", "finished" -> "finish", "stopped" -> "stop"; None when it is not a past form."""
    w = word.lower()
    if w in PAST_TO_BASE:
        return PAST_TO_BASE[w]
    if w in OVERREGULAR:
        return PAST_TO_BASE.get(OVERREGULAR[w], w[:-2])
    if not w.endswith("ed") or len(w) < 4:
        return None
    known = A2_CORE | B1
    candidates = [w[:-3] + "y"] if w.endswith("ied") else []
    candidates += [w[:-2], w[:-1]]
    if len(w) > 4 and w[-3] == w[-4]:
        candidates.append(w[:-3])
    for c in candidates:
        if c in known:
            return c
    return None


def ing_form(verb: str) -> str:
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and v not in ("be", "see"):
        return v[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", v) and v not in ("visit", "open", "listen"):
        return v + v[-1] + "ing"
    return v + "ing"
