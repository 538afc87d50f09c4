"""`Database`: one SQLAlchemy engine for the app data, plus `upgrade()` to the newest schema.

SQLite (`sqlite:///path.db`): parent folders are created, WAL journal, a busy timeout and
foreign keys on every connection. PostgreSQL (`postgresql://...`): the psycopg 3 driver with a
short connect timeout, so an unreachable server fails fast with `DatabaseUnavailable`.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from storage.database_paths import sqlite_file
from storage.errors import DatabaseUnavailable, IntegrityViolation, StorageError

log = logging.getLogger(__name__)


def normalize_url(url: str | URL) -> URL:
    """`postgresql://` and `postgres://` → `postgresql+psycopg://`; other URLs unchanged."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _to_json(value: Any) -> str:
    """JSON columns: values JSON cannot represent (datetimes, model objects) are stored as str."""
    return json.dumps(value, default=str, ensure_ascii=False)


def _translate(error: Exception) -> StorageError:
    if isinstance(error, exc.IntegrityError):
        return IntegrityViolation(f"write refused by the database: {error.orig}")
    return DatabaseUnavailable(f"database unavailable: {getattr(error, 'orig', None) or error}")


class Database:
    """The app database. Build it with `Database.connect(url)`; share one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str, *, connect_timeout_s: float = 3.0, busy_timeout_s: float = 5.0) -> Database:
        """Create the engine (lazily: nothing is opened until the first query or `upgrade()`)."""
        parsed = normalize_url(url)
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "json_serializer": _to_json}
        if parsed.get_backend_name() == "sqlite":
            path = sqlite_file(parsed)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": busy_timeout_s, "check_same_thread": False}
            if path is None:  # in-memory: one shared connection, or each thread sees its own database
                kwargs["poolclass"] = StaticPool
        elif parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": max(1, round(connect_timeout_s))}
        engine = create_engine(parsed, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            busy_ms = int(busy_timeout_s * 1000)

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
                if path is not None:
                    cursor.execute("PRAGMA journal_mode=WAL")
                    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: no fsync per commit, still safe
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()

        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error.

        Driver errors become `DatabaseUnavailable` (retry later) or `IntegrityViolation`.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except (exc.OperationalError, exc.InterfaceError, exc.IntegrityError) as error:
            raise _translate(error) from error
        except exc.DBAPIError as error:
            if error.connection_invalidated:
                raise _translate(error) from error
            raise

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent; safe from two processes at once)."""
        from storage.migrate import upgrade

        try:
            upgrade(self.engine)
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise DatabaseUnavailable(
                f"cannot reach the database at {self.url.render_as_string(hide_password=True)}: "
                f"{getattr(error, 'orig', None) or error}"
            ) from error

    def dispose(self) -> None:
        self.engine.dispose()
