// The voice agent page: wires the workflow form, microphone, WebSocket and playback together
// and renders the conversation. Protocol: docs/protocol.md. HTTP API: docs/CONTRACTS.md.

import { getSession, pageParams, token } from "./api.js";
import { Mic, Player } from "./audio.js";
import { Connection, voiceSocketUrl } from "./connection.js";
import { formatNumber, h, humanize, questionNumber, renderEvaluation, renderReport, renderWaterfall } from "./render.js";
import { refreshSessions, showReport } from "./sessions.js";
import { hideBanner, indicatorState, setIndicator, showBanner, toast } from "./ui.js";
import { loadWorkflows, readOptions, selectWorkflow, workflowTitle } from "./workflow-form.js";

const $ = (id) => document.getElementById(id);
const RAW_AUDIO = pageParams.get("raw") === "1";
const CAPTURE_RATE = 16000;
/** Errors that, before `session.started`, mean this start cannot succeed by retrying. */
const START_ERRORS = new Set(["unknown_thread", "unknown_workflow", "bad_field", "already_started", "not_started"]);

/** Counters read by the browser tests. */
const stats = { framesSent: 0, micRms: 0, bytesReceived: 0, playedSamples: 0, utterances: 0, interruptions: 0 };

const session = {
  active: false, // Start pressed, not yet stopped or ended
  started: false, // session.started received on the current socket
  reconnecting: false,
  finishing: false,
  threadId: null,
  workflow: null,
  options: {},
  speakingId: null, // utterance whose audio frames are arriving
  pending: new Set(), // utterances queued for playback, not yet reported
  muted: false,
  scores: [],
  latencies: [],
};

let conn = null;
let mic = null;
let micLevel = 0;
let meterTimer = null;
const turns = new Map(); // "user:<turn>" / "agent:<turn>" -> log item
const utteranceSpans = new Map(); // utterance_id -> span
const toolItems = new Map();
let typedPending = null; // user item shown for a typed message, awaiting its turn id

const player = new Player({
  onFinished: reportPlayback,
  onProgress: (n) => {
    stats.playedSamples = n;
  },
});

window.voiceAgent = {
  stats,
  session,
  get rttMs() {
    return conn ? conn.rttMs : null;
  },
};

// ---------------------------------------------------------------- session lifecycle

async function start(resumeId = null) {
  if (session.active) return;
  const form = $("setup-form");
  if (!form.reportValidity()) return;
  const threadId = resumeId || $("resume-id").value.trim() || null;
  Object.assign(session, {
    active: true,
    started: false,
    reconnecting: false,
    finishing: false,
    threadId,
    workflow: $("workflow").value,
    options: readOptions(),
    speakingId: null,
    scores: [],
    latencies: [],
  });
  session.pending.clear();
  clearConversation();
  hideBanner();
  setControls();
  setIndicator("connecting");
  await openMic();
  if (!session.active) {
    closeMic(); // stopped while the permission prompt was open
    return;
  }
  conn = new Connection({
    url: voiceSocketUrl(token),
    onOpen: sendStart,
    onMessage: handleMessage,
    onAudio: handleAudio,
    onStatus: handleConnStatus,
  });
  conn.connect();
  meterTimer = setInterval(updateMeters, 80);
}

function sendStart() {
  session.started = false;
  conn.send({
    type: "session.start",
    workflow: session.workflow,
    thread_id: session.threadId,
    sample_rate: CAPTURE_RATE,
    options: session.options,
  });
}

/** Stop talking to the server; the thread stays resumable. */
function stopSession() {
  session.active = false;
  session.started = false;
  session.reconnecting = false;
  session.finishing = false;
  if (conn) conn.close();
  conn = null;
  dropPlayback();
  closeMic();
  clearInterval(meterTimer);
  micLevel = 0;
  updateMeters();
  setControls();
  setIndicator("idle");
  refreshSessionList();
}

function finishSession() {
  if (!session.started || session.finishing) return;
  session.finishing = true;
  conn.send({ type: "session.end" });
  setIndicator("thinking", "Preparing your report…");
  setControls();
}

function setControls() {
  const { active, started, finishing } = session;
  $("start").disabled = active;
  $("stop").disabled = !active;
  $("finish").disabled = !started || finishing;
  $("workflow").disabled = active;
  $("resume-id").disabled = active;
  for (const el of $("options").querySelectorAll("input, select")) el.disabled = active;
  $("text-input").disabled = !started;
  $("text-form").querySelector("button").disabled = !started;
  $("mute").disabled = !active || !mic;
  $("copy-thread").disabled = !session.threadId;
  for (const b of document.querySelectorAll("[data-resume]")) b.disabled = active;
}

