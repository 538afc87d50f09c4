// The workflow picker and its options form, built from GET /api/workflows (the form from each
// workflow's options JSON Schema, through option-fields.js).

import { listWorkflows, pageParams } from "./api.js";
import { optionFields, readOptionValues } from "./option-fields.js";
import { h, humanize } from "./render.js";

const $ = (id) => document.getElementById(id);

/** The workflows as the server lists them ({name, title, description, options, schema}). */
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
  const fields = optionFields(wf && wf.schema, values);
  fieldset.hidden = fields.length === 0;
  for (const field of fields) fieldset.append(fieldElement(field));
}

function fieldElement(field) {
  const id = `opt-${field.name}`;
  const helpId = field.help ? `${id}-help` : null;
  const common = { id, name: field.name, "data-kind": field.kind, "aria-describedby": helpId, required: field.required };
  const value = field.value === null ? "" : String(field.value);
  let input;
  if (field.kind === "select") {
    input = h("select", common, field.choices.map((c) => h("option", { value: String(c) }, String(c))));
    input.value = value;
  } else if (field.kind === "checkbox") {
    input = h("input", { ...common, type: "checkbox" });
    input.checked = Boolean(field.value);
  } else if (field.kind === "number") {
    input = h("input", { ...common, type: "number", min: field.min, max: field.max, step: field.step, inputmode: field.integer ? "numeric" : "decimal" });
    input.value = value;
  } else {
    input = h("input", { ...common, type: "text", autocomplete: "off", maxlength: field.maxLength });
    input.value = value;
  }
  const checkbox = field.kind === "checkbox";
  const label = h("label", { for: id }, field.label);
  return h(
    "div",
    { class: `field${checkbox ? " check" : ""}` },
    checkbox ? [input, label] : [label, input],
    field.help ? h("small", { id: helpId, class: "hint" }, field.help) : null,
  );
}

/** The form's values, typed as the workflow's options schema says (numbers for integers). */
export function readOptions() {
  const wf = currentWorkflow();
  const fields = optionFields(wf && wf.schema);
  const raw = {};
  for (const field of fields) {
    const input = $(`opt-${field.name}`);
    if (input) raw[field.name] = input.type === "checkbox" ? input.checked : input.value;
  }
  return readOptionValues(fields, raw);
}
