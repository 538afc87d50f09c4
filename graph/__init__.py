"""The conversation brain: LangGraph workflows (interview, english, intake) behind
`voice_io.protocols.Responder` (`graph.responder.GraphResponder`).

Shape (as in the langchain-ai templates): `state.py` (TypedDict state with reducers),
`context.py` (per-session options and services), `nodes.py` (reusable verb nodes),
`routing.py` (`route_*` routers), `prompts.py` (UPPER_SNAKE prompts and templates),
`speech.py` (guarded spoken output), one `builder` per workflow under `graph/workflows/`,
`registry.py` (workflow list and option validation). See docs/workflows.md.
"""
