"""Errors raised by the storage package.

    StorageError             base class; `recoverable` says whether retrying later can succeed
    ├── DatabaseUnavailable  the database cannot be reached or is locked/busy (recoverable)
    ├── IntegrityViolation   the write contradicts the data, e.g. a turn for an unknown thread
    │                        (not recoverable: retrying the same write fails the same way)
    ├── UnknownThread        (also a LookupError) no session/checkpoint has this thread id
    └── UnknownCheckpoint    (also a LookupError) the thread has no checkpoint with this id

Callers on the latency path do not call the data functions directly but through
`storage.writer.BackgroundWriter`, which retries recoverable errors with backoff.
"""

from __future__ import annotations


class StorageError(Exception):
    recoverable: bool = False


class DatabaseUnavailable(StorageError):
    recoverable = True


class IntegrityViolation(StorageError):
    recoverable = False


class UnknownThread(StorageError, LookupError):
    """No session or checkpoint has this thread id."""


class UnknownCheckpoint(StorageError, LookupError):
    """The thread has no checkpoint with this id."""
