"""One package per workflow: `builder.py` (the StateGraph builder), its own nodes, prompts and content."""
