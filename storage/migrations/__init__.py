"""Alembic migrations of the app data; run through `storage.migrate` / `Database.upgrade()`."""
