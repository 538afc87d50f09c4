// The insights panels: scores of graded answers, per-turn latency and tool calls.

import { getSession } from "./api.js";
import { formatNumber, humanize, median, upsertScore } from "./format.js";
import { h, renderWaterfall } from "./render.js";

const $ = (id) => document.getElementById(id);
const TOOL_LABELS = { start: "running…", end: "done", error: "failed" };

export class Scores {
  constructor() {
    this.scores = [];
    this.latencies = [];
    this.tools = new Map();
  }

  clear() {
    this.scores = [];
    this.latencies = [];
    this.tools.clear();
    $("scores").replaceChildren("No answers graded yet.");
    $("scores").classList.add("muted");
    $("latency").replaceChildren("Measured per turn once the agent answers.");
    $("latency").classList.add("muted");
    $("tools").replaceChildren(h("li", { class: "muted" }, "No tool calls yet."));
  }

  add(evaluation) {
    const avg = upsertScore(this.scores, evaluation);
    if (avg === null) return;
    const panel = $("scores");
    panel.classList.remove("muted");
    panel.replaceChildren(
      h("p", {}, "Average ", h("strong", {}, formatNumber(avg)), h("span", { class: "muted" }, ` over ${this.scores.length}`)),
      h("ul", { class: "score-list" }, this.scores.map((s) => h("li", {}, h("span", {}, s.label), h("strong", {}, formatNumber(s.score))))),
    );
  }

  /** After resuming a thread in a fresh page: the scores graded before, from the stored session. */
  async loadStored(threadId) {
    if (this.scores.length) return;
    try {
      const data = await getSession(threadId);
      for (const e of data.evaluations || []) this.add(e.payload ?? e);
    } catch {
      /* the scores panel is a convenience; the conversation goes on */
    }
  }

  /** `turn.metrics`: the latency panel; returns the waterfall details for the agent message. */
  metrics(msg) {
    const timed = typeof msg.response_ms === "number";
    if (timed) this.latencies.push(msg.response_ms);
    const panel = $("latency");
    panel.classList.remove("muted");
    const mid = median(this.latencies);
    panel.replaceChildren(
      h(
        "p",
        {},
        "Last turn: ",
        h("strong", {}, timed ? `${Math.round(msg.response_ms)} ms` : "—"),
        mid !== null ? h("span", { class: "muted" }, ` · median ${Math.round(mid)} ms over ${this.latencies.length}`) : null,
      ),
      renderWaterfall(msg),
    );
    if (!timed) return null;
    return h("details", { class: "latency" }, h("summary", {}, `responded in ${Math.round(msg.response_ms)} ms`), renderWaterfall(msg));
  }

  tool(msg) {
    const list = $("tools");
    const placeholder = list.querySelector(".muted");
    if (placeholder) placeholder.remove();
    const key = `${msg.turn_id}:${msg.name}`;
    let item = this.tools.get(key);
    if (!item || msg.status === "start") {
      item = h("li", {}, h("code", {}, msg.name), " ", h("span", { class: "tool-status" }));
      this.tools.set(key, item);
      list.prepend(item);
    }
    item.dataset.status = msg.status;
    item.querySelector(".tool-status").textContent = TOOL_LABELS[msg.status] || msg.status;
    return msg.status === "start" ? `Using ${humanize(msg.name).toLowerCase()}…` : null;
  }
}
