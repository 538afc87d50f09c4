// The voice WebSocket: JSON text frames, binary audio, keepalive pings and reconnection
// with exponential backoff. `onOpen` runs on every (re)connection so the caller can send
// `session.start` (resuming its thread after a drop).

const PING_INTERVAL_MS = 10_000;
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

export class Connection {
  constructor({ url, onOpen, onMessage, onAudio, onStatus }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onMessage = onMessage;
    this.onAudio = onAudio;
    this.onStatus = onStatus;
    this.ws = null;
    this.wanted = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.rttMs = null;
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
      this.onStatus("open", {});
      this.onOpen(); // sends session.start, which must be the first message
      this.startPing();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") {
        this.onAudio(event.data);
        return;
      }
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!msg || typeof msg.type !== "string") return;
      if (msg.type === "pong" && typeof msg.t === "number") this.rttMs = Date.now() - msg.t;
      this.onMessage(msg);
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

  send(message) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  sendAudio(buffer) {
    if (!this.isOpen || this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    this.ws.send(buffer);
    return true;
  }

  startPing() {
    this.stopPing();
    const ping = () => this.send({ type: "ping", t: Date.now() });
    ping();
    this.pingTimer = setInterval(ping, PING_INTERVAL_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
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
