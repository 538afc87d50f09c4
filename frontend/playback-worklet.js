// Agent speech playback: a queue of utterances at the context's own sample rate (the page
// creates the context at the server's output_sample_rate, so no resampling happens here).
//
// Messages in:  {type:"begin", id} | {type:"push", id, samples: Float32Array} | {type:"end", id}
//               | {type:"flush"}
// Messages out: {type:"done", id, played} when an ended utterance has fully played,
//               {type:"flushed", id, played} for each utterance dropped by a flush,
//               {type:"progress", played} now and then (total samples played so far).

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = []; // [{id, data, offset}]
    this.utterances = new Map(); // id -> {played, queued, ended}
    this.totalPlayed = 0;
    this.blocksSinceReport = 0;
    this.port.onmessage = (event) => this.onMessage(event.data);
  }

  utterance(id) {
    let u = this.utterances.get(id);
    if (!u) {
      u = { played: 0, queued: 0, ended: false };
      this.utterances.set(id, u);
    }
    return u;
  }

  onMessage(msg) {
    if (msg.type === "begin") {
      this.utterance(msg.id);
    } else if (msg.type === "push") {
      this.utterance(msg.id).queued += msg.samples.length;
      this.queue.push({ id: msg.id, data: msg.samples, offset: 0 });
    } else if (msg.type === "end") {
      this.utterance(msg.id).ended = true;
      this.finishIfDone(msg.id);
    } else if (msg.type === "flush") {
      this.queue = [];
      for (const [id, u] of this.utterances) this.port.postMessage({ type: "flushed", id, played: u.played });
      this.utterances.clear();
      this.port.postMessage({ type: "progress", played: this.totalPlayed });
    }
  }

  finishIfDone(id) {
    const u = this.utterances.get(id);
    if (u && u.ended && u.queued === 0) {
      this.utterances.delete(id);
      this.port.postMessage({ type: "done", id, played: u.played, total: this.totalPlayed });
    }
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    while (i < out.length && this.queue.length > 0) {
      const chunk = this.queue[0];
      const n = Math.min(out.length - i, chunk.data.length - chunk.offset);
      out.set(chunk.data.subarray(chunk.offset, chunk.offset + n), i);
      i += n;
      chunk.offset += n;
      this.totalPlayed += n;
      const u = this.utterance(chunk.id);
      u.played += n;
      u.queued -= n;
      if (chunk.offset >= chunk.data.length) {
        this.queue.shift();
        this.finishIfDone(chunk.id);
      }
    }
    out.fill(0, i);
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (i > 0 && ++this.blocksSinceReport >= 16) {
      this.blocksSinceReport = 0;
      this.port.postMessage({ type: "progress", played: this.totalPlayed });
    }
    return true;
  }
}

registerProcessor("playback", PlaybackProcessor);
