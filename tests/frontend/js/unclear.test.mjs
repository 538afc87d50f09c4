// Unit tests for the may-be-unclear marks (pure part of unclear.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { unclearTokens } from "../../../frontend/unclear.js";

test("unclear words are found by index, or else by the word itself", () => {
  const unclear = [
    { word: "weekend", index: 1, start: 0.8, end: 1.2 },
    { word: "market", index: 9, start: 2.0, end: 2.4 },
  ];
  const { tokens, marks } = unclearTokens("Last weekend, I went to the market.", unclear);
  assert.equal(tokens.length, 7);
  assert.deepEqual([...marks.keys()], [1, 6]);
  assert.equal(marks.get(6).start, 2.0);
});

test("no unclear words, no marks", () => {
  assert.equal(unclearTokens("Hello there", []).marks.size, 0);
  assert.equal(unclearTokens("", undefined).marks.size, 0);
});
