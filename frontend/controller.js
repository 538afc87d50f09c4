// The session controller: one voice session's lifecycle (start, stop, finish, reconnect) and the
// dispatch of server messages to the transcript, the scores and the player.
// Protocol: docs/protocol.md.

import { MicPanel } from "./mic-panel.js";
import { Connection, voiceSocketUrl } from "./connection.js";
import { plural, progressOf } from "./format.js";
import { Playback } from "./playback.js";
import { WordReplay } from "./replay.js";
import { h, renderReport } from "./render.js";
import { Scores } from "./scores.js";
import { showReport } from "./sessions.js";
import { Transcript } from "./transcript.js";
import { hideBanner, indicatorState, setControls, setIndicator, showBanner, toast } from "./ui.js";
import { readOptions, workflowTitle } from "./workflow-form.js";
import { RtcConnection, iceServers, transportChoice } from "./webrtc.js";

const $ = (id) => document.getElementById(id);
const CAPTURE_RATE = 16000;
/** Errors that, before `session.started`, mean this start cannot succeed by retrying. */
const START_ERRORS = new Set(["unknown_thread", "unknown_workflow", "bad_field", "already_started", "not_started"]);
const CONN_LABELS = { connecting: "Connecting…", open: "Connected", reconnecting: "Disconnected", failed: "Disconnected", closed: "Offline" };

export class SessionController {
  /** `onChange()` runs when the session starts or stops (the sessions panel refreshes). */
  constructor({ token, raw, onChange }) {
    this.token = token;
    this.onChange = onChange;
    /** Counters read by the browser tests. */
    this.stats = { framesSent: 0, micRms: 0, bytesReceived: 0, playedSamples: 0, utterances: 0, interruptions: 0 };
    this.session = {
      active: false, // Start pressed, not yet stopped or ended
      started: false, // session.started received on the current socket
      reconnecting: false,
      finishing: false,
      threadId: null,
      workflow: null,
      options: {},
      speakingId: null, // utterance whose audio frames are arriving
      pending: new Set(), // utterances queued for playback, not yet reported
    };
    this.conn = null;
    this.transcript = new Transcript();
    this.replay = new WordReplay(this.transcript);
    this.scores = new Scores();
    this.playback = new Playback({
      session: this.session,
      stats: this.stats,
      send: (msg) => this.conn && this.conn.send(msg),
      idleState: () => this.listeningState(),
    });
    this.mic = new MicPanel({
      raw,
      stats: this.stats,
      levelOut: () => this.agentLevel(),
      onFrame: (pcm) => {
        if (!this.session.started || !this.conn || !this.conn.sendAudio(pcm)) return;
        this.stats.framesSent += 1;
        this.replay.frame(pcm);
      },
    });
    this.handlers = {
      "session.started": (m) => this.onStarted(m),
      vad: (m) => this.onVad(m),
      transcript: (m) => {
        this.transcript.userText(m);
        if (m.final) this.replay.finalTranscript(m);
        if (m.final) setIndicator("thinking");
      },
      "agent.text": (m) => this.transcript.agentText(m),
      "agent.audio_start": (m) => this.playback.begin(m),
      "agent.audio_end": (m) => this.playback.end(m),
      interrupted: (m) => {
        this.playback.interrupted(m);
        this.transcript.interrupted(m);
        setIndicator("hearing");
      },
      state: (m) => this.onState(m),
      tool: (m) => this.onTool(m),
      "turn.metrics": (m) => this.onMetrics(m),
      evaluation: (m) => {
        this.transcript.evaluation(m);
        this.replay.evaluation(m);
        this.scores.add(m);
      },
      "session.ended": (m) => this.onEnded(m),
      error: (m) => this.onError(m),
      pong: () => {
        if (this.conn && this.conn.rttMs !== null) $("rtt").textContent = `${this.conn.rttMs} ms`;
      },
    };
  }

  /** The agent's voice level now: the WebRTC track's, else the playback worklet's. */
  agentLevel() {
    return this.conn && this.conn.level ? this.conn.level() : this.playback.level();
  }

  get rttMs() {
    return this.conn ? this.conn.rttMs : null;
  }

  async start(threadId = null) {
    const session = this.session;
    if (session.active) return;
    Object.assign(session, {
      active: true,
      started: false,
      reconnecting: false,
      finishing: false,
      threadId,
      workflow: $("workflow").value,
      options: readOptions(),
      speakingId: null,
    });
    session.pending.clear();
    this.clear();
    hideBanner();
    this.setControls();
    setIndicator("connecting");
    await this.mic.openMic();
    this.setControls();
    if (!session.active) {
      this.mic.close(); // stopped while the permission prompt was open
      return;
    }
    const callbacks = {
      onOpen: () => this.sendStart(),
      onMessage: (msg) => this.handlers[msg.type]?.(msg), // unknown types are ignored
      onAudio: (buffer) => this.playback.audio(buffer),
      onStatus: (state, info) => this.onConnStatus(state, info),
    };
    session.transport = transportChoice(new URLSearchParams(location.search), $("transport"));
    if (session.transport === "webrtc") {
      const micStream = this.mic.mic ? this.mic.mic.stream : null;
      const servers = await iceServers(this.token);
      this.conn = new RtcConnection({ micStream, token: this.token, iceServers: servers, ...callbacks });
    } else {
      this.conn = new Connection({ url: voiceSocketUrl(this.token), ...callbacks });
    }
    this.conn.connect();
    this.mic.startMeters();
  }

