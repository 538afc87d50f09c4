// The Sessions panel (GET /api/sessions) and the report dialog (GET /api/sessions/{id}).

import { exportUrl, getSession, listSessions, token } from "./api.js";
import { h, renderEvaluation, renderReport, renderValue } from "./render.js";
import { toast } from "./ui.js";
import { workflowTitle } from "./workflow-form.js";

const $ = (id) => document.getElementById(id);

function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The report page of a session (report.html), with the page's token passed along. */
export function reportPageUrl(threadId) {
  const url = new URL("report.html", location.href);
  url.search = "";
  url.searchParams.set("thread", threadId);
  if (token) url.searchParams.set("token", token);
  return url.pathname + url.search;
}

/** List stored sessions; `onResume(session)` for the Resume buttons (disabled while `busy`). */
export async function refreshSessions({ busy, onResume }) {
  const list = $("sessions-list");
  let sessions;
  try {
    sessions = await listSessions();
  } catch (err) {
    list.replaceChildren(h("li", { class: "problem" }, `Could not load sessions (${err.message}).`));
    return;
  }
  if (!sessions.length) {
    list.replaceChildren(h("li", { class: "muted" }, "No sessions yet."));
    return;
  }
  list.replaceChildren(
    ...sessions.map((s) =>
      h(
        "li",
        { "data-thread": s.thread_id },
        h("div", { class: "row" }, h("strong", {}, workflowTitle(s.workflow)), h("span", { class: `badge ${s.status || ""}` }, s.status || "")),
        h(
          "div",
          { class: "muted small" },
          formatDate(s.updated_at || s.created_at),
          typeof s.turn_count === "number" ? ` · ${s.turn_count} turns` : "",
          " · ",
          h("code", { title: s.thread_id }, String(s.thread_id).slice(0, 8)),
        ),
        h(
          "div",
          { class: "row actions" },
          h("button", { type: "button", "data-resume": s.thread_id, disabled: busy, onclick: () => onResume(s) }, "Resume"),
          h("button", { type: "button", onclick: () => viewSession(s.thread_id) }, "Report"),
          h("a", { href: reportPageUrl(s.thread_id), target: "_blank", rel: "noopener" }, "Page"),
          h("a", { href: exportUrl(s.thread_id, "md"), download: `${s.thread_id}.md` }, "Export"),
        ),
      ),
    ),
  );
}

async function viewSession(threadId) {
  let data;
  try {
    data = await getSession(threadId);
  } catch (err) {
    toast(`Could not load the session (${err.message}).`, "error");
    return;
  }
  const info = data.session || data;
  const body = h("div", {});
  body.append(h("p", { class: "muted" }, `${formatDate(info.created_at)} · `, h("code", {}, threadId)));
  const report = data.report ?? data.summary;
  body.append(
    report ? h("section", {}, h("h3", {}, "Final report"), renderReport(report)) : h("p", { class: "muted" }, "No final report yet — the session has not been finished."),
  );
  const evaluations = Array.isArray(data.evaluations) ? data.evaluations : [];
  if (evaluations.length) {
    body.append(h("section", {}, h("h3", {}, "Feedback"), h("div", { class: "stack" }, evaluations.map((e) => renderEvaluation(e.payload ?? e)))));
  }
  const turnRows = Array.isArray(data.turns) ? data.turns : [];
  if (turnRows.length) {
    body.append(
      h(
        "section",
        {},
        h("h3", {}, "Transcript"),
        h(
          "ol",
          { class: "transcript" },
          turnRows.map((t) =>
            h(
              "li",
              { class: t.role === "user" ? "user" : "agent" },
              h("strong", {}, t.role === "user" ? "You: " : "Agent: "),
              t.interrupted && t.heard_text !== undefined ? [t.heard_text, h("small", { class: "heard" }, " (interrupted)")] : t.text,
            ),
          ),
        ),
      ),
    );
  }
  if (!report && !evaluations.length && !turnRows.length) body.append(renderValue(data));
  showReport(`${workflowTitle(info.workflow)} — ${info.status || "session"}`, body);
}

export function showReport(title, content) {
  $("report-title").textContent = title;
  $("report-body").replaceChildren(content);
  const dialog = $("report-dialog");
  if (!dialog.open) dialog.showModal();
}


$("report-close").addEventListener("click", () => $("report-dialog").close());
