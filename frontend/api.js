// The HTTP API (docs/CONTRACTS.md), with the page's ?token= passed along.

export const pageParams = new URLSearchParams(location.search);
export const token = pageParams.get("token");

export function apiUrl(path, query = {}) {
  const url = new URL(path, location.href);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  if (token) url.searchParams.set("token", token);
  return url.pathname + url.search;
}

async function request(path, init = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(apiUrl(path), { ...init, headers });
  if (!response.ok) {
    let detail = "";
    try {
      const body = await response.json();
      detail = (body.error && body.error.message) || body.message || body.detail || "";
    } catch {
      /* not JSON */
    }
    throw new Error(`${response.status} ${response.statusText}${detail ? `: ${detail}` : ""}`);
  }
  return response.status === 204 ? null : response.json();
}

/** The server wraps lists (`{"workflows": [...]}`); a bare list is accepted too. */
const unwrap = (key) => (body) => (Array.isArray(body) ? body : (body && body[key]) || []);

export const listWorkflows = () => request("api/workflows").then(unwrap("workflows"));
export const listSessions = () => request("api/sessions").then(unwrap("sessions"));
export const getSession = (id) => request(`api/sessions/${encodeURIComponent(id)}`);
export const getProgress = (id) => request(`api/sessions/${encodeURIComponent(id)}/progress`);
export const deleteSession = (id) => request(`api/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
export const exportUrl = (id, format) => apiUrl(`api/sessions/${encodeURIComponent(id)}/export`, { format });
