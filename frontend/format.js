// Pure helpers (no DOM): labels, numbers, progress text, heard/unheard split, score bookkeeping.
// Unit-tested with `node --test tests/frontend/js`.

const LABELS = {
  wpm: "Words per minute",
  words_per_minute: "Words per minute",
  stt: "Speech-to-text",
  tts: "Text-to-speech",
  llm: "LLM",
  id: "ID",
  thread_id: "Thread",
  avg: "average",
  question_index: "No.",
};

/** "llm_first_token_ms" → "LLM first token (ms)". */
export function humanize(key) {
  if (LABELS[key]) return LABELS[key].charAt(0).toUpperCase() + LABELS[key].slice(1);
  let unit = "";
  let k = String(key);
  if (k.endsWith("_ms")) {
    unit = " (ms)";
    k = k.slice(0, -3);
  }
  const words = k
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => LABELS[w.toLowerCase()] || w.toLowerCase());
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

export function formatNumber(n) {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

/** question_index from the server already counts from one (0 = no question asked yet). */
export function questionNumber(index) {
  return Number(index);
}

/** True for values that have nothing to show: null, "", [], {}. */
export function isEmpty(v) {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v).length === 0;
}

/** A metric tile's text: "none" for empty values, never blank; words ({word, ...}) by their word. */
export function tileText(v) {
  if (isEmpty(v)) return "none";
  if (Array.isArray(v) && v.every((x) => x && typeof x === "object" && typeof x.word === "string")) {
    return v.map((x) => x.word).join(", ");
  }
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map(tileText).join(", ");
  if (typeof v === "object") {
    return Object.entries(v)
      .map(([k, x]) => (typeof x === "number" ? `${k} ×${formatNumber(x)}` : `${k}: ${tileText(x)}`))
      .join(", ");
  }
  return String(v);
}

/** RMS → 0..1 on a 60 dB scale. */
export function meterFraction(rms) {
  if (!(rms > 0)) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
}

export function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The same words, ignoring case and punctuation (a typed turn echoed back by the server). */
export function sameText(a, b) {
  const norm = (s) => String(s || "").toLowerCase().replace(/\W+/g, " ").trim();
  return norm(a) === norm(b);
}

/** Progress from a `state` message: {label, fraction} or null, and the extra line (level, field, phase). */
export function progressOf(msg) {
  let step = null;
  if (typeof msg.question_index === "number" && typeof msg.question_count === "number" && msg.question_count > 0) {
    step = { index: questionNumber(msg.question_index), count: msg.question_count, noun: "Question", plural: "questions" };
  } else if (typeof msg.turn_index === "number" && typeof msg.turns === "number" && msg.turns > 0) {
    step = { index: msg.turn_index, count: msg.turns, noun: "Turn", plural: "turns" };
  } else if (typeof msg.fields_done === "number" && typeof msg.fields === "number" && msg.fields > 0) {
    step = { index: msg.fields_done, count: msg.fields, done: "details collected" };
  }
  let bar = null;
  if (step) {
    const k = Math.max(0, Math.min(step.index, step.count));
    let label = k === 0 ? `${step.count} ${step.plural}` : `${step.noun} ${k} of ${step.count}`;
    if (step.done) label = `${k} of ${step.count} ${step.done}`;
    bar = { label, fraction: k / step.count };
  }
  const extra = [
    msg.level ? `Level ${msg.level}` : null,
    typeof msg.field === "string" ? `Asking for: ${humanize(msg.field).toLowerCase()}` : null,
    msg.phase && typeof msg.field !== "string" ? humanize(msg.phase) : null,
  ].filter(Boolean);
  return { bar, extra: extra.join(" · ") };
}

/** What of an interrupted utterance was heard: {heard, unheard} (unheard null when unknown). */
export function splitHeard(said, heardText) {
  const heard = String(heardText || "").trim();
  if (!heard) return { heard: "", unheard: said };
  if (said.startsWith(heard)) return { heard, unheard: said.slice(heard.length) };
  return { heard, unheard: null };
}

/** Add or re-grade one evaluation in `scores` ([{label, score}]); returns the average or null. */
export function upsertScore(scores, evaluation) {
  if (typeof evaluation.score !== "number") return null;
  const label =
    typeof evaluation.question_index === "number" ? `Q${questionNumber(evaluation.question_index)}` : `#${scores.length + 1}`;
  const existing = scores.find((s) => s.label === label);
  if (existing) existing.score = evaluation.score; // a re-graded answer
  else scores.push({ label, score: evaluation.score });
  return scores.reduce((sum, s) => sum + s.score, 0) / scores.length;
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The message for a getUserMedia failure. */
export function micProblem(err) {
  if (err.name === "NotAllowedError" || err.name === "SecurityError") {
    return "Microphone access was denied. Allow it in the browser's site settings and press Start again — or type your answers below.";
  }
  if (err.name === "NotFoundError" || err.name === "OverconstrainedError") {
    return "No microphone was found. Connect one and press Start again — or type your answers below.";
  }
  return `The microphone could not be opened (${err.message || err.name}). You can type instead.`;
}
