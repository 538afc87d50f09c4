// Hear how you said it: the learner's own audio per turn (TurnAudio, in memory for the session),
// the "may be unclear" marks on their words with a replay button each, and — only when the user
// ticks "Save my recordings" — a download link per turn (the only way audio reaches the disk).

import { h } from "./render.js";
import { RATE, TurnAudio, wavBytes } from "./turn-audio.js";

const $ = (id) => document.getElementById(id);

export class WordReplay {
  constructor(transcript) {
    this.transcript = transcript;
    this.audio = new TurnAudio();
    this.ctx = null;
  }

  reset() {
    this.audio.reset();
  }

  frame(pcm) {
    this.audio.push(pcm);
  }

  vad(msg) {
    if (msg.event === "speech_start") this.audio.speechStart(msg.t_ms);
    else if (msg.event === "speech_end") this.audio.speechEnd(msg.t_ms);
  }

  /** A final transcript: keep the turn's audio; offer it for download when the user opted in. */
  finalTranscript(msg) {
    this.audio.finish(msg.turn_id);
    const samples = this.audio.turns.get(msg.turn_id);
    const meta = this.transcript.userMeta(msg.turn_id);
    if (!samples || !meta || !$("keep-audio")?.checked) return;
    const url = URL.createObjectURL(new Blob([wavBytes(samples, RATE)], { type: "audio/wav" }));
    meta.append(h("a", { class: "save-audio", href: url, download: `turn-${msg.turn_id}.wav` }, "save recording"));
  }

  /** An evaluation: mark the words that may be unclear on the user's message. */
  evaluation(msg) {
    const unclear = (msg.metrics && msg.metrics.unclear_words) || [];
    if (!msg.turn_id || !unclear.length) return;
    const canPlay = this.audio.turns.has(msg.turn_id);
    this.transcript.markUnclear(msg.turn_id, unclear, canPlay ? (u) => this.play(msg.turn_id, u) : null);
  }

  play(turnId, u) {
    const samples = this.audio.word(turnId, u.start, u.end);
    if (!samples) return;
    this.ctx = this.ctx || new AudioContext();
    const buffer = this.ctx.createBuffer(1, samples.length, RATE);
    buffer.getChannelData(0).set(Float32Array.from(samples, (v) => v / 32768));
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.ctx.destination);
    this.ctx.resume().then(() => source.start());
  }
}
