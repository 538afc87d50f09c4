// The learner's own audio per turn, kept in memory for the session only (never uploaded, never
// written to disk unless the user saves a turn): what the page sent the server, cut the way the
// server cut it (VAD speech_start → speech_end, the segments of one turn joined), so a word's
// times from the recogniser (`unclear_words`) select exactly that word. Pure: no DOM, node-tested.

export const RATE = 16000;
const KEEP_S = 60; // raw audio kept for a segment still open
const MAX_TURNS = 200;

export class TurnAudio {
  constructor(rate = RATE) {
    this.rate = rate;
    this.turns = new Map(); // turn_id -> Int16Array
    this.reset();
  }

  /** A new server session (socket): its clock starts at zero with the first frame sent. */
  reset() {
    this.chunks = []; // [{start (sample index), samples: Int16Array}]
    this.total = 0;
    this.open = null; // sample index of the open speech segment
    this.segments = []; // finished segments of the turn in progress
  }

  /** A PCM16 frame that reached the server. */
  push(pcm) {
    const samples = pcm instanceof Int16Array ? pcm.slice() : new Int16Array(pcm.slice(0));
    this.chunks.push({ start: this.total, samples });
    this.total += samples.length;
    const keepFrom = Math.min(this.open ?? Infinity, this.total - KEEP_S * this.rate);
    while (this.chunks.length && this.chunks[0].start + this.chunks[0].samples.length < keepFrom) this.chunks.shift();
  }

  speechStart(tMs) {
    this.open = Math.max(0, Math.round((tMs * this.rate) / 1000));
  }

  speechEnd(tMs) {
    if (this.open === null) return;
    const end = Math.round((tMs * this.rate) / 1000);
    this.segments.push(this.range(this.open, end));
    this.open = null;
  }

  /** The final transcript of `turnId`: the segments since the last one form its audio. */
  finish(turnId) {
    if (!this.segments.length) return;
    const joined = new Int16Array(this.segments.reduce((n, s) => n + s.length, 0));
    let at = 0;
    for (const s of this.segments) {
      joined.set(s, at);
      at += s.length;
    }
    this.segments = [];
    this.turns.set(turnId, joined);
    if (this.turns.size > MAX_TURNS) this.turns.delete(this.turns.keys().next().value);
  }

  /** Samples [from, to) of the session's audio (what is still kept). */
  range(from, to) {
    const out = new Int16Array(Math.max(0, to - from));
    for (const { start, samples } of this.chunks) {
      const a = Math.max(from, start);
      const b = Math.min(to, start + samples.length);
      if (a < b) out.set(samples.subarray(a - start, b - start), a - from);
    }
    return out;
  }

  /** One word of a turn: seconds `start`..`end` into the turn's audio, with a little margin. */
  word(turnId, start, end, marginS = 0.08) {
    const audio = this.turns.get(turnId);
    if (!audio) return null;
    const a = Math.max(0, Math.floor((start - marginS) * this.rate));
    const b = Math.min(audio.length, Math.ceil((end + marginS) * this.rate));
    return b > a ? audio.slice(a, b) : null;
  }
}

/** PCM16 mono as a WAV file's bytes. */
export function wavBytes(samples, rate = RATE) {
  const out = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, s) => [...s].forEach((c, i) => out.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  out.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVEfmt ");
  out.setUint32(16, 16, true);
  out.setUint16(20, 1, true); // PCM
  out.setUint16(22, 1, true); // mono
  out.setUint32(24, rate, true);
  out.setUint32(28, rate * 2, true);
  out.setUint16(32, 2, true);
  out.setUint16(34, 16, true);
  text(36, "data");
  out.setUint32(40, samples.length * 2, true);
  samples.forEach((v, i) => out.setInt16(44 + i * 2, v, true));
  return new Uint8Array(out.buffer);
}
