"""English verb forms for the learner-error rules: base, past, participle, -s and -ing forms."""

from __future__ import annotations

import re
from functools import lru_cache

import lemminflect

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


# --------------------------------------------------------------------------- lemminflect (any verb)
# Forms for verbs beyond the tables above come from lemminflect's dictionary (pure Python, offline).


@lru_cache(maxsize=8192)
def _lemmas(word: str, pos: str) -> tuple[str, ...]:
    return tuple(lemminflect.getAllLemmas(word).get(pos, ()))


@lru_cache(maxsize=8192)
def forms(lemma: str, tag: str) -> tuple[str, ...]:
    """lemminflect's forms of `lemma` for a Penn tag ("VBD", "VBN", "VBZ", "JJR"...); () if unknown."""
    return tuple(lemminflect.getAllInflections(lemma).get(tag, ()))


def verb_lemma(word: str) -> str | None:
    """The verb a known form belongs to ("went" -> "go", "lives" -> "live"); None when not a verb."""
    lemmas = _lemmas(word.lower(), "VERB")
    return lemmas[0] if lemmas else None


def is_form(word: str, tag: str) -> str | None:
    """The verb lemma when `word` is its `tag` form (and not also its base form), else None."""
    w = word.lower()
    for lemma in _lemmas(w, "VERB"):
        if w in forms(lemma, tag) and w not in forms(lemma, "VB"):
            return lemma
    return None


def is_base(word: str) -> str | None:
    """The lemma when `word` is a verb's base form that differs from its past ("go", not "put")."""
    w = word.lower()
    lemmas = _lemmas(w, "VERB")
    if w in lemmas and not any(w in forms(lemma, "VBD") for lemma in lemmas):
        return w  # not "saw", "found", "felt": also the past of another verb
    return None


def past_of(lemma: str) -> str | None:
    found = forms(lemma, "VBD")
    if lemma == "be":
        return None  # was/were depends on the subject
    return found[0] if found else None


def participle_of(lemma: str) -> str | None:
    found = forms(lemma, "VBN")
    return found[0] if found else None


def third_of(lemma: str) -> str:
    found = forms(lemma, "VBZ")
    return found[0] if found else third_person(lemma)


def regularised_past(word: str) -> str | None:
    """The irregular past a learner regularised ("rised" -> "rose", "sitted" -> "sat"), else None."""
    w = word.lower()
    if not w.endswith("ed") or len(w) < 4 or lemminflect.getAllLemmas(w):
        return None  # a real word ("need", "hundred", "learned")
    for base in lemminflect.getAllLemmasOOV(w, "VERB").get("VERB", ()):
        if not _lemmas(base, "VERB") or w in forms(base, "VBD") or w in forms(base, "VBN"):
            continue
        past = forms(base, "VBD")
        if past and not past[0].endswith("ed"):
            return past[0]
    return OVERREGULAR.get(w)


def adjective_lemma(word: str, tag: str) -> str | None:
    """The adjective when `word` is its -er ("JJR") or -est ("JJS") form ("hotter" -> "hot")."""
    w = word.lower()
    for lemma in _lemmas(w, "ADJ"):
        if lemma != w and w in forms(lemma, tag):
            return lemma
    return None


def plural_noun(word: str) -> bool:
    """A plural noun ("parents", "children"); "news", "physics", "series" are not."""
    w = word.lower()
    if w in ("people", "police", "cattle"):
        return True
    lemmas = _lemmas(w, "NOUN")
    return bool(lemmas) and w not in lemmas and w in forms(lemmas[0], "NNS")
