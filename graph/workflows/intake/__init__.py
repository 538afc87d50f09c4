"""Intake: name, reason, details and urgency into a validated record (built from docs/workflows.md)."""
