// Microphone capture and agent-speech playback, both on AudioWorklets.

const CAPTURE_RATE = 16000;
const FRAME_SAMPLES = 512; // 32 ms at 16 kHz

/** RMS of what an AnalyserNode hears now, read into `buffer` (0 without an analyser). */
export function analyserLevel(analyser, buffer) {
  if (!analyser) return 0;
  analyser.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (const v of buffer) sum += v * v;
  return Math.sqrt(sum / buffer.length);
}

/** Microphone → 16 kHz mono PCM16 frames. `onFrame(arrayBuffer, rms)` for each frame. */
export class Mic {
  static async open({ raw = false, onFrame }) {
    const processing = !raw;
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: processing,
        noiseSuppression: processing,
        autoGainControl: processing,
        channelCount: 1,
      },
    });
    const ctx = new AudioContext({ latencyHint: "interactive" });
    try {
      await ctx.audioWorklet.addModule(new URL("capture-worklet.js", import.meta.url));
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, "capture", {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: { targetRate: CAPTURE_RATE, frameSamples: FRAME_SAMPLES },
      });
      node.port.onmessage = (event) => onFrame(event.data.pcm, event.data.rms);
      // A silent path to the destination keeps the graph pulling the worklet.
      const mute = ctx.createGain();
      mute.gain.value = 0;
      source.connect(node);
      node.connect(mute).connect(ctx.destination);
      await ctx.resume();
      return new Mic(stream, ctx);
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      ctx.close();
      throw err;
    }
  }

  constructor(stream, ctx) {
    this.stream = stream;
    this.ctx = ctx;
  }

  get sampleRate() {
    return CAPTURE_RATE;
  }

  set muted(value) {
    this.stream.getAudioTracks().forEach((t) => (t.enabled = !value));
  }

  close() {
    this.stream.getTracks().forEach((t) => t.stop());
    this.ctx.close();
  }
}

/**
 * Agent speech: PCM16 frames queued per utterance on a worklet running at the server's
 * output rate. Calls `onFinished(id, playedSamples, flushed)` once per utterance and
 * `onProgress(totalPlayedSamples)` as samples are played.
 */
export class Player {
  constructor({ onFinished, onProgress }) {
    this.onFinished = onFinished;
    this.onProgress = onProgress;
    this.ctx = null;
    this.ready = Promise.resolve();
    this.playedBefore = 0; // samples played by earlier contexts
  }

  get sampleRate() {
    return this.ctx ? this.ctx.sampleRate : null;
  }

  /** (Re)create the output context at `rate` Hz unless it already runs at that rate. */
  ensure(rate) {
    if (this.ctx && this.ctx.sampleRate === rate) {
      this.ctx.resume();
      return this.ready;
    }
    this.close();
    const ctx = new AudioContext({ sampleRate: rate, latencyHint: "interactive" });
    this.ctx = ctx;
    this.ready = (async () => {
      await ctx.audioWorklet.addModule(new URL("playback-worklet.js", import.meta.url));
      const node = new AudioWorkletNode(ctx, "playback", {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
      });
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      node.connect(analyser).connect(ctx.destination);
      const base = this.playedBefore;
      let lastTotal = 0;
      node.port.onmessage = ({ data }) => {
        if (data.type === "progress" || data.type === "done") {
          lastTotal = data.type === "progress" ? data.played : data.total;
          this.onProgress(base + lastTotal);
        }
        if (data.type === "done") this.onFinished(data.id, data.played, false);
        if (data.type === "flushed") this.onFinished(data.id, data.played, true);
      };
      this.node = node;
      this.analyser = analyser;
      this.timeData = new Float32Array(analyser.fftSize);
      this.closeCtx = () => {
        this.playedBefore = base + lastTotal;
        ctx.close();
      };
      await ctx.resume();
    })();
    return this.ready;
  }

  post(msg, transfer) {
    const ctx = this.ctx;
    this.ready.then(() => {
      if (this.ctx === ctx && this.node) this.node.port.postMessage(msg, transfer || []);
    });
  }

  begin(id) {
    this.post({ type: "begin", id });
  }

  push(id, arrayBuffer) {
    const pcm = new Int16Array(arrayBuffer, 0, arrayBuffer.byteLength >> 1);
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 32768;
    this.post({ type: "push", id, samples }, [samples.buffer]);
  }

  end(id) {
    this.post({ type: "end", id });
  }

  flush() {
    this.post({ type: "flush" });
  }

  /** RMS of what the output is playing right now (0 when idle). */
  level() {
    return analyserLevel(this.analyser, this.timeData);
  }

  close() {
    if (this.closeCtx) this.closeCtx();
    this.ctx = null;
    this.node = null;
    this.analyser = null;
    this.closeCtx = null;
  }
}
