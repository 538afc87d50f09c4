"""Workflow specs: designer YAML compiled into LangGraph workflows (see docs/workflows.md)."""
