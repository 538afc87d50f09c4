"""Spoken names, emails, phone numbers and yes/no answers.

Emails are checked by `email-validator`, phone numbers by `phonenumbers` (Google's libphonenumber);
this module only turns speech into what they read ("maria at example dot com", "oh seven seven ...").
"""

from __future__ import annotations

import re
from typing import Any

from graph.spec.amounts import to_digits

_GREETING = re.compile(r"^(?:hi|hello|hey|yes|yeah|sure|okay|ok|so|um+|uh+|well)\b[,!.]?\s*", re.I)
_NAME_LEAD = re.compile(
    r"^(?:my (?:full )?name is|my name's|the name is|the name's|name's|i am|i'm|it's|it is|this is|"
    r"call me|you can call me|they call me)\s+",
    re.I,
)
_NAME = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' .-]*$")


def parse_name(text: str) -> tuple[str | None, str | None]:
    """(name, None) or (None, problem): "Hello, my name is maria lopez." -> "Maria Lopez"."""
    name = text.strip()
    for _ in range(3):
        name = _NAME_LEAD.sub("", _GREETING.sub("", name)).strip()
    name = re.sub(r"\s+(?:here|speaking|thanks|thank you)\W*$", "", name, flags=re.I).strip(" .!,")
    if not _NAME.match(name) or len(name) < 2:
        return None, "a name has letters only"
    if len(name) > 60 or len(name.split()) > 4:
        return None, "that sounds like more than a name"
    return (name.title() if name.islower() else name), None


_SPOKEN_EMAIL = [
    (r"\s+(?:at|@)\s+", "@"),
    (r"\s+(?:dot|period|point)\s+", "."),
    (r"\s+(?:underscore)\s+", "_"),
    (r"\s+(?:dash|hyphen|minus)\s+", "-"),
]


def parse_email(text: str) -> tuple[str | None, str | None]:
    from email_validator import EmailNotValidError, validate_email

    spoken = f" {text.strip().rstrip('.!?')} "
    spoken = re.sub(
        r"^\s*(?:it's|it is|my email is|my e-?mail (?:address )?is|sure|yes)\b,?", " ", spoken, flags=re.I
    )
    for pattern, replacement in _SPOKEN_EMAIL:
        spoken = re.sub(pattern, replacement, spoken, flags=re.I)
    candidate = re.sub(r"\s+", "", spoken).lower()
    try:
        return validate_email(candidate, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, str(exc)


_DIGIT_WORDS = {"oh": "0", "o": "0", "zero": "0", "nought": "0"}


def _phone_digits(text: str) -> str:
    spoken = re.sub(
        r"\b(double|triple)\s+(\w+)",
        lambda m: " ".join([m.group(2)] * (2 if m.group(1) == "double" else 3)),
        text,
        flags=re.I,
    )
    spoken = " ".join(_DIGIT_WORDS.get(w.lower(), w) for w in spoken.split())
    spoken = re.sub(r"\bplus\s*", "+", to_digits(spoken), flags=re.I)
    return re.sub(r"(?<=\d)[\s.-]+(?=\d)", "", spoken)


def parse_phone(text: str, region: str) -> tuple[str | None, str | None]:
    import phonenumbers

    spoken = _phone_digits(text)
    match = next(iter(phonenumbers.PhoneNumberMatcher(spoken, region)), None)
    if match is None:
        candidate = re.sub(r"[^\d+]", "", spoken)
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            return None, "I need a full phone number"
        if not phonenumbers.is_valid_number(number):
            return None, "that number is not a valid phone number"
    else:
        number = match.number
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def phone_words(value: str, region: str) -> str:
    import phonenumbers

    number = phonenumbers.parse(value, region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|yea|sure|correct|right|exactly|absolutely|definitely|certainly|indeed|of course|"
    r"affirmative|uh-huh|mm-hm|that's right|that is right|that's correct|sounds good|please do|go ahead|"
    r"i (?:do|am|have|can|will|would)|we (?:do|are|have|can|will)|it is|it does|that's me|ok|okay|alright|"
    r"that works|that's fine|fine|perfect|great|sounds great|go for it|let's do it|please)\b",
    re.I,
)
_NO = re.compile(
    r"^(?:no|nope|nah|not really|not yet|not at all|never|negative|i (?:don'?t|do not|am not|'m not|can'?t|"
    r"haven'?t)|we (?:don'?t|do not|aren'?t|are not|can'?t|haven'?t)|it'?s not|that's wrong|wrong|"
    r"not (?:me|quite|exactly|now)|none|nothing|that doesn'?t work|please don'?t|rather not|don'?t)\b",
    re.I,
)
_UNSURE = re.compile(
    r"\b(not sure|unsure|don'?t know|do not know|maybe|perhaps|no idea|not certain|depends)\b", re.I
)
_LEAD = re.compile(r"^(?:well|so|um+|uh+|oh|hmm+|honestly|actually)\b[,\s]*", re.I)
_FOLLOW_LEAD = re.compile(
    r"^(?:[,;:.!\s-]|but|and|though|although|however|only|just|well|also|too|as well|it's|it is|"
    r"for (?:me|us)|thanks|thank you)\b\s*",
    re.I,
)
_WITH = re.compile(
    r"^(?:(?:i|we)(?: would|'d)? (?:need|have) to (?:involve|check with|run it by|ask)|"
    r"together with|along with|"
    r"jointly with|with|by|involving|plus)\s+(?:our|my|the|a|an)?\s*",
    re.I,
)


def parse_yes_no(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """({"yes": bool, "detail": str | None}, None): "yes, with our CFO" -> yes, detail "CFO"."""
    spoken = _LEAD.sub("", text.strip()).strip()
    if _UNSURE.search(spoken):
        return None, "please answer yes or no"
    no, yes = _NO.match(spoken), _YES.match(spoken)
    match = no or yes
    if match is None:
        return None, "please answer yes or no"
    rest = spoken[match.end() :]
    previous = None
    while previous != rest:
        previous, rest = rest, _FOLLOW_LEAD.sub("", rest.lstrip(" ,;:.!-"), count=1)
    rest = _WITH.sub("", rest, count=1)
    detail = rest.strip(" .!?,") or None
    return {"yes": no is None, "detail": detail}, None


def yes_no_words(value: dict[str, Any]) -> str:
    word = "yes" if value.get("yes") else "no"
    return f"{word}, {value['detail']}" if value.get("detail") else word