// ---------------------------------------------------------------- microphone

async function openMic() {
  setMicStatus("");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    setMicStatus("This page cannot use a microphone here (it needs https or localhost). You can type instead.", true);
    return;
  }
  try {
    mic = await Mic.open({ raw: RAW_AUDIO, onFrame });
    mic.muted = session.muted;
    setMicStatus(RAW_AUDIO ? "Microphone on (raw: no echo cancellation)." : "Microphone on.");
  } catch (err) {
    mic = null;
    let text;
    if (err.name === "NotAllowedError" || err.name === "SecurityError") {
      text = "Microphone access was denied. Allow it in the browser's site settings and press Start again — or type your answers below.";
    } else if (err.name === "NotFoundError" || err.name === "OverconstrainedError") {
      text = "No microphone was found. Connect one and press Start again — or type your answers below.";
    } else {
      text = `The microphone could not be opened (${err.message || err.name}). You can type instead.`;
    }
    setMicStatus(text, true);
    showBanner(text, "warn");
  }
  setControls();
}

function closeMic() {
  if (mic) mic.close();
  mic = null;
}

function onFrame(pcm, rms) {
  if (rms > stats.micRms) stats.micRms = rms;
  micLevel = Math.max(rms, micLevel * 0.8);
  // Muted frames are silence (the track is disabled) and still flow: the server's clock is the audio.
  if (session.started && conn && conn.sendAudio(pcm)) stats.framesSent += 1;
}

function setMicStatus(text, problem = false) {
  const el = $("mic-status");
  el.textContent = text;
  el.classList.toggle("problem", problem);
}

/** RMS → 0..1 on a 60 dB scale. */
function meterFraction(rms) {
  if (rms <= 0) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
}

function updateMeters() {
  const micFraction = meterFraction(session.muted ? 0 : micLevel);
  micLevel *= 0.8;
  $("mic-meter").style.width = `${micFraction * 100}%`;
  $("mic-meter").parentElement.setAttribute("aria-valuenow", String(Math.round(micFraction * 100)));
  $("out-meter").style.width = `${meterFraction(player.level()) * 100}%`;
}

// ---------------------------------------------------------------- playback

function handleAudio(buffer) {
  stats.bytesReceived += buffer.byteLength;
  if (session.speakingId !== null) player.push(session.speakingId, buffer);
}

function reportPlayback(id, playedSamples) {
  if (!session.pending.delete(id)) return; // from an earlier connection
  const rate = player.sampleRate || 1;
  if (conn) conn.send({ type: "playback", utterance_id: id, played_ms: Math.round((playedSamples * 1000) / rate) });
  if (session.pending.size === 0 && session.speakingId === null && indicatorState() === "speaking") setIndicator(listeningState());
}

/** Forget queued audio without reporting it (the socket it belonged to is gone). */
function dropPlayback() {
  session.pending.clear();
  session.speakingId = null;
  player.flush();
}

// ---------------------------------------------------------------- server messages

const handlers = {
  "session.started": onSessionStarted,
  vad: onVad,
  transcript: onTranscript,
  "agent.text": onAgentText,
  "agent.audio_start": onAudioStart,
  "agent.audio_end": onAudioEnd,
  interrupted: onInterrupted,
  state: onState,
  tool: onTool,
  "turn.metrics": onMetrics,
  evaluation: onEvaluation,
  "session.ended": onSessionEnded,
  error: onError,
  pong: () => {
    if (conn && conn.rttMs !== null) $("rtt").textContent = `${conn.rttMs} ms`;
  },
};

function handleMessage(msg) {
  const handler = handlers[msg.type];
  if (handler) handler(msg); // unknown types are ignored
}

function onSessionStarted(msg) {
  const wasReconnecting = session.reconnecting;
  Object.assign(session, { started: true, reconnecting: false, threadId: msg.thread_id });
  $("thread-id").textContent = msg.thread_id;
  player.ensure(msg.output_sample_rate || 22050);
  const history = Array.isArray(msg.history) ? msg.history : [];
  if (wasReconnecting) {
    hideBanner();
    toast("Reconnected — resumed the same conversation.");
    addDivider(`Reconnected · resumed thread with ${history.length} earlier message${history.length === 1 ? "" : "s"}`);
  } else if (msg.resumed) {
    if (history.length) renderHistory(history);
    if (session.scores.length === 0) loadStoredScores(msg.thread_id);
    addDivider(`Resumed thread · ${history.length} earlier message${history.length === 1 ? "" : "s"}`);
  }
  setControls();
  setIndicator(listeningState());
  refreshSessionList();
}

