// The WebRTC transport: the microphone as an Opus track, the agent's voice as the answer's track,
// and the socket protocol's JSON events on a data channel named "events". Same interface as
// `Connection` (connection.js): connect(), send(message), sendAudio() (a no-op: audio rides the
// track), close(), isOpen, rttMs, and the same onOpen / onMessage / onStatus callbacks.
// Barge-in needs nothing here: the server flushes its outgoing track, so playback stops at once.

import { analyserLevel } from "./audio.js";
import { EventLink } from "./link.js";

export const webrtcAvailable = typeof RTCPeerConnection === "function";

/** "webrtc" or "websocket": `?transport=` first, else the page's choice, else WebRTC when available. */
export function transportChoice(params, select) {
  const asked = (select && select.value) || params.get("transport") || "";
  if (asked === "websocket" || asked === "ws") return "websocket";
  if (asked === "webrtc" && webrtcAvailable) return "webrtc";
  return webrtcAvailable ? "webrtc" : "websocket";
}

/** Fill the transport <select> (WebRTC disabled where the browser has none). */
export function setupTransportChoice(select, params) {
  if (!select) return;
  select.replaceChildren(new Option("WebRTC (Opus, UDP)", "webrtc"), new Option("WebSocket", "websocket"));
  select.options[0].disabled = !webrtcAvailable;
  select.value = transportChoice(params, null);
}

/** STUN/TURN servers from the server's settings (none: host candidates, fine on one machine or a LAN). */
export async function iceServers(token) {
  try {
    const url = new URL("webrtc/config", location.href);
    if (token) url.searchParams.set("token", token);
    const response = await fetch(url);
    return response.ok ? (await response.json()).iceServers || [] : [];
  } catch {
    return [];
  }
}

export class RtcConnection extends EventLink {
  constructor({ micStream, token, iceServers = [], ...callbacks }) {
    super(callbacks);
    Object.assign(this, { micStream, token, iceServers });
    this.pc = null;
    this.channel = null;
    this.audio = null; // the <audio> element playing the agent's track
    this.analyser = null;
    this.levels = new Float32Array(1024);
  }

  get isOpen() {
    return this.channel !== null && this.channel.readyState === "open";
  }

  async connect() {
    this.onStatus("connecting", { attempt: 0 });
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    const channel = pc.createDataChannel("events", { ordered: true });
    this.channel = channel;
    channel.onopen = () => this.opened();
    channel.onmessage = (event) => this.receive(event.data);
    channel.onclose = () => this.closed("failed", "The WebRTC connection to the server closed.");
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") this.closed("failed", "The WebRTC connection failed (no route to the server).");
    };
    pc.ontrack = (event) => this.play(event.streams[0] || new MediaStream([event.track]));
    if (this.micStream && this.micStream.getAudioTracks().length) {
      for (const track of this.micStream.getAudioTracks()) pc.addTrack(track, this.micStream);
    } else {
      pc.addTransceiver("audio", { direction: "sendrecv" }); // typed turns only: still receive the voice
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringDone(pc);
    const url = new URL("webrtc/offer", location.href);
    if (this.token) url.searchParams.set("token", this.token);
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "offer", sdp: pc.localDescription.sdp }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = (body.error && body.error.message) || `offer refused (${response.status})`;
      this.closed("failed", message);
      return;
    }
    await pc.setRemoteDescription(body);
  }

  play(stream) {
    if (!this.audio) {
      this.audio = new Audio();
      this.audio.autoplay = true;
    }
    this.audio.srcObject = stream;
    this.audio.play().catch(() => {});
    const ctx = new AudioContext();
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(this.analyser);
    this.ctx = ctx;
  }

  /** RMS of the agent's voice being played now (0 when silent). */
  level() {
    return analyserLevel(this.analyser, this.levels);
  }

  /** Energy of the agent audio received and played so far (inbound-rtp `totalAudioEnergy`). */
  async audioEnergy() {
    if (!this.pc) return 0;
    let energy = 0;
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "audio") energy += report.totalAudioEnergy || 0;
    });
    return energy;
  }

  sendText(text) {
    this.channel.send(text);
  }

  sendAudio() {
    return false; // the microphone is the peer connection's track
  }

  closed(state, message) {
    this.stopPing();
    if (!this.pc) return;
    this.teardown();
    this.onStatus(state, { code: state === "failed" ? 1011 : 1000, message });
  }

  teardown() {
    const pc = this.pc;
    this.pc = null;
    if (this.channel) this.channel.onclose = null;
    this.channel = null;
    if (pc) pc.close();
    if (this.ctx) this.ctx.close();
    this.ctx = null;
    this.analyser = null;
    if (this.audio) this.audio.srcObject = null;
  }

  /** Close for good. */
  close() {
    this.stopPing();
    this.teardown();
    this.onStatus("closed", { code: 1000 });
  }
}

function gatheringDone(pc, timeoutMs = 3000) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, timeoutMs);
  });
}
