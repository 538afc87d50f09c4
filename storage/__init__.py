"""App data (sessions, turns, evaluations, reports, designer content) and LangGraph checkpoints.

Sync SQLAlchemy 2.0 data functions, all keyword-only, returning plain JSON-able dicts; callers on
the event loop run them with `asyncio.to_thread` or through `storage.writer.BackgroundWriter`.
Errors: `storage.errors`. Contract: docs/CONTRACTS.md (storage).
"""

from storage.checkpoints import (
    checkpoint_location,
    delete_thread,
    list_checkpoints,
    open_checkpointer,
)
from storage.content import (
    replace_phrases,
    replace_questions,
    search_phrases,
    search_questions,
)
from storage.database import Database
from storage.errors import (
    DatabaseUnavailable,
    IntegrityViolation,
    StorageError,
    UnknownCheckpoint,
    UnknownThread,
)
from storage.evaluations import add_evaluation, add_tool_call, list_evaluations, list_tool_calls
from storage.export import export_session, render_markdown
from storage.fork import fork_thread
from storage.progress import get_progress
from storage.recorder import StorageRecorder
from storage.reports import get_report, save_report
from storage.sessions import (
    create_session,
    delete_session,
    get_session,
    learner_key,
    list_sessions,
    set_session_status,
)
from storage.turns import add_turn, list_turns, set_turn_metrics, settle_thread, speak_turn
from storage.writer import BackgroundWriter, WriteFailure

__all__ = [
    "BackgroundWriter",
    "Database",
    "DatabaseUnavailable",
    "IntegrityViolation",
    "StorageError",
    "StorageRecorder",
    "UnknownCheckpoint",
    "UnknownThread",
    "WriteFailure",
    "add_evaluation",
    "add_tool_call",
    "add_turn",
    "checkpoint_location",
    "create_session",
    "delete_session",
    "delete_thread",
    "export_session",
    "fork_thread",
    "get_progress",
    "get_report",
    "get_session",
    "learner_key",
    "list_checkpoints",
    "list_evaluations",
    "list_sessions",
    "list_tool_calls",
    "list_turns",
    "open_checkpointer",
    "render_markdown",
    "replace_phrases",
    "replace_questions",
    "save_report",
    "search_phrases",
    "search_questions",
    "set_session_status",
    "set_turn_metrics",
    "settle_thread",
    "speak_turn",
]
