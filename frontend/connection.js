// The voice WebSocket: JSON text frames, binary audio, keepalive pings and reconnection
// with exponential backoff. `onOpen` runs on every (re)connection so the caller can send
// `session.start` (resuming its thread after a drop). Events and pings: `EventLink` (link.js).

import { EventLink } from "./link.js";

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const MAX_BUFFERED_BYTES = 256 * 1024;
/** Close codes after which reconnecting would not help. */
const FINAL_CLOSE_CODES = new Map([
  [4401, "The server refused the access token. Open the page with ?token=<your token>."],
  [1008, "The server closed the connection because of invalid messages."],
]);

export function voiceSocketUrl(token) {
  const url = new URL("ws", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  if (token) url.searchParams.set("token", token);
  return url.toString();
}

export class Connection extends EventLink {
  constructor({ url, onAudio, ...callbacks }) {
    super(callbacks);
    Object.assign(this, { url, onAudio });
    this.ws = null;
    this.wanted = false;
    this.attempt = 0;
    this.retryTimer = null;
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  connect() {
    this.wanted = true;
    this.open();
  }

  open() {
    clearTimeout(this.retryTimer);
    this.onStatus("connecting", { attempt: this.attempt });
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.opened();
    };
    ws.onmessage = (event) => {
      if (typeof event.data === "string") this.receive(event.data);
      else this.onAudio(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.stopPing();
      this.ws = null;
      if (!this.wanted) {
        this.onStatus("closed", { code: event.code });
        return;
      }
      const final = FINAL_CLOSE_CODES.get(event.code);
      if (final) {
        this.wanted = false;
        this.onStatus("failed", { code: event.code, message: final });
        return;
      }
      const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
      this.attempt += 1;
      this.onStatus("reconnecting", { code: event.code, delay, attempt: this.attempt });
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  sendText(text) {
    this.ws.send(text);
  }

  sendAudio(buffer) {
    if (!this.isOpen || this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    this.ws.send(buffer);
    return true;
  }

  /** Close for good (no reconnection). */
  close() {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, "client stop");
    this.onStatus("closed", { code: 1000 });
  }
}
