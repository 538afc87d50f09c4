// "May be unclear" marks: words the recogniser was unsure of in otherwise clear speech
// (`unclear_words` in a turn's fluency: {word, index, start, end}), optionally with a button that
// replays just that word from the learner's own audio.

import { h } from "./render.js";

const bare = (token) => token.toLowerCase().replace(/[^a-z0-9']/g, "");

/** Which tokens of `text` (split on spaces) are unclear: Map token index → unclear word. */
export function unclearTokens(text, unclear) {
  const tokens = String(text || "").split(/\s+/).filter(Boolean);
  const marks = new Map();
  for (const u of unclear || []) {
    let at = typeof u.index === "number" && bare(tokens[u.index] || "") === u.word ? u.index : -1;
    if (at < 0) at = tokens.findIndex((t, i) => bare(t) === u.word && !marks.has(i));
    if (at >= 0) marks.set(at, u);
  }
  return { tokens, marks };
}

/** The text with unclear words marked; `replay(u)` (optional) plays one word's audio. */
export function markUnclear(text, unclear, replay = null) {
  const { tokens, marks } = unclearTokens(text, unclear);
  if (!marks.size) return String(text || "");
  const out = [];
  tokens.forEach((token, i) => {
    if (i) out.push(" ");
    const u = marks.get(i);
    if (!u) {
      out.push(token);
      return;
    }
    const title = `may be unclear (${u.start.toFixed(1)}–${u.end.toFixed(1)} s)`;
    out.push(h("mark", { class: "unclear", title, "data-start": u.start, "data-end": u.end }, token));
    if (replay) out.push(h("button", { type: "button", class: "replay", title: "Hear how you said it", onclick: () => replay(u) }, "▶"));
  });
  return out;
}
