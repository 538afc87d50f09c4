// What the two transports share (connection.js: a WebSocket, webrtc.js: a WebRTC data channel):
// the onOpen / onMessage / onStatus callbacks, JSON events whose `type` is checked, and the
// keepalive ping with the round-trip time its pong measures. A transport says when it is open
// (`isOpen`) and how a text frame goes out (`sendText`).

const PING_INTERVAL_MS = 10_000;

/** The event in a text frame: a JSON object with a string `type`, else null. */
export function parseEvent(data) {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  return msg && typeof msg.type === "string" ? msg : null;
}

export class EventLink {
  constructor({ onOpen, onMessage, onStatus }) {
    Object.assign(this, { onOpen, onMessage, onStatus });
    this.rttMs = null;
    this.pingTimer = null;
  }

  send(message) {
    if (!this.isOpen) return false;
    this.sendText(JSON.stringify(message));
    return true;
  }

  /** A text frame from the server: bad ones are dropped, a pong sets `rttMs`. */
  receive(data) {
    const msg = parseEvent(data);
    if (!msg) return;
    if (msg.type === "pong" && typeof msg.t === "number") this.rttMs = Date.now() - msg.t;
    this.onMessage(msg);
  }

  /** The link is up: tell the page, let it send `session.start` (the first message), start pinging. */
  opened() {
    this.onStatus("open", {});
    this.onOpen();
    this.startPing();
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
}
