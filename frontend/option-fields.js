// A workflow's options form, described from the JSON Schema of its pydantic options model
// (`schema` in GET /api/workflows). Pure (no DOM): workflow-form.js renders the fields.
// Unit-tested with `node --test tests/frontend/js`.

import { humanize } from "./format.js";

/** The schema of one property, with a local `$ref` resolved and `X | null` unwrapped. */
function resolve(schema, root) {
  let out = schema || {};
  const ref = typeof out.$ref === "string" && out.$ref.match(/^#\/\$defs\/(.+)$/);
  if (ref) out = { ...((root.$defs || {})[ref[1]] || {}), ...out, $ref: undefined };
  const variants = Array.isArray(out.anyOf) ? out.anyOf.map((v) => resolve(v, root)) : null;
  if (!variants) return { schema: out, nullable: out.type === "null" };
  const value = variants.filter((v) => v.schema.type !== "null");
  const nullable = value.length < variants.length;
  return value.length === 1 ? { schema: { ...value[0].schema, ...out, anyOf: undefined }, nullable } : { schema: out, nullable };
}

const NUMBER = new Set(["integer", "number"]);

/**
 * One field per property of the options schema, in the schema's order:
 * {name, label, help, kind: "select"|"checkbox"|"number"|"text", choices?, min?, max?, step?,
 *  maxLength?, required, value} — `value` is `values[name]`, else the schema's default.
 */
export function optionFields(schema, values = {}) {
  const root = schema || {};
  const required = new Set(root.required || []);
  return Object.entries(root.properties || {}).map(([name, property]) => {
    const { schema: s, nullable } = resolve(property, root);
    const field = {
      name,
      label: humanize(name),
      help: s.description || "",
      kind: "text",
      required: required.has(name) && !nullable,
      value: values[name] ?? s.default ?? null,
    };
    if (Array.isArray(s.enum) && s.enum.length) return { ...field, kind: "select", choices: s.enum };
    if (s.type === "boolean") return { ...field, kind: "checkbox" };
    if (NUMBER.has(s.type)) {
      return { ...field, kind: "number", min: s.minimum, max: s.maximum, step: s.type === "integer" ? 1 : "any", integer: s.type === "integer" };
    }
    return { ...field, maxLength: s.maxLength };
  });
}

/**
 * The options to send, typed as the schema says, from the inputs' raw values (`raw[name]`: the
 * input's string, or a checkbox's boolean). Blank inputs are left out (the server's default holds).
 */
export function readOptionValues(fields, raw) {
  const out = {};
  for (const field of fields) {
    const value = raw[field.name];
    if (value === undefined || value === null) continue;
    if (field.kind === "checkbox") {
      out[field.name] = Boolean(value);
      continue;
    }
    const text = String(value).trim();
    if (text === "") continue;
    if (field.kind === "number") out[field.name] = Number(text);
    else if (field.kind === "select") out[field.name] = field.choices.find((c) => String(c) === text) ?? text;
    else out[field.name] = text;
  }
  return out;
}
