// Unit tests for the in-memory per-turn audio (turn-audio.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { TurnAudio, wavBytes } from "../../../frontend/turn-audio.js";

/** Frames of 512 samples whose value is the sample's own index (mod 32768), as the page sends them. */
function feed(audio, seconds) {
  for (let i = 0; i < (seconds * 16000) / 512; i += 1) {
    const frame = new Int16Array(512).map((_, k) => (audio.total + k) % 32768);
    audio.push(frame.buffer);
  }
}

test("a turn's audio is its speech segments joined, as the server cut them", () => {
  const audio = new TurnAudio();
  feed(audio, 1.0);
  audio.speechStart(500); // sample 8000
  feed(audio, 1.0);
  audio.speechEnd(1500); // sample 24000
  audio.speechStart(1800);
  feed(audio, 0.5);
  audio.speechEnd(2000);
  audio.finish("t1");
  const turn = audio.turns.get("t1");
  assert.equal(turn.length, 16000 + 3200);
  assert.equal(turn[0], 8000);
  assert.equal(turn[16000], (28800) % 32768); // the second segment follows the first directly
});

test("one word is cut by its times, with a margin, inside the turn", () => {
  const audio = new TurnAudio();
  audio.speechStart(0);
  feed(audio, 2.0);
  audio.speechEnd(2000);
  audio.finish("t");
  const word = audio.word("t", 1.0, 1.25, 0.05);
  assert.equal(word.length, Math.ceil(1.3 * 16000) - Math.floor(0.95 * 16000));
  assert.equal(word[0], Math.floor(0.95 * 16000));
  assert.equal(audio.word("unknown", 0, 1), null);
});

test("old audio outside speech is not kept", () => {
  const audio = new TurnAudio();
  feed(audio, 70);
  assert.ok(audio.chunks[0].start >= 9 * 16000);
});

test("a WAV file has a RIFF header and the samples", () => {
  const bytes = wavBytes(new Int16Array([1, -2, 3]), 16000);
  assert.equal(bytes.length, 44 + 6);
  assert.equal(String.fromCharCode(...bytes.slice(0, 4)), "RIFF");
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint32(24, true), 16000);
  assert.equal(view.getInt16(46, true), -2);
});
