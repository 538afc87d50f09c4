"""The conversation brain: LangGraph workflows (coded, or compiled from YAML specs) behind
`voice_io.protocols.Responder` (`graph.responder.GraphResponder`).

Shape (as in the langchain-ai templates): `state.py` (TypedDict state with reducers),
`context.py` (per-session options and services), `nodes.py` (reusable verb nodes),
`routing.py` (`route_*` routers), `prompts.py` (UPPER_SNAKE prompts and templates),
`speech.py` (guarded spoken output), one `builder` per coded workflow under `graph/workflows/`
(or a `*.yaml` spec there, compiled by `graph.spec`), `registry.py` (workflows found there, and
option validation). See docs/workflows.md.
"""
