// The workflow picker and its options form, built from GET /api/workflows.

import { listWorkflows, pageParams } from "./api.js";
import { h, humanize } from "./render.js";

const $ = (id) => document.getElementById(id);

/** The workflows as the server lists them ({name, title, description, options}). */
export let workflows = [];

/** Fill the picker (throws when the API fails). `?workflow=` preselects one. */
export async function loadWorkflows() {
  workflows = await listWorkflows();
  const select = $("workflow");
  select.replaceChildren(...workflows.map((w) => h("option", { value: w.name }, w.title || humanize(w.name))));
  const wanted = pageParams.get("workflow");
  if (wanted && workflows.some((w) => w.name === wanted)) select.value = wanted;
  renderOptions();
  select.addEventListener("change", () => {
    if (select.value !== renderedWorkflow) renderOptions();
  });
}

/** Pick a workflow and fill its options with `values` (a resumed session's options). */
export function selectWorkflow(name, values = {}) {
  if (workflows.some((w) => w.name === name)) $("workflow").value = name;
  renderOptions(values);
}

export function workflowTitle(name) {
  const wf = workflows.find((w) => w.name === name);
  return wf ? wf.title || humanize(name) : humanize(name || "session");
}

function currentWorkflow() {
  return workflows.find((w) => w.name === $("workflow").value);
}

let renderedWorkflow = null;

export function renderOptions(values = {}) {
  const wf = currentWorkflow();
  renderedWorkflow = wf ? wf.name : null;
  $("workflow-desc").textContent = wf ? wf.description || "" : "";
  const fieldset = $("options");
  fieldset.replaceChildren(h("legend", {}, "Options"));
  const options = (wf && wf.options) || [];
  fieldset.hidden = options.length === 0;
  for (const opt of options) fieldset.append(optionField(opt, values[opt.name] ?? opt.default));
}

const NUMBER_TYPES = new Set(["int", "integer", "float", "number"]);

function optionField(opt, value) {
  const id = `opt-${opt.name}`;
  const helpId = opt.help ? `${id}-help` : null;
  const common = { id, name: opt.name, "data-type": opt.type, "aria-describedby": helpId };
  let input;
  if (Array.isArray(opt.choices) && opt.choices.length) {
    input = h("select", common, opt.choices.map((c) => h("option", { value: String(c) }, String(c))));
    if (value !== undefined && value !== null) input.value = String(value);
  } else if (opt.type === "bool" || opt.type === "boolean") {
    input = h("input", { ...common, type: "checkbox" });
    input.checked = Boolean(value);
  } else if (NUMBER_TYPES.has(opt.type)) {
    const step = opt.type === "int" || opt.type === "integer" ? "1" : "any";
    input = h("input", { ...common, type: "number", min: opt.min, max: opt.max, step, inputmode: "decimal" });
    if (value !== undefined && value !== null) input.value = String(value);
  } else {
    input = h("input", { ...common, type: "text", autocomplete: "off" });
    if (value !== undefined && value !== null) input.value = String(value);
  }
  const checkbox = input.type === "checkbox";
  return h(
    "div",
    { class: `field${checkbox ? " check" : ""}` },
    checkbox ? [input, h("label", { for: id }, humanize(opt.name))] : [h("label", { for: id }, humanize(opt.name)), input],
    opt.help ? h("small", { id: helpId, class: "hint" }, opt.help) : null,
  );
}

/** The form's values, typed as the server expects (numbers for int options). */
export function readOptions() {
  const wf = currentWorkflow();
  const out = {};
  for (const opt of (wf && wf.options) || []) {
    const input = $(`opt-${opt.name}`);
    if (!input) continue;
    if (input.type === "checkbox") out[opt.name] = input.checked;
    else if (input.value === "") continue;
    else if (NUMBER_TYPES.has(opt.type) && !(Array.isArray(opt.choices) && opt.choices.length)) out[opt.name] = Number(input.value);
    else if (Array.isArray(opt.choices)) out[opt.name] = opt.choices.find((c) => String(c) === input.value) ?? input.value;
    else out[opt.name] = input.value;
  }
  return out;
}
