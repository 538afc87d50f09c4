"""`voice-agent workflow ...`: the designer's loop for workflow specs (docs/workflows.md).

voice-agent workflow list                  # every workflow, coded or spec, from the registry
voice-agent workflow validate FILE         # errors with file, line and a hint
voice-agent workflow preview FILE          # Mermaid graph + the questions in order
voice-agent workflow test FILE             # run the spec's own `examples:`
voice-agent workflow schema [--output F]   # the JSON Schema for editor completion
voice-agent workflow sync [--check]        # langgraph.json and README's table from the registry
voice-agent chat --workflow-file FILE      # talk to a spec that is not registered yet
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(no_args_is_help=True, help="Design workflow specs: validate, preview, test.")
SpecFile = Annotated[Path, typer.Argument(help="A workflow spec (YAML).")]
ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "graph" / "spec" / "workflow.schema.json"
TABLE_START, TABLE_END = "<!-- workflows:start -->", "<!-- workflows:end -->"


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code=1)


def _load(path: Path) -> Any:
    from graph.spec.compiler import compile_spec
    from graph.spec.loader import SpecError, load_spec

    try:
        return compile_spec(load_spec(path), source=str(path))
    except SpecError as exc:
        _fail(f"{len(exc.problems)} problem(s) in {path}:\n{exc}")


@app.command("list")
def list_() -> None:
    """Every workflow the registry offers (coded and spec), with where it is defined."""
    from graph.registry import get_workflow, workflow_names

    for name in workflow_names():
        workflow = get_workflow(name)
        kind = "spec" if workflow.spec is not None else "code"
        typer.echo(
            f"{name:<12} {kind:<5} {workflow.title}  ({Path(workflow.source).name or workflow.source})"
        )


@app.command()
def validate(path: SpecFile) -> None:
    """Check a spec; print each problem with file, line and a hint."""
    workflow = _load(path)
    spec = workflow.spec
    typer.echo(
        f"{path}: ok — workflow {spec.name!r}, {len(spec.slots)} slots, {len(spec.outcomes)} outcomes, "
        f"{len(spec.examples)} examples"
    )


@app.command()
def preview(path: SpecFile) -> None:
    """Print the compiled graph (Mermaid) and the questions in the order they are asked."""
    workflow = _load(path)
    spec = workflow.spec
    typer.echo(workflow.builder.compile().get_graph().draw_mermaid())
    typer.echo(f"{spec.title} — {spec.greeting}")
    for index, slot in enumerate(spec.slots, 1):
        extras = [slot.type, "required" if slot.required else "optional"]
        if slot.ask_if:
            extras.append(f"only if {json.dumps(slot.ask_if)}")
        if slot.confirm != "never":
            extras.append(f"confirm {slot.confirm}")
        typer.echo(f"{index}. [{slot.id}] {slot.question}  ({', '.join(extras)})")
        typer.echo(f"   retry: {slot.retry}")
    for outcome in spec.outcomes:
        typer.echo(
            f"=> {outcome.verdict}: {outcome.reason}  "
            f"when {json.dumps(outcome.when) if outcome.when else 'otherwise'}"
        )


@app.command()
def test(
    path: SpecFile,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print each conversation.")] = False,
) -> None:
    """Run the spec's `examples:` on the real graph (rules brain); exit 1 when one fails."""
    from graph.spec.examples import run_examples

    workflow = _load(path)
    if not workflow.spec.examples:
        _fail(f"{path}: no `examples:` to run (add one: user lines, then expected values)")
    results = asyncio.run(run_examples(workflow))
    for result in results:
        typer.echo(f"{'PASS' if result.passed else 'FAIL'}  {result.name}")
        for failure in result.failures:
            typer.echo(f"      {failure}")
        if verbose or not result.passed:
            for who, text in result.transcript:
                typer.echo(f"      {who:>5}: {text}")
    passed = sum(r.passed for r in results)
    typer.echo(f"{passed} passed, {len(results) - passed} failed")
    if passed != len(results):
        raise typer.Exit(code=1)


def schema_text() -> str:
    from graph.spec.schema import WorkflowSpec

    schema = WorkflowSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "voice-agent workflow spec"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option(help="Write it here (default: print it).")] = None,
) -> None:
    """The spec's JSON Schema (published as graph/spec/workflow.schema.json)."""
    if output is None:
        typer.echo(schema_text(), nl=False)
    else:
        output.write_text(schema_text(), encoding="utf-8")


def langgraph_config(current: dict[str, Any]) -> dict[str, Any]:
    """langgraph.json with one graph per registered workflow (coded: its builder; spec: graph.spec.graphs)."""
    from graph.registry import get_workflow, workflow_names

    graphs = {}
    for name in workflow_names():
        workflow = get_workflow(name)
        if workflow.spec is not None:
            graphs[name] = f"./graph/spec/graphs.py:{name}"
        else:
            graphs[name] = f"./graph/workflows/{name}/builder.py:graph"
    return {**current, "graphs": graphs}


def readme_table() -> str:
    from graph.registry import list_workflows

    rows = ["| workflow | what it does | options |", "|---|---|---|"]
    for w in list_workflows():
        options = "; ".join(
            f"`{o['name']}`"
            + (f": {', '.join(o['choices'])}" if o.get("choices") else "")
            + (f" {o['min']}–{o['max']}" if o.get("min") is not None else "")
            + (f" ({o['default']})" if o.get("default") not in (None, "") else "")
            for o in w["options"]
        )
        rows.append(f"| `{w['name']}` | {w['description']} | {options} |")
    return "\n".join(rows)


@app.command()
def sync(
    check: Annotated[bool, typer.Option("--check", help="Only report whether they are up to date.")] = False,
) -> None:
    """Write langgraph.json, README's workflow table and the JSON Schema from the registry."""
    config_path, readme_path = ROOT / "langgraph.json", ROOT / "README.md"
    config = json.dumps(langgraph_config(json.loads(config_path.read_text())), indent=2) + "\n"
    readme = readme_path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), re.S)
    table = f"{TABLE_START}\n{readme_table()}\n{TABLE_END}"
    wanted = {
        config_path: config,
        readme_path: pattern.sub(lambda _: table, readme),
        SCHEMA_FILE: schema_text(),
    }
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if check:
        if stale:
            _fail(
                "out of date: "
                + ", ".join(str(p.relative_to(ROOT)) for p in stale)
                + " (run `voice-agent workflow sync`)"
            )
        typer.echo("up to date")
        return
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        typer.echo(f"wrote {path.relative_to(ROOT)}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="workflow")
