import pytest

from graph.registry import WORKFLOWS_DIR, get_workflow, list_workflows, spec_names, workflow_names
from voice_io.errors import BadOption, UnknownWorkflow


def test_every_workflow_folder_is_offered_coded_or_spec() -> None:
    folders = {p.name for p in WORKFLOWS_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders and folders == set(workflow_names())
    coded = {p.name for p in WORKFLOWS_DIR.iterdir() if (p / "builder.py").is_file()}
    assert set(spec_names()) == folders - coded and spec_names()


def test_list_workflows_describes_every_option() -> None:
    workflows = {w["name"]: w for w in list_workflows()}
    interview = {o["name"]: o for o in workflows["interview"]["options"]}
    assert interview["role"]["choices"] == [
        "backend engineer",
        "frontend engineer",
        "data scientist",
        "product manager",
        "behavioural",
    ]
    assert interview["questions"] == {
        "name": "questions",
        "type": "int",
        "default": 3,
        "min": 1,
        "max": 10,
        "help": "Number of main questions.",
    }
    assert interview["seniority"]["choices"] == ["junior", "mid", "senior"]
    english = {o["name"]: o for o in workflows["english"]["options"]}
    assert english["level"]["choices"] == ["A2", "B1", "B2", "C1"]
    assert english["turns"]["default"] == 6
    for workflow in workflows.values():
        assert workflow["title"] and workflow["description"]
        assert all(o["help"] for o in workflow["options"])


def test_validate_fills_defaults_and_normalises_case() -> None:
    options = get_workflow("interview").validate({"role": "Data Scientist", "questions": "5"})
    assert options == {
        "role": "data scientist",
        "seniority": "mid",
        "questions": 5,
        "follow_ups": 1,
        "user": None,
    }


def test_unknown_workflow() -> None:
    with pytest.raises(UnknownWorkflow, match=r"unknown workflow 'poetry'.*interview"):
        get_workflow("poetry")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, "workflow 'interview' has no option 'colour' (options: role, seniority,"),
        ({"questions": 11}, "option 'questions': input should be less than or equal to 10, got 11"),
        ({"questions": 0}, "option 'questions': input should be greater than or equal to 1, got 0"),
        ({"questions": "many"}, "option 'questions': input should be a valid integer"),
        ({"questions": True}, "option 'questions': input should be a valid integer, got True"),
        ({"questions": 2.5}, "option 'questions': input should be a valid integer"),
        ({"role": "astronaut"}, "option 'role': input should be 'backend engineer', 'frontend engineer',"),
        ({"seniority": 3}, "option 'seniority': input should be 'junior', 'mid' or 'senior', got 3"),
        ({"user": 5}, "option 'user': input should be a valid string, got 5"),
        ({"user": "x" * 129}, "option 'user': string should have at most 128 characters, got 'xxx"),
    ],
)
def test_bad_options_are_named_with_what_is_wrong(options: dict, message: str) -> None:
    with pytest.raises(BadOption) as info:
        get_workflow("interview").validate(options)
    assert info.value.code == "bad_field"
    assert message in info.value.message and len(info.value.message) < 200


def test_options_are_read_as_people_type_them() -> None:
    validate = get_workflow("interview").validate
    assert validate({"seniority": " SENIOR ", "questions": " 4 ", "user": "  ana "}) == {
        "role": "behavioural",
        "seniority": "senior",
        "questions": 4,
        "follow_ups": 1,
        "user": "ana",
    }
    assert validate({"user": "   ", "role": None}) == validate({})  # blank and null are no value


def test_validation_is_the_options_model_whose_schema_is_published() -> None:
    workflow = get_workflow("english")
    model = workflow.options_model
    assert workflow.as_dict()["schema"] == model.model_json_schema()
    assert workflow.validate({"level": "c1"}) == model.model_validate({"level": "C1"}).model_dump()


async def test_open_rejects_bad_workflow_and_option(make_responder) -> None:
    responder = make_responder()
    with pytest.raises(UnknownWorkflow):
        await responder.open(workflow="nope", thread_id=None, options={})
    with pytest.raises(BadOption):
        await responder.open(workflow="english", thread_id=None, options={"level": "Z9"})


async def test_a_conversation_asks_for_word_timings_as_its_workflow_says(make_responder) -> None:
    """Every built-in workflow keeps word timestamps (unclear words, read-aloud, word-gap pauses; and
    without them the faster decode split JFK's paused sentence into three turns)."""
    responder = make_responder()
    timed = {}
    for name in workflow_names():
        conversation = await responder.open(workflow=name, thread_id=None, options={})
        timed[name] = conversation.word_timing
        await conversation.close()
    assert {"interview", "english"} <= set(timed) and all(timed.values()), timed


def test_langgraph_json_lists_every_workflow_graph() -> None:
    import importlib.util
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = json.loads((root / "langgraph.json").read_text())
    assert set(config["graphs"]) == {w["name"] for w in list_workflows()}
    for name, target in config["graphs"].items():
        path, attribute = target.split(":")
        spec = importlib.util.spec_from_file_location(f"lg_{name}", root / path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        graph = getattr(module, attribute)
        assert "__start__" in graph.get_graph().nodes


async def test_graphs_run_without_a_context_as_in_langgraph_dev() -> None:
    from graph.registry import get_workflow

    for name in workflow_names():
        graph = get_workflow(name).builder.compile()
        out = await graph.ainvoke({"event": "opening"})
        assert out["messages"][-1].content.endswith(("?", "."))
        assert out["phase"] not in ("new", "done")


def test_each_workflow_sends_the_json_schema_of_its_options() -> None:
    for workflow in list_workflows():
        schema = workflow["schema"]
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert list(schema["properties"]) == [o["name"] for o in workflow["options"]]
        for option in workflow["options"]:
            field = schema["properties"][option["name"]]
            assert field["default"] == option["default"] and field["description"] == option["help"]
            if option["type"] == "choice":
                assert field["enum"] == option["choices"]
            if option["type"] == "int":
                assert (field["type"], field["minimum"], field["maximum"]) == (
                    "integer",
                    option["min"],
                    option["max"],
                )
    interview = next(w for w in list_workflows() if w["name"] == "interview")
    assert interview["schema"]["properties"]["questions"]["maximum"] == 10
