// Microphone capture: mixes to mono, low-pass filters, resamples to the target rate (16 kHz)
// and posts PCM16 little-endian frames of `frameSamples` samples with their RMS level.

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = options.processorOptions || {};
    this.targetRate = opts.targetRate || 16000;
    this.frameSamples = opts.frameSamples || 512;
    this.step = sampleRate / this.targetRate; // input samples per output sample
    this.taps = this.step > 1 ? lowPassTaps(0.45 / this.step, Math.ceil(this.step * 12) | 1) : null;
    this.history = new Float32Array(this.taps ? this.taps.length : 1);
    this.head = 0;
    this.inIndex = -1; // index of the last filtered input sample
    this.nextOut = 0; // fractional input index of the next output sample
    this.prev = 0; // previous filtered input sample
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.sumSquares = 0;
  }

  filter(x) {
    if (!this.taps) return x;
    const { history, taps } = this;
    const n = taps.length;
    history[this.head] = x;
    let acc = 0;
    let j = this.head;
    for (let k = 0; k < n; k++) {
      acc += taps[k] * history[j];
      j = j === 0 ? n - 1 : j - 1;
    }
    this.head = this.head + 1 === n ? 0 : this.head + 1;
    return acc;
  }

  emit(value) {
    const v = Math.max(-1, Math.min(1, value));
    this.frame[this.filled++] = v < 0 ? v * 0x8000 : v * 0x7fff;
    this.sumSquares += v * v;
    if (this.filled === this.frameSamples) {
      const rms = Math.sqrt(this.sumSquares / this.frameSamples);
      const pcm = this.frame.buffer;
      this.port.postMessage({ pcm, rms }, [pcm]);
      this.frame = new Int16Array(this.frameSamples);
      this.filled = 0;
      this.sumSquares = 0;
    }
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const length = channels[0].length;
    for (let i = 0; i < length; i++) {
      let x = 0;
      for (let c = 0; c < channels.length; c++) x += channels[c][i];
      const y = this.filter(x / channels.length);
      this.inIndex += 1;
      while (this.nextOut <= this.inIndex) {
        const frac = this.nextOut - (this.inIndex - 1);
        this.emit(this.prev + (y - this.prev) * frac);
        this.nextOut += this.step;
      }
      this.prev = y;
    }
    return true;
  }
}

// Windowed-sinc (Blackman) low-pass FIR; `cutoff` in cycles per input sample.
function lowPassTaps(cutoff, count) {
  const taps = new Float32Array(count);
  const mid = (count - 1) / 2;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const t = i - mid;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (count - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (count - 1));
    taps[i] = sinc * w;
    sum += taps[i];
  }
  for (let i = 0; i < count; i++) taps[i] /= sum;
  return taps;
}

registerProcessor("capture", CaptureProcessor);
