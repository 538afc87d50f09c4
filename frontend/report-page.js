// The session report page (report.html?thread=ID): progress charts across the learner's sessions
// (inline SVG from GET /api/sessions/{id}/progress), the final report, one card per graded answer
// and the transcript with heard/unheard and may-be-unclear marks.

import { exportUrl, getProgress, getSession, pageParams } from "./api.js";
import { humanize, plural } from "./format.js";
import { renderResult } from "./reading-view.js";
import { h, renderReport } from "./render.js";
import { markUnclear } from "./unclear.js";

const $ = (id) => document.getElementById(id);

/** Server-rendered chart markup → an SVG element (parsed as XML, never as HTML). */
function svgElement(markup) {
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  const svg = doc.documentElement;
  return svg.nodeName === "svg" ? document.importNode(svg, true) : h("p", { class: "muted" }, "none");
}

function renderCharts(progress) {
  const figures = progress && Array.isArray(progress.figures) ? progress.figures : [];
  if (!figures.length) return h("p", { class: "muted" }, "none");
  return h(
    "div",
    { class: "charts" },
    figures.map((f) =>
      h(
        "figure",
        { "data-chart": f.id, "data-points": f.points },
        h("figcaption", {}, f.title, f.note ? h("small", {}, ` (${f.note})`) : null),
        svgElement(f.svg),
      ),
    ),
  );
}

function renderTurn(turn) {
  const user = turn.role === "user";
  let said;
  if (!user && turn.interrupted) {
    const heard = turn.heard_text || "";
    const unheard = turn.text.startsWith(heard) ? turn.text.slice(heard.length) : turn.text;
    said = [heard, h("s", { class: "unheard", title: "not heard: interrupted" }, unheard), h("small", { class: "heard" }, " (interrupted)")];
  } else {
    said = markUnclear(turn.text, (turn.fluency && turn.fluency.unclear_words) || []);
  }
  return h("li", { class: user ? "user" : "agent" }, h("strong", {}, user ? "You: " : "Agent: "), said);
}

export function renderSessionReport(data, progress) {
  const info = data.session || {};
  const evaluations = Array.isArray(data.evaluations) ? data.evaluations : [];
  const turns = Array.isArray(data.turns) ? data.turns : [];
  const sessions = progress && Array.isArray(progress.sessions) ? progress.sessions.length : 0;
  return [
    h(
      "p",
      { class: "muted" },
      `${String(info.created_at || "").slice(0, 16).replace("T", " ")} · learner ${info.learner || "anonymous"} · ${info.status || ""} · `,
      h("code", {}, info.thread_id || ""),
    ),
    h("section", { id: "progress-charts" }, h("h2", {}, `Progress over ${plural(sessions, "session")}`), renderCharts(progress)),
    h(
      "section",
      { id: "final-report" },
      h("h2", {}, "Final report"),
      data.report ? renderReport(data.report) : h("p", { class: "muted" }, "none — the session has not been finished."),
    ),
    h(
      "section",
      { id: "answers" },
      h("h2", {}, `Answers (${evaluations.length})`),
      evaluations.length ? h("div", { class: "cards" }, evaluations.map((e) => renderResult(e.payload ?? e))) : h("p", { class: "muted" }, "none"),
    ),
    h(
      "section",
      { id: "transcript" },
      h("h2", {}, "Transcript"),
      turns.length ? h("ol", { class: "transcript" }, turns.map(renderTurn)) : h("p", { class: "muted" }, "none"),
    ),
  ];
}

async function main() {
  const threadId = pageParams.get("thread");
  const root = $("report");
  if (!threadId) {
    $("report-status").textContent = "No session given: open this page from the Sessions panel (report.html?thread=…).";
    return;
  }
  $("export-html").href = exportUrl(threadId, "html");
  $("export-md").href = exportUrl(threadId, "md");
  $("print").addEventListener("click", () => window.print());
  let data;
  let progress = null;
  try {
    [data, progress] = await Promise.all([getSession(threadId), getProgress(threadId).catch(() => null)]);
  } catch (err) {
    $("report-status").textContent = `Could not load the session (${err.message}).`;
    $("report-status").classList.add("problem");
    return;
  }
  const title = `${humanize((data.session && data.session.workflow) || "session")} report`;
  document.title = `${title} — Voice Agent`;
  $("report-heading").textContent = title;
  root.replaceChildren(...renderSessionReport(data, progress));
  root.dataset.loaded = "true";
}

main();
