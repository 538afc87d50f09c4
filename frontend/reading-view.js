// A read-aloud result (evaluation with exercise "read_aloud"): the target sentence word by word,
// each marked ok / missed / substituted / unclear, then accuracy, speaking rate and what was added.

import { formatNumber } from "./format.js";
import { h, renderEvaluation } from "./render.js";

const STATUS = { ok: "read", missed: "left out", substituted: "said differently", unclear: "may be unclear" };

function word(w) {
  const said = w.status === "substituted" && w.heard ? ` — you said “${w.heard}”` : "";
  const when = typeof w.start === "number" ? ` (${w.start.toFixed(1)}–${w.end.toFixed(1)} s)` : "";
  return h("span", { class: `read-word ${w.status}`, "data-status": w.status, title: `${STATUS[w.status] || w.status}${said}${when}` }, w.word);
}

/** The card for one reading; any other evaluation is rendered by render.js. */
export function renderResult(ev) {
  if (ev.exercise !== "read_aloud" || !Array.isArray(ev.words)) return renderEvaluation(ev);
  const percent = Math.round(100 * (ev.accuracy || 0));
  const facts = [
    `${percent}% of the words read`,
    typeof ev.wpm === "number" ? `${formatNumber(ev.wpm)} words per minute` : null,
    ev.attempt > 1 ? "second try" : null,
  ].filter(Boolean);
  const extra = (ev.insertions || []).length ? h("p", { class: "muted" }, `Added: ${ev.insertions.join(", ")}`) : null;
  return h(
    "article",
    { class: "card evaluation reading", "data-accuracy": ev.accuracy },
    h("header", {}, h("h3", {}, `Read aloud — sentence ${ev.turn_index ?? ""}`), h("span", { class: "score", title: "Accuracy" }, `${percent}%`)),
    h("p", { class: "read-target" }, ev.words.flatMap((w, i) => (i ? [" ", word(w)] : [word(w)]))),
    h("p", { class: "muted" }, facts.join(" · ")),
    extra,
  );
}
