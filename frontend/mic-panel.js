// The microphone panel: opening the mic (with clear messages when it cannot be used), the level
// meters for the mic and the agent's voice, and mute.

import { Mic } from "./audio.js";
import { meterFraction, micProblem } from "./format.js";
import { showBanner } from "./ui.js";

const $ = (id) => document.getElementById(id);

export class MicPanel {
  /** `onFrame(pcm)` gets every captured frame; `levelOut()` is the agent's playback level (RMS). */
  constructor({ raw, onFrame, levelOut, stats }) {
    Object.assign(this, { raw, onFrame, levelOut, stats });
    this.mic = null;
    this.muted = false;
    this.level = 0;
    this.timer = null;
    $("mute").addEventListener("click", () => this.toggleMute());
  }

  get open() {
    return this.mic !== null;
  }

  async openMic() {
    this.setStatus("");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.setStatus("This page cannot use a microphone here (it needs https or localhost). You can type instead.", true);
      return;
    }
    try {
      this.mic = await Mic.open({ raw: this.raw, onFrame: (pcm, rms) => this.frame(pcm, rms) });
      this.mic.muted = this.muted;
      this.setStatus(this.raw ? "Microphone on (raw: no echo cancellation)." : "Microphone on.");
    } catch (err) {
      this.mic = null;
      const text = micProblem(err);
      this.setStatus(text, true);
      showBanner(text, "warn");
    }
  }

  close() {
    if (this.mic) this.mic.close();
    this.mic = null;
    clearInterval(this.timer);
    this.timer = null;
    this.level = 0;
    this.updateMeters();
  }

  startMeters() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.updateMeters(), 80);
  }

  frame(pcm, rms) {
    if (rms > this.stats.micRms) this.stats.micRms = rms;
    this.level = Math.max(rms, this.level * 0.8);
    // Muted frames are silence (the track is disabled) and still flow: the server's clock is the audio.
    this.onFrame(pcm);
  }

  setStatus(text, problem = false) {
    const el = $("mic-status");
    el.textContent = text;
    el.classList.toggle("problem", problem);
  }

  updateMeters() {
    const micFraction = meterFraction(this.muted ? 0 : this.level);
    this.level *= 0.8;
    $("mic-meter").style.width = `${micFraction * 100}%`;
    $("mic-meter").parentElement.setAttribute("aria-valuenow", String(Math.round(micFraction * 100)));
    $("out-meter").style.width = `${meterFraction(this.levelOut()) * 100}%`;
  }

  toggleMute() {
    this.muted = !this.muted;
    if (this.mic) this.mic.muted = this.muted;
    const button = $("mute");
    button.setAttribute("aria-pressed", String(this.muted));
    button.textContent = this.muted ? "Unmute" : "Mute";
  }
}
