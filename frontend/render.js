// DOM helpers and renderers for evaluations, reports, latency waterfalls and generic JSON.

import { formatNumber, humanize, isEmpty, questionNumber, tileText } from "./format.js";

/** Create an element: h("p", {class: "x"}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export { formatNumber, humanize, questionNumber };

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isPrimitive(v) {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/** Any JSON value as readable HTML: lists, tables for lists of flat objects, definition lists. */
export function renderValue(value) {
  if (value === null || value === undefined || value === "") return h("span", { class: "muted" }, "—");
  if (typeof value === "number") return h("span", { class: "num" }, formatNumber(value));
  if (typeof value === "boolean") return document.createTextNode(value ? "yes" : "no");
  if (typeof value === "string") return document.createTextNode(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return h("span", { class: "muted" }, "none");
    if (value.every(isPrimitive)) return h("ul", { class: "plain-list" }, value.map((v) => h("li", {}, renderValue(v))));
    if (value.every((v) => isObject(v) && Object.values(v).every(isPrimitive))) return renderTable(value);
    return h("ol", { class: "plain-list" }, value.map((v) => h("li", {}, renderValue(v))));
  }
  if (isObject(value)) {
    if (isEmpty(value)) return h("span", { class: "muted" }, "none");
    return h(
      "dl",
      { class: "kv" },
      Object.entries(value).map(([k, v]) => [h("dt", {}, humanize(k)), h("dd", {}, renderValue(v))]),
    );
  }
  return document.createTextNode(String(value));
}

function renderTable(rows) {
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, humanize(c))))),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            {},
            columns.map((c) => {
              let v = row[c];
              if (c === "question_index" && typeof v === "number") v = questionNumber(v);
              const cls = typeof v === "number" ? "num" : typeof v === "string" && v.length > 40 ? "long" : null;
              return h("td", { class: cls }, renderValue(v));
            }),
          ),
        ),
      ),
    ),
  );
}

/** Numbers (and short lists) as stat tiles. */
function renderTiles(obj) {
  return h(
    "div",
    { class: "tiles" },
    Object.entries(obj).map(([k, v]) =>
      h(
        "div",
        { class: "tile" },
        h("div", { class: "tile-value" }, isEmpty(v) ? h("span", { class: "muted" }, "none") : tileText(v)),
        h("div", { class: "tile-label" }, humanize(k)),
      ),
    ),
  );
}

function scoreScale(values, explicit) {
  if (typeof explicit === "number" && explicit > 0) return explicit;
  const top = Math.max(0, ...values);
  return top <= 1 ? 1 : top <= 10 ? 10 : 100;
}

