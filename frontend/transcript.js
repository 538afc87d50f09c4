// The conversation log: user and agent messages, interrupted speech with heard/unheard marks,
// evaluations, dividers and the typed-message echo.

import { sameText, splitHeard } from "./format.js";
import { renderResult } from "./reading-view.js";
import { h } from "./render.js";
import { markUnclear } from "./unclear.js";

const $ = (id) => document.getElementById(id);

export class Transcript {
  constructor() {
    this.turns = new Map(); // "user:<turn>" / "agent:<turn>" -> log item
    this.spans = new Map(); // utterance_id -> span
    this.typedPending = null; // user item shown for a typed message, awaiting its turn id
  }

  clear() {
    $("log").replaceChildren();
    this.turns.clear();
    this.spans.clear();
    this.typedPending = null;
    this.updateEmpty();
  }

  /** A user transcript (partial or final) for `turn_id`. */
  userText(msg) {
    const key = `user:${msg.turn_id}`;
    let item = this.turns.get(key);
    if (!item && msg.final && this.typedPending && sameText(this.typedPending.dataset.text, msg.text)) {
      item = this.typedPending; // the server echoes our typed turn
      this.typedPending = null;
    }
    if (!item) item = this.addMessage("user", msg.turn_id);
    this.turns.set(key, item);
    item.querySelector(".text").textContent = msg.text;
    item.classList.toggle("partial", !msg.final);
  }

  typed(text) {
    const item = this.addMessage("user", null);
    item.classList.add("typed");
    item.dataset.text = text;
    item.querySelector(".text").textContent = text;
    this.typedPending = item;
  }

  agentItem(turnId, utteranceId) {
    const key = `agent:${turnId ?? `u${utteranceId}`}`;
    let item = this.turns.get(key);
    if (!item) {
      item = this.addMessage("agent", turnId);
      this.turns.set(key, item);
    }
    return item;
  }

  agentText(msg) {
    const item = this.agentItem(msg.turn_id, msg.utterance_id);
    const text = item.querySelector(".text");
    let span = this.spans.get(msg.utterance_id);
    if (span) {
      span.textContent = `${span.textContent} ${msg.text}`; // another chunk of the same utterance
    } else {
      span = h("span", { class: "utt", "data-utterance": msg.utterance_id }, msg.text);
      if (text.childNodes.length) text.append(" ");
      text.append(span);
      this.spans.set(msg.utterance_id, span);
    }
    this.scroll();
  }

  /** Mark what of an interrupted utterance was not heard. */
  interrupted(msg) {
    const span = this.spans.get(msg.utterance_id);
    if (!span || span.classList.contains("interrupted")) return;
    const said = span.textContent;
    const { heard, unheard } = splitHeard(said, msg.heard_text);
    span.classList.add("interrupted");
    span.title = "Interrupted";
    if (unheard !== null) span.replaceChildren(heard, h("s", { class: "unheard" }, unheard));
    span.after(h("small", { class: "heard" }, heard ? `interrupted — you heard: “${heard}”` : "interrupted before you heard it"));
  }

  /** The user message's meta line for `turnId`. */
  userMeta(turnId) {
    const item = this.turns.get(`user:${turnId}`);
    return item ? item.querySelector(".meta") : null;
  }

  /** Mark a user message's words that may be unclear (`replay(u)` plays one, when given). */
  markUnclear(turnId, unclear, replay) {
    const item = this.turns.get(`user:${turnId}`);
    if (!item) return;
    const text = item.querySelector(".text");
    text.replaceChildren(...[markUnclear(text.textContent, unclear, replay)].flat());
  }

  /** The agent message's meta line for `turnId` (latency details go there). */
  meta(turnId) {
    const item = this.turns.get(`agent:${turnId}`);
    return item ? item.querySelector(".meta") : null;
  }

  evaluation(msg) {
    $("log").append(h("li", { class: "item eval" }, renderResult(msg)));
    this.scroll();
  }

  append(item) {
    $("log").append(item);
    this.updateEmpty();
    this.scroll();
  }

  addMessage(role, turnId) {
    const item = h(
      "li",
      { class: `item msg ${role}`, "data-turn": turnId ?? null },
      h("div", { class: "who" }, role === "user" ? "You" : "Agent"),
      h("div", { class: "bubble" }, h("p", { class: "text" })),
      h("div", { class: "meta" }),
    );
    this.append(item);
    return item;
  }

  history(entries) {
    for (const entry of entries) {
      const role = entry.role === "user" || entry.role === "human" ? "user" : "agent";
      const item = this.addMessage(role, null);
      item.classList.add("history");
      item.querySelector(".text").textContent = entry.text ?? "";
    }
  }

  divider(text) {
    this.append(h("li", { class: "item divider", role: "separator" }, h("span", {}, text)));
  }

  updateEmpty() {
    $("empty").hidden = $("log").children.length > 0;
  }

  scroll() {
    const log = $("log");
    log.scrollTop = log.scrollHeight;
  }
}
