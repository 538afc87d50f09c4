// The voice agent page: wires the workflow form, the session controller (microphone, socket,
// playback, transcript, scores) and the sessions panel together.
// Protocol: docs/protocol.md. HTTP API: docs/CONTRACTS.md.

import { pageParams, token } from "./api.js";
import { SessionController } from "./controller.js";
import { refreshSessions } from "./sessions.js";
import { hideBanner, showBanner, toast } from "./ui.js";
import { setupTransportChoice } from "./webrtc.js";
import { loadWorkflows, selectWorkflow } from "./workflow-form.js";

const $ = (id) => document.getElementById(id);

const controller = new SessionController({
  token,
  raw: pageParams.get("raw") === "1",
  onChange: () => refreshSessionList(),
});
const { session, stats } = controller;

window.voiceAgent = {
  stats,
  session,
  controller,
  get rttMs() {
    return controller.rttMs;
  },
  get conn() {
    return controller.conn;
  },
  agentLevel: () => controller.agentLevel(),
};

function start(resumeId = null) {
  if (session.active || !$("setup-form").reportValidity()) return;
  controller.start(resumeId || $("resume-id").value.trim() || null);
}

function refreshSessionList() {
  return refreshSessions({ busy: session.active, onResume: resumeSession });
}

function resumeSession(s) {
  if (session.active) return;
  selectWorkflow(s.workflow, s.options || {});
  $("resume-id").value = s.thread_id;
  start(s.thread_id);
}

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

$("setup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  start();
});
$("stop").addEventListener("click", () => controller.stop());
$("finish").addEventListener("click", () => controller.finish());
$("copy-thread").addEventListener("click", copyThread);
$("text-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("text-input");
  if (controller.sendText(input.value.trim())) input.value = "";
});
$("refresh-sessions").addEventListener("click", refreshSessionList);
if (pageParams.get("thread")) $("resume-id").value = pageParams.get("thread");
setupTransportChoice($("transport"), pageParams);

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