/** Criteria as labelled bars; accepts {name: score}, {name: {score, comment}} or [{name, score, comment}]. */
function renderCriteria(criteria, maxScore) {
  let rows = [];
  if (Array.isArray(criteria)) {
    rows = criteria.map((c) =>
      isObject(c)
        ? { name: c.name ?? c.criterion ?? c.label ?? "", score: c.score ?? c.value, note: c.comment ?? c.note ?? c.feedback }
        : { name: String(c), score: null },
    );
  } else if (isObject(criteria)) {
    rows = Object.entries(criteria).map(([name, v]) =>
      isObject(v) ? { name, score: v.score ?? v.value, note: v.comment ?? v.note ?? v.feedback } : { name, score: v },
    );
  }
  const scale = scoreScale(rows.map((r) => (typeof r.score === "number" ? r.score : 0)), maxScore);
  return h(
    "ul",
    { class: "criteria" },
    rows.map((r) =>
      h(
        "li",
        {},
        h("span", { class: "criterion-name" }, humanize(r.name)),
        typeof r.score === "number"
          ? [
              h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${Math.min(100, (100 * r.score) / scale)}%` })),
              h("span", { class: "num" }, `${formatNumber(r.score)}/${scale}`),
            ]
          : r.score !== null && r.score !== undefined
            ? h("span", {}, renderValue(r.score))
            : null,
        r.note ? h("div", { class: "criterion-note" }, r.note) : null,
      ),
    ),
  );
}

const BETTER_KEYS = ["better_phrasing", "better_answer", "suggested_answer", "model_answer", "rewrite", "corrected", "correction", "suggestion"];
const METRIC_KEYS = ["metrics", "fluency"];
const LIST_KEYS = { strengths: "Strengths", improvements: "To improve", mistakes: "Mistakes", corrections: "Corrections", tips: "Tips" };
const MAX_KEYS = ["max_score", "score_max", "out_of", "scale"];
const HIDDEN_KEYS = new Set([
  "type", "workflow", "turn_id", "thread_id", "question_index", "question_count", "question_id", "kind",
  "competency", "score", "question", "turn_index", "turns", "field", "valid", ...MAX_KEYS,
]);

/** One graded answer (interview) or progress update (english practice). */
export function renderEvaluation(ev) {
  const maxScore = MAX_KEYS.map((k) => ev[k]).find((v) => typeof v === "number");
  let title = "Feedback";
  if (typeof ev.question_index === "number") {
    title += ` — question ${questionNumber(ev.question_index)}${typeof ev.question_count === "number" ? ` of ${ev.question_count}` : ""}`;
  } else if (typeof ev.turn_index === "number") {
    title += ` — turn ${ev.turn_index}${typeof ev.turns === "number" ? ` of ${ev.turns}` : ""}`;
  } else if (typeof ev.field === "string") {
    title = `${humanize(ev.field)}${ev.valid === true ? " ✓" : ev.valid === false ? " — needs another try" : ""}`;
  }
  const card = h(
    "article",
    { class: "card evaluation" },
    h(
      "header",
      {},
      h("h3", {}, title),
      typeof ev.score === "number"
        ? h("span", { class: "score", title: "Score" }, formatNumber(ev.score), maxScore ? h("small", {}, `/${maxScore}`) : null)
        : null,
    ),
    typeof ev.question === "string" || ev.competency
      ? h("p", { class: "muted question" }, ev.competency ? h("span", { class: "tag" }, humanize(ev.competency)) : null, " ", ev.question || "")
      : null,
  );
  for (const [key, value] of Object.entries(ev)) {
    if (HIDDEN_KEYS.has(key) || isEmpty(value)) continue;
    if (key === "criteria") card.append(section("Criteria", renderCriteria(value, maxScore)));
    else if (LIST_KEYS[key] && Array.isArray(value) && value.every(isPrimitive)) {
      if (value.length) card.append(section(LIST_KEYS[key], h("ul", { class: `marks ${key}` }, value.map((v) => h("li", {}, renderValue(v))))));
    } else if (BETTER_KEYS.includes(key) && typeof value === "string") {
      card.append(section(humanize(key), h("blockquote", {}, value)));
    } else if (METRIC_KEYS.includes(key) && isObject(value)) {
      card.append(section(key === "fluency" ? "Fluency" : "Metrics", renderTiles(value)));
    } else {
      card.append(section(humanize(key), renderValue(value)));
    }
  }
  return card;
}

function section(title, body, level = "h4") {
  return h("section", { class: "sub" }, h(level, {}, title), body);
}

const LEAD_KEYS = ["summary", "spoken_summary", "overall", "feedback"];

/** The final report (`session.ended` summary or a stored report), rendered generically. */
export function renderReport(summary) {
  const root = h("div", { class: "report" });
  if (!isObject(summary)) {
    root.append(renderValue(summary));
    return root;
  }
  const numbers = {};
  const facts = [];
  const rest = [];
  for (const [key, value] of Object.entries(summary)) {
    if (key === "type" || key === "thread_id" || value === null || value === undefined) continue;
    if (typeof value === "number") numbers[key] = value;
    else if (typeof value === "string" && !LEAD_KEYS.includes(key) && value.split(/\s+/).length <= 3) facts.push([key, value]);
    else rest.push([key, value]);
  }
  for (const key of LEAD_KEYS) {
    if (typeof summary[key] === "string" && summary[key]) root.append(h("p", { class: "lead" }, summary[key]));
  }
  if (facts.length) {
    root.append(h("p", { class: "facts" }, facts.map(([k, v]) => h("span", { class: "tag" }, `${humanize(k)}: ${humanize(v)}`))));
  }
  if (Object.keys(numbers).length) root.append(renderTiles(numbers));
  for (const [key, value] of rest) {
    if (LEAD_KEYS.includes(key) && typeof value === "string") continue;
    if (typeof value === "string") {
      root.append(section(humanize(key), h("p", {}, value), "h3"));
    } else if (isObject(value) && Object.values(value).every((v) => typeof v === "number")) {
      if (Object.keys(value).length) root.append(section(humanize(key), renderTiles(value), "h3"));
    } else if (Array.isArray(value) && value.length && value.every(isObject) && value.some((v) => "score" in v)) {
      root.append(section(humanize(key), renderScoreTable(value), "h3"));
      if (!value.every((v) => Object.values(v).every(isPrimitive))) {
        root.append(h("details", { class: "per-item" }, h("summary", {}, "Feedback per item"), h("div", { class: "stack" }, value.map(renderEvaluation))));
      }
    } else if (LIST_KEYS[key] && Array.isArray(value) && value.every(isPrimitive)) {
      if (value.length) root.append(section(LIST_KEYS[key], h("ul", { class: `marks ${key}` }, value.map((v) => h("li", {}, renderValue(v)))), "h3"));
    } else if (Array.isArray(value) && value.length && value.every(isObject) && !value.every((v) => Object.values(v).every(isPrimitive))) {
      // e.g. the evaluations of every turn: one card each, folded away
      root.append(
        section(humanize(key), h("details", { class: "per-item" }, h("summary", {}, `${value.length} item${value.length === 1 ? "" : "s"}`), h("div", { class: "stack" }, value.map(renderEvaluation))), "h3"),
      );
    } else if (!(Array.isArray(value) && value.length === 0)) {
      root.append(section(humanize(key), renderValue(value), "h3"));
    }
  }
  return root;
}

/** Per-question (or per-item) scores: the flat fields plus numeric criteria as columns. */
function renderScoreTable(items) {
  const rows = items.map((item) => {
    const row = {};
    for (const [k, v] of Object.entries(item)) {
      if (k === "question_id" || k === "type" || k === "turn_id") continue;
      if (isPrimitive(v)) row[k] = v;
      else if (k === "criteria" && isObject(v)) {
        for (const [c, score] of Object.entries(v)) if (typeof score === "number") row[c] = score;
      }
    }
    return row;
  });
  return renderTable(rows);
}

const WATERFALL = [
  ["endpoint_ms", "Endpoint"],
  ["stt_ms", "Speech-to-text"],
  ["llm_first_token_ms", "LLM first token"],
  ["first_sentence_ms", "First sentence"],
  ["tts_first_audio_ms", "TTS first audio"],
  ["response_ms", "Response"],
];

/** A turn's latency waterfall as horizontal bars. */
export function renderWaterfall(metrics) {
  const rows = WATERFALL.filter(([k]) => typeof metrics[k] === "number");
  for (const [k, v] of Object.entries(metrics)) {
    if (k.endsWith("_ms") && typeof v === "number" && !rows.some(([key]) => key === k)) rows.push([k, humanize(k).replace(" (ms)", "")]);
  }
  const top = Math.max(1, ...rows.map(([k]) => metrics[k]));
  return h(
    "ul",
    { class: "waterfall" },
    rows.map(([k, label]) =>
      h(
        "li",
        { class: k === "response_ms" ? "total" : null },
        h("span", { class: "wf-label" }, label),
        h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${(100 * metrics[k]) / top}%` })),
        h("span", { class: "num" }, `${Math.round(metrics[k])} ms`),
      ),
    ),
  );
}