function onVad(msg) {
  if (msg.event === "speech_start") {
    setIndicator("hearing");
  } else if (msg.event === "speech_end" && indicatorState() === "hearing") {
    setIndicator(listeningState());
  }
}

function onTranscript(msg) {
  const key = `user:${msg.turn_id}`;
  let item = turns.get(key);
  if (!item && msg.final && typedPending && sameText(typedPending.dataset.text, msg.text)) {
    item = typedPending; // the server echoes our typed turn
    typedPending = null;
  }
  if (!item) item = addMessage("user", msg.turn_id);
  turns.set(key, item);
  item.querySelector(".text").textContent = msg.text;
  item.classList.toggle("partial", !msg.final);
  if (msg.final) setIndicator("thinking");
}

function sameText(a, b) {
  const norm = (s) => String(s || "").toLowerCase().replace(/\W+/g, " ").trim();
  return norm(a) === norm(b);
}

function agentItem(turnId, utteranceId) {
  const key = `agent:${turnId ?? `u${utteranceId}`}`;
  let item = turns.get(key);
  if (!item) {
    item = addMessage("agent", turnId);
    turns.set(key, item);
  }
  return item;
}

function onAgentText(msg) {
  const item = agentItem(msg.turn_id, msg.utterance_id);
  const text = item.querySelector(".text");
  let span = utteranceSpans.get(msg.utterance_id);
  if (span) {
    span.textContent = `${span.textContent} ${msg.text}`; // another chunk of the same utterance
  } else {
    span = h("span", { class: "utt", "data-utterance": msg.utterance_id }, msg.text);
    if (text.childNodes.length) text.append(" ");
    text.append(span);
    utteranceSpans.set(msg.utterance_id, span);
  }
  scrollLog();
}

function onAudioStart(msg) {
  stats.utterances += 1;
  session.speakingId = msg.utterance_id;
  session.pending.add(msg.utterance_id);
  player.begin(msg.utterance_id);
  setIndicator("speaking");
}

function onAudioEnd(msg) {
  player.end(msg.utterance_id);
  if (session.speakingId === msg.utterance_id) session.speakingId = null;
}

function onInterrupted(msg) {
  stats.interruptions += 1;
  player.flush(); // reports what was played of every queued utterance
  if (session.speakingId === msg.utterance_id) session.speakingId = null;
  const span = utteranceSpans.get(msg.utterance_id);
  if (span && !span.classList.contains("interrupted")) {
    const said = span.textContent;
    const heard = (msg.heard_text || "").trim();
    span.classList.add("interrupted");
    span.title = "Interrupted";
    if (heard && said.startsWith(heard)) {
      span.replaceChildren(heard, h("s", { class: "unheard" }, said.slice(heard.length)));
    } else if (!heard) {
      span.replaceChildren(h("s", { class: "unheard" }, said));
    }
    span.after(h("small", { class: "heard" }, heard ? `interrupted — you heard: “${heard}”` : "interrupted before you heard it"));
  }
  setIndicator("hearing");
}

/** Progress from `state`: interview questions (question_index / question_count, counted from 1)
 * practice turns (turn_index / turns) or intake fields (fields_done / fields); phase, level, field. */
function onState(msg) {
  const box = $("progress");
  let step = null;
  if (typeof msg.question_index === "number" && typeof msg.question_count === "number" && msg.question_count > 0) {
    step = { index: questionNumber(msg.question_index), count: msg.question_count, noun: "Question", plural: "questions" };
  } else if (typeof msg.turn_index === "number" && typeof msg.turns === "number" && msg.turns > 0) {
    step = { index: msg.turn_index, count: msg.turns, noun: "Turn", plural: "turns" };
  } else if (typeof msg.fields_done === "number" && typeof msg.fields === "number" && msg.fields > 0) {
    step = { index: msg.fields_done, count: msg.fields, done: "details collected" };
  }
  if (step) {
    const k = Math.max(0, Math.min(step.index, step.count));
    let label = k === 0 ? `${step.count} ${step.plural}` : `${step.noun} ${k} of ${step.count}`;
    if (step.done) label = `${k} of ${step.count} ${step.done}`;
    $("progress-text").textContent = label;
    $("progress-bar").value = k / step.count;
    $("progress-bar").setAttribute("aria-label", label);
    box.hidden = false;
  }
  const extra = [
    msg.level ? `Level ${msg.level}` : null,
    typeof msg.field === "string" ? `Asking for: ${humanize(msg.field).toLowerCase()}` : null,
    msg.phase && typeof msg.field !== "string" ? humanize(msg.phase) : null,
  ].filter(Boolean);
  if (extra.length) {
    $("phase").textContent = extra.join(" · ");
    box.hidden = false;
  }
}