  sendStart() {
    const { workflow, threadId, options } = this.session;
    this.session.started = false;
    this.conn.send({ type: "session.start", workflow, thread_id: threadId, sample_rate: CAPTURE_RATE, options });
  }

  /** Stop talking to the server; the thread stays resumable. */
  stop() {
    Object.assign(this.session, { active: false, started: false, reconnecting: false, finishing: false });
    if (this.conn) this.conn.close();
    this.conn = null;
    this.playback.drop();
    this.mic.close();
    this.setControls();
    setIndicator("idle");
    this.onChange();
  }

  finish() {
    if (!this.session.started || this.session.finishing) return;
    this.session.finishing = true;
    this.conn.send({ type: "session.end" });
    setIndicator("thinking", "Preparing your report…");
    this.setControls();
  }

  /** A typed message; false when it could not be sent. */
  sendText(text) {
    if (!text || !this.session.started || !this.conn.send({ type: "text", text })) return false;
    this.transcript.typed(text);
    setIndicator("thinking");
    return true;
  }

  setControls() {
    setControls(this.session, this.mic.open);
  }

  clear() {
    this.transcript.clear();
    this.scores.clear();
    $("progress").hidden = true;
    $("phase").textContent = "";
    $("thread-id").textContent = this.session.threadId || "—";
  }

  listeningState() {
    return this.mic.open ? "listening" : "ready";
  }

  // ------------------------------------------------------------ server messages

  onStarted(msg) {
    const session = this.session;
    const wasReconnecting = session.reconnecting;
    Object.assign(session, { started: true, reconnecting: false, threadId: msg.thread_id });
    this.replay.reset(); // the server's audio clock starts again
    $("thread-id").textContent = msg.thread_id;
    this.playback.ensure(msg.output_sample_rate || 22050);
    const history = Array.isArray(msg.history) ? msg.history : [];
    const earlier = plural(history.length, "earlier message");
    if (wasReconnecting) {
      hideBanner();
      toast("Reconnected — resumed the same conversation.");
      this.transcript.divider(`Reconnected · resumed thread with ${earlier}`);
    } else if (msg.resumed) {
      if (history.length) this.transcript.history(history);
      this.scores.loadStored(msg.thread_id);
      this.transcript.divider(`Resumed thread · ${earlier}`);
    }
    this.setControls();
    setIndicator(this.listeningState());
    this.onChange();
  }

  onVad(msg) {
    this.replay.vad(msg);
    if (msg.event === "speech_start") setIndicator("hearing");
    else if (msg.event === "speech_end" && indicatorState() === "hearing") setIndicator(this.listeningState());
  }

  onState(msg) {
    const { bar, extra } = progressOf(msg);
    if (bar) {
      $("progress-text").textContent = bar.label;
      $("progress-bar").value = bar.fraction;
      $("progress-bar").setAttribute("aria-label", bar.label);
    }
    if (extra) $("phase").textContent = extra;
    if (bar || extra) $("progress").hidden = false;
  }

  onTool(msg) {
    const busy = this.scores.tool(msg);
    if (busy) setIndicator("thinking", busy);
    else if (indicatorState() === "thinking") setIndicator("thinking");
  }

  onMetrics(msg) {
    const details = this.scores.metrics(msg);
    const meta = this.transcript.meta(msg.turn_id);
    if (details && meta) {
      meta.querySelector(".latency")?.remove();
      meta.append(details);
    }
  }

  onEnded(msg) {
    const summary = msg.summary ?? {};
    showReport(`Report — ${workflowTitle(this.session.workflow)}`, renderReport(summary));
    const card = h("article", { class: "card" }, h("header", {}, h("h3", {}, "Final report")), renderReport(summary));
    this.transcript.append(h("li", { class: "item report-item" }, card));
    this.stop();
    setIndicator("idle", "Finished");
  }

  onError(msg) {
    const text = `${msg.message || "Something went wrong."}${msg.code ? ` (${msg.code})` : ""}`;
    if (!msg.fatal && (this.session.started || !START_ERRORS.has(msg.code))) {
      toast(text, "error");
      return;
    }
    const threadId = this.session.threadId;
    this.stop();
    if (threadId && msg.code !== "unknown_thread") {
      showBanner(text, "error", "Resume", () => {
        hideBanner();
        this.start(threadId);
      });
    } else {
      showBanner(text, "error");
    }
  }

  onConnStatus(state, info) {
    const el = $("conn-state");
    el.dataset.state = state;
    el.textContent = CONN_LABELS[state] || state;
    if (state !== "open") $("rtt").textContent = "";
    if (state === "reconnecting") {
      Object.assign(this.session, { started: false, reconnecting: true, finishing: false });
      this.playback.drop();
      this.setControls();
      setIndicator("reconnecting");
      const seconds = (info.delay / 1000).toFixed(1);
      showBanner(`Connection to the server lost. Reconnecting in ${seconds} s (attempt ${info.attempt})…`, "warn", "Stop", () => this.stop());
    } else if (state === "failed") {
      this.stop();
      showBanner(info.message, "error");
    }
  }
}
