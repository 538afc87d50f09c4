// Unit tests for the options form built from a workflow's JSON Schema (pure part of workflow-form.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { optionFields, readOptionValues } from "../../../frontend/option-fields.js";

// As pydantic writes it for the interview's options model (GET /api/workflows `schema`).
const INTERVIEW = {
  additionalProperties: false,
  properties: {
    role: { default: "behavioural", description: "Role the interview is for.", enum: ["backend engineer", "behavioural"], title: "Role", type: "string" },
    questions: { default: 3, description: "Number of main questions.", maximum: 10, minimum: 1, title: "Questions", type: "integer" },
    follow_ups: { default: 1, description: "Follow-ups at most.", maximum: 2, minimum: 0, title: "Follow Ups", type: "integer" },
    user: { anyOf: [{ maxLength: 128, type: "string" }, { type: "null" }], default: null, description: "Learner name.", title: "User" },
  },
  title: "Job interview practice",
  type: "object",
};

test("one field per schema property, in order, with its kind, bounds, default and help", () => {
  const fields = optionFields(INTERVIEW);
  assert.deepEqual(fields.map((f) => [f.name, f.kind]), [
    ["role", "select"],
    ["questions", "number"],
    ["follow_ups", "number"],
    ["user", "text"],
  ]);
  const [role, questions, followUps, user] = fields;
  assert.deepEqual(role.choices, ["backend engineer", "behavioural"]);
  assert.equal(role.value, "behavioural");
  assert.equal(role.help, "Role the interview is for.");
  assert.deepEqual([questions.min, questions.max, questions.step, questions.value], [1, 10, 1, 3]);
  assert.equal(followUps.label, "Follow ups");
  assert.equal(followUps.value, 1);
  assert.equal(user.maxLength, 128); // `str | None` is unwrapped: a text field that may stay blank
  assert.equal(user.value, null);
  assert.equal(user.required, false);
});

test("given values (a resumed session's) win over the defaults", () => {
  const fields = optionFields(INTERVIEW, { role: "backend engineer", questions: 5, user: "ana" });
  assert.deepEqual(fields.map((f) => f.value), ["backend engineer", 5, 1, "ana"]);
});

test("no schema, or one without properties, gives no fields", () => {
  assert.deepEqual(optionFields(undefined), []);
  assert.deepEqual(optionFields({ type: "object", properties: {} }), []);
});

test("enums behind a $ref, booleans and floats are understood", () => {
  const schema = {
    $defs: { Level: { enum: ["A2", "B1"], title: "Level", type: "string" } },
    properties: {
      level: { $ref: "#/$defs/Level", default: "B1", description: "CEFR level." },
      hints: { default: true, type: "boolean" },
      speed: { default: 1.0, type: "number", minimum: 0.5 },
    },
    required: ["hints"],
    type: "object",
  };
  const [level, hints, speed] = optionFields(schema);
  assert.deepEqual([level.kind, level.choices, level.value, level.help], ["select", ["A2", "B1"], "B1", "CEFR level."]);
  assert.deepEqual([hints.kind, hints.value, hints.required], ["checkbox", true, true]);
  assert.deepEqual([speed.kind, speed.step, speed.min], ["number", "any", 0.5]);
});

test("read values are typed as the schema says; blank inputs are left to the server's default", () => {
  const fields = optionFields(INTERVIEW);
  const raw = { role: "backend engineer", questions: " 2 ", follow_ups: "", user: "  ana " };
  assert.deepEqual(readOptionValues(fields, raw), { role: "backend engineer", questions: 2, user: "ana" });
  assert.deepEqual(readOptionValues(fields, { user: "" }), {});
});

test("a choice is sent as the schema's own value, a checkbox as a boolean", () => {
  const fields = optionFields({
    properties: { level: { enum: [1, 2, 3], type: "integer" }, hints: { type: "boolean" } },
  });
  assert.deepEqual(readOptionValues(fields, { level: "2", hints: false }), { level: 2, hints: false });
});