function onTool(msg) {
  const list = $("tools");
  const placeholder = list.querySelector(".muted");
  if (placeholder) placeholder.remove();
  const key = `${msg.turn_id}:${msg.name}`;
  let item = toolItems.get(key);
  if (!item || msg.status === "start") {
    item = h("li", {}, h("code", {}, msg.name), " ", h("span", { class: "tool-status" }));
    toolItems.set(key, item);
    list.prepend(item);
  }
  item.dataset.status = msg.status;
  const labels = { start: "running…", end: "done", error: "failed" };
  item.querySelector(".tool-status").textContent = labels[msg.status] || msg.status;
  if (msg.status === "start") setIndicator("thinking", `Using ${humanize(msg.name).toLowerCase()}…`);
  else if (indicatorState() === "thinking") setIndicator("thinking");
}

function onMetrics(msg) {
  if (typeof msg.response_ms === "number") session.latencies.push(msg.response_ms);
  const panel = $("latency");
  panel.classList.remove("muted");
  const sorted = [...session.latencies].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
  panel.replaceChildren(
    h("p", {}, "Last turn: ", h("strong", {}, typeof msg.response_ms === "number" ? `${Math.round(msg.response_ms)} ms` : "—"), median !== null ? h("span", { class: "muted" }, ` · median ${Math.round(median)} ms over ${sorted.length}`) : null),
    renderWaterfall(msg),
  );
  const item = turns.get(`agent:${msg.turn_id}`);
  if (item && typeof msg.response_ms === "number") {
    const meta = item.querySelector(".meta");
    meta.querySelector(".latency")?.remove();
    meta.append(h("details", { class: "latency" }, h("summary", {}, `responded in ${Math.round(msg.response_ms)} ms`), renderWaterfall(msg)));
  }
}

function onEvaluation(msg) {
  const log = $("log");
  log.append(h("li", { class: "item eval" }, renderEvaluation(msg)));
  scrollLog();
  addScore(msg);
}

function addScore(evaluation) {
  if (typeof evaluation.score !== "number") return;
  const label =
    typeof evaluation.question_index === "number" ? `Q${questionNumber(evaluation.question_index)}` : `#${session.scores.length + 1}`;
  const existing = session.scores.find((s) => s.label === label);
  if (existing) existing.score = evaluation.score; // a re-graded answer
  else session.scores.push({ label, score: evaluation.score });
  const avg = session.scores.reduce((sum, s) => sum + s.score, 0) / session.scores.length;
  const panel = $("scores");
  panel.classList.remove("muted");
  panel.replaceChildren(
    h("p", {}, "Average ", h("strong", {}, formatNumber(avg)), h("span", { class: "muted" }, ` over ${session.scores.length}`)),
    h("ul", { class: "score-list" }, session.scores.map((s) => h("li", {}, h("span", {}, s.label), h("strong", {}, formatNumber(s.score))))),
  );
}

/** After resuming a thread in a fresh page: the scores graded before, from the stored session. */
async function loadStoredScores(threadId) {
  try {
    const data = await getSession(threadId);
    for (const e of data.evaluations || []) addScore(e.payload ?? e);
  } catch {
    /* the scores panel is a convenience; the conversation goes on */
  }
}

function onSessionEnded(msg) {
  const summary = msg.summary ?? {};
  showReport(`Report — ${workflowTitle(session.workflow)}`, renderReport(summary));
  $("log").append(
    h(
      "li",
      { class: "item report-item" },
      h("article", { class: "card" }, h("header", {}, h("h3", {}, "Final report")), renderReport(summary)),
    ),
  );
  scrollLog();
  stopSession();
  setIndicator("idle", "Finished");
}

function onError(msg) {
  const text = `${msg.message || "Something went wrong."}${msg.code ? ` (${msg.code})` : ""}`;
  if (msg.fatal || (!session.started && START_ERRORS.has(msg.code))) {
    const threadId = session.threadId;
    stopSession();
    if (threadId && msg.code !== "unknown_thread") {
      showBanner(text, "error", "Resume", () => {
        hideBanner();
        start(threadId);
      });
    } else {
      showBanner(text, "error");
    }
  } else {
    toast(text, "error");
  }
}

