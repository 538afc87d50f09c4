// Unit tests for the page's pure helpers (node --test; no browser, no build step).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  formatNumber,
  humanize,
  isEmpty,
  median,
  meterFraction,
  micProblem,
  progressOf,
  sameText,
  splitHeard,
  tileText,
  upsertScore,
} from "../../../frontend/format.js";

test("humanize turns keys into labels with units", () => {
  assert.equal(humanize("llm_first_token_ms"), "LLM first token (ms)");
  assert.equal(humanize("wpm"), "Words per minute");
  assert.equal(humanize("fillers_per_100_words"), "Fillers per 100 words");
  assert.equal(humanize("pauseRatio"), "Pause ratio");
});

test("numbers are rounded to two decimals, integers kept", () => {
  assert.equal(formatNumber(7), "7");
  assert.equal(formatNumber(7.456), "7.46");
});

test("empty metrics render as none, never blank", () => {
  for (const empty of [null, undefined, "", [], {}]) {
    assert.ok(isEmpty(empty));
    assert.equal(tileText(empty), "none");
  }
  assert.equal(tileText(0), "0");
  assert.equal(tileText({ um: 2, like: 1 }), "um ×2, like ×1");
  assert.equal(tileText(["a", "b"]), "a, b");
  assert.equal(tileText([{ word: "weekend", start: 0.8, end: 1.2 }]), "weekend");
  assert.ok(!isEmpty(0));
});

test("the meter maps RMS to 0..1 on a 60 dB scale", () => {
  assert.equal(meterFraction(0), 0);
  assert.equal(meterFraction(-1), 0);
  assert.equal(meterFraction(1), 1);
  assert.ok(Math.abs(meterFraction(0.001) - 0) < 1e-9);
  assert.ok(Math.abs(meterFraction(0.0316) - 0.5) < 0.01);
});

test("median of latencies", () => {
  assert.equal(median([]), null);
  assert.equal(median([300, 100, 200]), 200);
  assert.equal(median([4, 1, 3, 2]), 3);
});

test("a typed turn matches its echo regardless of case and punctuation", () => {
  assert.ok(sameText("Hello, world!", "hello world"));
  assert.ok(!sameText("hello", "hello there"));
});

test("progress of interview, practice and intake", () => {
  assert.deepEqual(progressOf({ question_index: 2, question_count: 5 }).bar, { label: "Question 2 of 5", fraction: 0.4 });
  assert.deepEqual(progressOf({ question_index: 0, question_count: 5 }).bar, { label: "5 questions", fraction: 0 });
  assert.equal(progressOf({ turn_index: 9, turns: 6 }).bar.label, "Turn 6 of 6");
  assert.equal(progressOf({ fields_done: 1, fields: 4 }).bar.label, "1 of 4 details collected");
  assert.equal(progressOf({ level: "B2", phase: "talking" }).extra, "Level B2 · Talking");
  assert.equal(progressOf({ field: "email_address", phase: "asking" }).extra, "Asking for: email address");
  assert.equal(progressOf({}).bar, null);
});

test("an interrupted utterance splits into heard and unheard", () => {
  assert.deepEqual(splitHeard("Tell me about a project.", "Tell me"), { heard: "Tell me", unheard: " about a project." });
  assert.deepEqual(splitHeard("Tell me.", ""), { heard: "", unheard: "Tell me." });
  assert.deepEqual(splitHeard("Tell me.", "something else"), { heard: "something else", unheard: null });
});

test("scores: one per question, a re-graded answer replaces its score", () => {
  const scores = [];
  assert.equal(upsertScore(scores, { question_index: 1, score: 6 }), 6);
  assert.equal(upsertScore(scores, { question_index: 2, score: 8 }), 7);
  assert.equal(upsertScore(scores, { question_index: 1, score: 10 }), 9);
  assert.equal(upsertScore(scores, { level: "B1" }), null);
  assert.deepEqual(scores.map((s) => s.label), ["Q1", "Q2"]);
});

test("microphone failures get a message that says what to do", () => {
  assert.match(micProblem({ name: "NotAllowedError" }), /denied/);
  assert.match(micProblem({ name: "NotFoundError" }), /No microphone/);
  assert.match(micProblem({ name: "AbortError", message: "busy" }), /busy/);
});
