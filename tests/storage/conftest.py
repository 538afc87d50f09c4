"""Databases for storage tests: a real SQLite file, and a fresh PostgreSQL database per test.

PostgreSQL tests are marked `postgres` and fail (never skip) when the server is down. The server
is `VOICE_AGENT_TEST_POSTGRES` (default: postgresql://postgres@127.0.0.1:5432/postgres); each
test gets its own database, dropped afterwards, so parallel runs don't collide.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from storage import Database

ADMIN_URL = os.environ.get("VOICE_AGENT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"va_test_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once per backend."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.connect(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def drop_connections() -> Callable[[str], int]:
    """`drop_connections(url)`: the server ends every connection to that database (as on a restart)."""

    def drop(url: str) -> int:
        name = make_url(url).database
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            ).fetchall()
        return len(rows)

    return drop