function handleConnStatus(state, info) {
  const el = $("conn-state");
  el.dataset.state = state;
  const labels = { connecting: "Connecting…", open: "Connected", reconnecting: "Disconnected", failed: "Disconnected", closed: "Offline" };
  el.textContent = labels[state] || state;
  if (state !== "open") $("rtt").textContent = "";
  if (state === "reconnecting") {
    session.started = false;
    session.reconnecting = true;
    session.finishing = false;
    dropPlayback();
    setControls();
    setIndicator("reconnecting");
    const seconds = (info.delay / 1000).toFixed(1);
    showBanner(`Connection to the server lost. Reconnecting in ${seconds} s (attempt ${info.attempt})…`, "warn", "Stop", stopSession);
  } else if (state === "failed") {
    stopSession();
    showBanner(info.message, "error");
  }
}

// ---------------------------------------------------------------- conversation log

function listeningState() {
  return mic ? "listening" : "ready";
}

function clearConversation() {
  $("log").replaceChildren();
  turns.clear();
  utteranceSpans.clear();
  toolItems.clear();
  typedPending = null;
  $("progress").hidden = true;
  $("phase").textContent = "";
  $("thread-id").textContent = session.threadId || "—";
  $("scores").replaceChildren("No answers graded yet.");
  $("scores").classList.add("muted");
  $("latency").replaceChildren("Measured per turn once the agent answers.");
  $("latency").classList.add("muted");
  $("tools").replaceChildren(h("li", { class: "muted" }, "No tool calls yet."));
  updateEmpty();
}

function addMessage(role, turnId) {
  const who = role === "user" ? "You" : "Agent";
  const item = h(
    "li",
    { class: `item msg ${role}`, "data-turn": turnId ?? null },
    h("div", { class: "who" }, who),
    h("div", { class: "bubble" }, h("p", { class: "text" })),
    h("div", { class: "meta" }),
  );
  $("log").append(item);
  updateEmpty();
  scrollLog();
  return item;
}

function renderHistory(history) {
  for (const entry of history) {
    const role = entry.role === "user" || entry.role === "human" ? "user" : "agent";
    const item = addMessage(role, null);
    item.classList.add("history");
    item.querySelector(".text").textContent = entry.text ?? "";
  }
}

function addDivider(text) {
  $("log").append(h("li", { class: "item divider", role: "separator" }, h("span", {}, text)));
  updateEmpty();
  scrollLog();
}

function updateEmpty() {
  $("empty").hidden = $("log").children.length > 0;
}

function scrollLog() {
  const log = $("log");
  log.scrollTop = log.scrollHeight;
}

function sendText(event) {
  event.preventDefault();
  const input = $("text-input");
  const text = input.value.trim();
  if (!text || !session.started) return;
  if (!conn.send({ type: "text", text })) return;
  input.value = "";
  const item = addMessage("user", null);
  item.classList.add("typed");
  item.dataset.text = text;
  item.querySelector(".text").textContent = text;
  typedPending = item;
  setIndicator("thinking");
}

// ---------------------------------------------------------------- sessions panel

function refreshSessionList() {
  return refreshSessions({ busy: session.active, onResume: resumeSession });
}

function resumeSession(s) {
  if (session.active) return;
  selectWorkflow(s.workflow, s.options || {});
  $("resume-id").value = s.thread_id;
  start(s.thread_id);
}

// ---------------------------------------------------------------- wiring

function copyThread() {
  const id = session.threadId;
  if (!id) return;
  const done = () => toast("Thread id copied — paste it into “Resume thread” to continue later.");
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(id).then(done, () => selectText($("thread-id")));
  } else {
    selectText($("thread-id"));
  }
}

function selectText(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  toast("Press Ctrl+C to copy the thread id.");
}

function toggleMute() {
  session.muted = !session.muted;
  if (mic) mic.muted = session.muted;
  const button = $("mute");
  button.setAttribute("aria-pressed", String(session.muted));
  button.textContent = session.muted ? "Unmute" : "Mute";
}

$("setup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  start();
});
$("stop").addEventListener("click", stopSession);
$("finish").addEventListener("click", finishSession);
$("mute").addEventListener("click", toggleMute);
$("copy-thread").addEventListener("click", copyThread);
$("text-form").addEventListener("submit", sendText);
$("refresh-sessions").addEventListener("click", refreshSessionList);
if (pageParams.get("thread")) $("resume-id").value = pageParams.get("thread");

async function init() {
  try {
    await loadWorkflows();
    await refreshSessionList();
  } catch (err) {
    showBanner(`Could not load the workflows (${err.message}).`, "error", "Retry", () => {
      hideBanner();
      init();
    });
  }
}

init();
