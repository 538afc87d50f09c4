"""`voice-agent token create --user U`: a signed per-user access token (see `voice_agent.auth`).

The key is `VOICE_AGENT_TOKEN_SECRET` (or `--secret`); the server verifies with the same key, and
a user token opens only that user's sessions.
"""

from __future__ import annotations

from typing import Annotated

import typer

from voice_agent.auth import MAX_USER_CHARS, create_token


def create(
    user: Annotated[str, typer.Option("--user", "-u", help="The user the token names (its sessions).")],
    ttl_days: Annotated[float, typer.Option(min=0.001, help="Days until the token expires.")] = 30,
    secret: Annotated[
        str | None,
        typer.Option(
            help="HMAC key (default: VOICE_AGENT_TOKEN_SECRET from the settings).", show_default=False
        ),
    ] = None,
) -> None:
    """Print a signed token for USER (give it to them: `?token=` on /ws, `Authorization: Bearer`)."""
    from pydantic import ValidationError

    from voice_agent.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    key = secret or (settings.token_secret.get_secret_value() if settings.token_secret else None)
    if not key:
        typer.echo(
            "error: no key: set VOICE_AGENT_TOKEN_SECRET (the server needs it too) or pass --secret", err=True
        )
        raise typer.Exit(code=1)
    if not user.strip() or len(user) > MAX_USER_CHARS:
        typer.echo(f"error: a user name is 1-{MAX_USER_CHARS} characters", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        create_token(
            user=user,
            secret=key,
            ttl_s=max(1, round(ttl_days * 86400)),
            issuer=settings.token_issuer,
            audience=settings.token_audience,
        )
    )


def register(app: typer.Typer) -> None:
    tokens = typer.Typer(no_args_is_help=True, help="Per-user access tokens.")
    tokens.command("create")(create)
    app.add_typer(tokens, name="token")
