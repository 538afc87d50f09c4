// The agent's voice: audio frames per utterance into the Player, and `playback` reports of how
// much of each utterance was played (the server's heard text comes from them).

import { Player } from "./audio.js";
import { indicatorState, setIndicator } from "./ui.js";

export class Playback {
  /** `session` holds speakingId and pending; `send(msg)` reaches the server; `idleState()` is the indicator after playback. */
  constructor({ session, stats, send, idleState }) {
    Object.assign(this, { session, stats, send, idleState });
    this.player = new Player({
      onFinished: (id, n) => this.report(id, n),
      onProgress: (n) => {
        stats.playedSamples = n;
      },
    });
  }

  level() {
    return this.player.level();
  }

  ensure(rate) {
    this.player.ensure(rate);
  }

  audio(buffer) {
    this.stats.bytesReceived += buffer.byteLength;
    if (this.session.speakingId !== null) this.player.push(this.session.speakingId, buffer);
  }

  begin(msg) {
    this.stats.utterances += 1;
    this.session.speakingId = msg.utterance_id;
    this.session.pending.add(msg.utterance_id);
    this.player.begin(msg.utterance_id);
    setIndicator("speaking");
  }

  end(msg) {
    this.player.end(msg.utterance_id);
    if (this.session.speakingId === msg.utterance_id) this.session.speakingId = null;
  }

  interrupted(msg) {
    this.stats.interruptions += 1;
    this.player.flush(); // reports what was played of every queued utterance
    if (this.session.speakingId === msg.utterance_id) this.session.speakingId = null;
  }

  report(id, playedSamples) {
    const session = this.session;
    if (!session.pending.delete(id)) return; // from an earlier connection
    const rate = this.player.sampleRate || 1;
    this.send({ type: "playback", utterance_id: id, played_ms: Math.round((playedSamples * 1000) / rate) });
    if (session.pending.size === 0 && session.speakingId === null && indicatorState() === "speaking") setIndicator(this.idleState());
  }

  /** Forget queued audio without reporting it (the socket it belonged to is gone). */
  drop() {
    this.session.pending.clear();
    this.session.speakingId = null;
    this.player.flush();
  }
}
