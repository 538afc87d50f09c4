"""Who is calling: access modes, signed per-user tokens (HMAC JWT via PyJWT), session ownership.

Modes, from the settings:

- **open** (neither `token` nor `token_secret` set; for one person on their own machine): no token
  is asked for and every session is visible.
- **admin**: the single shared `token` gives full access to every session (sessions it creates
  are owned by `owner_of(token)`).
- **per user**: a JWT signed with `token_secret` (HS256) names its user in `sub`. Such tokens are
  issued by `voice-agent token create --user U`, or by a deployment's own issuer holding the same
  key (`token_issuer` / `token_audience`, when set, must then match `iss` / `aud`). The caller
  owns the sessions it creates and sees only those.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

import jwt

from voice_agent.settings import Settings

ALGORITHM = "HS256"
MAX_USER_CHARS = 128
DEFAULT_TTL_S = 30 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Caller:
    owner: str | None
    """The owner key stored with the sessions this caller creates (None in open mode)."""
    admin: bool
    """Sees and manages every session (open mode, the shared token)."""
    user: str | None = None
    """The user named by a signed token."""

    def owns(self, session: dict[str, Any] | None) -> bool:
        """May this caller see, resume, export, fork or delete this session?"""
        return session is not None and (self.admin or session.get("owner") == self.owner)

    @property
    def scope(self) -> str | None:
        """The owner to filter session lists by (None: all)."""
        return None if self.admin else self.owner


OPEN = Caller(owner=None, admin=True)


def owner_of(token: str | None) -> str | None:
    """The owner key of sessions created under the shared token (sha256 hex[:32])."""
    return None if not token else hashlib.sha256(token.encode()).hexdigest()[:32]


def auth_required(settings: Settings) -> bool:
    return settings.token is not None or settings.token_secret is not None


def _valid_user(user: object) -> str | None:
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER_CHARS or "\x00" in user:
        return None
    try:
        user.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return user


def create_token(
    *,
    user: str,
    secret: str,
    ttl_s: int = DEFAULT_TTL_S,
    issuer: str | None = None,
    audience: str | None = None,
    now: float | None = None,
) -> str:
    """A signed token naming `user`, valid for `ttl_s` seconds."""
    if _valid_user(user) is None:
        raise ValueError(f"a user name is 1-{MAX_USER_CHARS} characters of text")
    if ttl_s <= 0:
        raise ValueError("ttl must be positive")
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {"sub": user, "iat": issued, "exp": issued + ttl_s}
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, settings: Settings) -> str | None:
    """The user a signed token names, or None when it is not valid (bad signature, expired, ...)."""
    if settings.token_secret is None:
        return None
    try:
        claims = jwt.decode(
            token,
            settings.token_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            options={"require": ["sub", "exp"], "verify_aud": settings.token_audience is not None},
        )
    except jwt.PyJWTError:
        return None
    return _valid_user(claims.get("sub"))


def authenticate(token: str | None, settings: Settings) -> Caller | None:
    """The caller a presented token stands for; None when a token is needed and this one is not valid."""
    if not auth_required(settings):
        return OPEN
    if not token:
        return None
    try:
        token.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if settings.token is not None:
        shared = settings.token.get_secret_value()
        if hmac.compare_digest(token.encode(), shared.encode()):
            return Caller(owner=owner_of(shared), admin=True)
    user = verify_token(token, settings)
    return None if user is None else Caller(owner=user, admin=False, user=user)
