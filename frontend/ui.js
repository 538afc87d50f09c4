// Status indicator, banner (fatal problems, lost connection) and toasts (non-fatal errors).

import { h } from "./render.js";

const $ = (id) => document.getElementById(id);

const INDICATOR_LABELS = {
  idle: "Idle",
  connecting: "Connecting…",
  listening: "Listening",
  ready: "Ready — type below",
  hearing: "Hearing you",
  thinking: "Thinking…",
  speaking: "Speaking",
  reconnecting: "Reconnecting…",
};

export function setIndicator(state, label) {
  const el = $("indicator");
  el.dataset.state = state;
  $("indicator-text").textContent = label || INDICATOR_LABELS[state] || state;
}

export function indicatorState() {
  return $("indicator").dataset.state;
}

let bannerAction = null;

export function showBanner(text, kind = "error", actionLabel = null, action = null) {
  const banner = $("banner");
  banner.dataset.kind = kind;
  $("banner-text").textContent = text;
  const button = $("banner-action");
  button.hidden = !actionLabel;
  button.textContent = actionLabel || "";
  bannerAction = action;
  banner.hidden = false;
}

export function hideBanner() {
  $("banner").hidden = true;
  bannerAction = null;
}

/** Enable the page's controls for where the session is (`micOpen`: a microphone is in use). */
export function setControls({ active, started, finishing, threadId }, micOpen) {
  $("start").disabled = active;
  $("stop").disabled = !active;
  $("finish").disabled = !started || finishing;
  $("workflow").disabled = active;
  if ($("transport")) $("transport").disabled = active;
  $("resume-id").disabled = active;
  for (const el of $("options").querySelectorAll("input, select")) el.disabled = active;
  $("text-input").disabled = !started;
  $("text-form").querySelector("button").disabled = !started;
  $("mute").disabled = !active || !micOpen;
  $("copy-thread").disabled = !threadId;
  for (const b of document.querySelectorAll("[data-resume]")) b.disabled = active;
}

export function toast(text, kind = "info") {
  const el = h("div", { class: "toast", "data-kind": kind, role: kind === "error" ? "alert" : "status" }, text);
  $("toasts").append(el);
  setTimeout(() => el.remove(), 6000);
}

$("banner-close").addEventListener("click", hideBanner);
$("banner-action").addEventListener("click", () => bannerAction && bannerAction());
