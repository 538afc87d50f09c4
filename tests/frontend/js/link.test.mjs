// Unit tests for what the two transports share (link.js) and the level meter's RMS (audio.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { analyserLevel } from "../../../frontend/audio.js";
import { EventLink, parseEvent } from "../../../frontend/link.js";

class TextLink extends EventLink {
  constructor(callbacks) {
    super(callbacks);
    this.isOpen = false;
    this.sent = [];
  }

  sendText(text) {
    this.sent.push(text);
  }
}

test("parseEvent keeps JSON objects with a string type and drops the rest", () => {
  assert.deepEqual(parseEvent('{"type": "transcript", "text": "hi"}'), { type: "transcript", text: "hi" });
  for (const bad of ["not json", "null", "42", '"text"', '{"type": 3}', "{}", "[]"]) {
    assert.equal(parseEvent(bad), null, bad);
  }
});

test("receive passes good events on, drops bad ones, and a pong sets the round-trip time", () => {
  const got = [];
  const link = new TextLink({ onMessage: (msg) => got.push(msg) });
  link.receive("{broken");
  link.receive('{"type": 1}');
  assert.deepEqual(got, []);
  assert.equal(link.rttMs, null);
  link.receive(JSON.stringify({ type: "pong", t: Date.now() - 50 }));
  assert.equal(got.length, 1);
  assert.ok(link.rttMs >= 50, `rtt ${link.rttMs}`);
});

test("send writes JSON only while open", () => {
  const link = new TextLink({});
  assert.equal(link.send({ type: "ping" }), false);
  assert.deepEqual(link.sent, []);
  link.isOpen = true;
  assert.equal(link.send({ type: "text", text: "hello" }), true);
  assert.deepEqual(link.sent.map((t) => JSON.parse(t)), [{ type: "text", text: "hello" }]);
});

test("opened reports, lets the page start, then pings at once; stopPing ends the timer", () => {
  const order = [];
  const link = new TextLink({
    onStatus: (state) => order.push(state),
    onOpen: () => order.push("start"),
  });
  link.isOpen = true;
  link.opened();
  assert.deepEqual(order, ["open", "start"]);
  assert.equal(JSON.parse(link.sent[0]).type, "ping");
  assert.notEqual(link.pingTimer, null);
  link.stopPing();
  assert.equal(link.pingTimer, null);
});

test("analyserLevel is the RMS of the analyser's samples, 0 without one", () => {
  const analyser = { getFloatTimeDomainData: (buffer) => buffer.set([0.5, -0.5, 0.5, -0.5]) };
  assert.equal(analyserLevel(analyser, new Float32Array(4)), 0.5);
  assert.equal(analyserLevel(null, new Float32Array(4)), 0);
});
