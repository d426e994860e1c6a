// Replica's dashboard. Everything shown goes through textContent or SVG text nodes, never HTML: frame payloads,
// log lines and names are untrusted text. Changes are POSTs with a JSON body to this same origin.
"use strict";

const WINDOW_MS = 60000;
const FEED_ROWS = 200;
const VERBS = ["restart", "stop", "start", "kill", "pause", "resume"];
const opened = Date.now();
const timeline = { lifecycle: [], frames: [], failures: [], windows: new Map(), closed: [] };
let state = null;
let refreshQueued = false;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else if (key === "title") node.title = value;
    else node[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, error) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.className = error ? "error" : "";
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
  });
  const json = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(json.error || `HTTP ${response.status}`);
  return json;
}

async function act(button, what, path, body) {
  button.disabled = true;
  say(`${what}…`);
  try {
    const result = await post(path, body);
    say(`${what}: done${result.seconds !== undefined ? ` in ${result.seconds.toFixed(2)} s` : ""}${result.status ? `, ${result.status}` : ""}`);
  } catch (e) {
    say(`${what}: ${e.message}`, true);
  } finally {
    button.disabled = false;
    refresh();
  }
}

async function refresh() {
  try {
    const response = await fetch("/api/state", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state = await response.json();
    render();
  } catch (e) {
    say(`state: ${e.message}`, true);
  }
}

function queueRefresh() {
  if (refreshQueued) return;
  refreshQueued = true;
  setTimeout(() => { refreshQueued = false; refresh(); }, 150);
}

function render() {
  document.getElementById("env-name").textContent = state.name;
  const facts = [`${state.runtime} runtime`, `edge ${state.edge ?? "none"}`, `seed ${state.seed}`];
  if (state.network && state.network !== "none") facts.push(`network ${state.network}`);
  document.getElementById("env-facts").textContent = facts.join(" · ");
  renderServices();
  renderDependencies();
  renderRules();
  trackFaultWindows();
  if (state.run) renderRun(state.run);
}

let shownRun = null;
function renderRun(run) {
  const key = `${run.variant}/${run.index}/${run.outcome}`;
  if (key === shownRun) return;
  shownRun = key;
  document.getElementById("run-section").hidden = false;
  document.getElementById("run-summary").textContent =
    `${run.scenario}: ${run.variant} ${run.index}/${run.runs} ${run.outcome}${run.failure ? ` — ${run.failure}` : ""} (${run.seconds.toFixed(2)} s)`;
  const body = document.querySelector("#tally tbody");
  body.replaceChildren(...Object.entries(run.tally).map(([variant, t]) => el("tr", { "data-variant": variant },
    el("td", {}, variant), el("td", { class: "symptom" }, t.symptom ?? 0), el("td", {}, t.otherFailure ?? 0),
    el("td", { class: "passed" }, t.passed ?? 0), el("td", {}, t.error ?? 0))));
  document.getElementById("run-timeline").src = `/api/run/timeline.svg?run=${encodeURIComponent(key)}`;
}

// Rows are rebuilt only when what they show changed, so a button is not replaced under the pointer.
function reconcile(body, items, keyOf, build) {
  const existing = new Map([...body.rows].map(row => [row.dataset.key, row]));
  const rows = items.map(item => {
    const key = JSON.stringify(keyOf(item));
    const row = existing.get(key) ?? build(item);
    row.dataset.key = key;
    return row;
  });
  if (rows.length !== body.rows.length || rows.some((row, i) => body.rows[i] !== row)) body.replaceChildren(...rows);
}

function renderServices() {
  const body = document.querySelector("#services tbody");
  reconcile(body, state.services, s => s, s => {
    const settings = Object.entries(s.settings || {}).map(([k, v]) => el("span", { class: "chip" }, `${k}=${v}`));
    const buttons = VERBS.map(verb => {
      const button = el("button", { type: "button", "data-verb": verb, class: verb === "kill" || verb === "stop" ? "danger" : "" }, verb);
      button.addEventListener("click", () => act(button, `${verb} ${s.name}`, `/api/services/${encodeURIComponent(s.name)}/${verb}`));
      return button;
    });
    const log = el("div", { class: "log", title: (s.log || []).join("\n") }, (s.log || []).slice(-3).join("\n"));
    return el("tr", { "data-service": s.name, "data-status": s.status },
      el("td", {}, el("b", {}, s.name), el("div", { class: "detail" }, s.kind)),
      el("td", {}, el("span", { class: `badge ${s.status}` }, s.status), el("div", { class: "detail" }, s.health ?? "")),
      el("td", {}, s.endpoint ?? "–"),
      el("td", {}, s.pid ?? s.container ?? "–"),
      el("td", { class: "actions" }, ...buttons),
      el("td", { class: "settings" }, ...settings),
      el("td", {}, log));
  });
}

function renderDependencies() {
  const body = document.querySelector("#dependencies tbody");
  reconcile(body, state.dependencies, d => d, d => {
    const toxics = d.toxics.map(t => {
      const remove = el("button", { type: "button", class: "danger", "data-toxic": t.name }, "remove");
      remove.addEventListener("click", () => act(remove, `remove ${t.name} from ${d.name}`,
        `/api/dependencies/${encodeURIComponent(d.name)}/toxics/${encodeURIComponent(t.name)}/remove`));
      const attributes = Object.entries(t.attributes || {}).map(([k, v]) => `${k}=${v}`).join(" ");
      return el("span", { class: "toxic", "data-toxic-name": t.name }, `${t.name}: ${t.type} ${t.stream} ${attributes} `, remove);
    });
    const toggle = el("button", { type: "button", "data-toggle": d.enabled ? "disable" : "enable" }, d.enabled ? "disable" : "enable");
    toggle.addEventListener("click", () => act(toggle, `${d.enabled ? "disable" : "enable"} ${d.name}`,
      `/api/dependencies/${encodeURIComponent(d.name)}/${d.enabled ? "disable" : "enable"}`));
    return el("tr", { "data-dependency": d.name },
      el("td", { class: d.enabled ? "" : "disabled-dep" }, el("b", {}, d.name), el("div", { class: "detail" }, `${d.dependent} → ${d.dependency}${d.enabled ? "" : " (down)"}`)),
      el("td", {}, `${d.listen ?? "direct"} → ${d.upstream}`),
      el("td", {}, ...(toxics.length ? toxics : ["–"])),
      el("td", {}, toggle));
  });
  fillSelect(document.getElementById("toxic-dependency"), state.dependencies.map(d => d.name));
  fillSelect(document.getElementById("toxic-type"), state.toxicTypes || []);
}

function fillSelect(select, names) {
  const current = select.value;
  if ([...select.options].map(o => o.value).join() === names.join()) return;
  select.replaceChildren(...names.map(n => el("option", { value: n }, n)));
  if (names.includes(current)) select.value = current;
}

function renderRules() {
  const body = document.querySelector("#rules tbody");
  const rules = state.rules || [];
  if (!rules.length) {
    body.replaceChildren(el("tr", {}, el("td", { colSpan: 4, class: "detail" }, "no rules")));
    return;
  }
  reconcile(body, rules, r => r, r => {
    const remove = el("button", { type: "button", class: "danger" }, "remove");
    remove.addEventListener("click", () => act(remove, `remove rule ${r.id}`, `/api/edge/rules/${encodeURIComponent(r.id)}/remove`));
    return el("tr", { "data-rule": r.id }, el("td", {}, r.id), el("td", { class: "detail" }, r.rule), el("td", {}, r.injected), el("td", {}, remove));
  });
}

// Fault windows as the page sees them come and go: a toxic, a dependency down, an edge rule.
function trackFaultWindows() {
  const now = Date.now();
  const present = new Set();
  for (const d of state.dependencies) {
    for (const t of d.toxics) present.add(`${t.type} on ${d.name} (${t.name})`);
    if (!d.enabled) present.add(`${d.name} down`);
  }
  for (const r of state.rules || []) present.add(`edge rule ${r.id}`);
  for (const label of present) if (!timeline.windows.has(label)) timeline.windows.set(label, now);
  for (const [label, from] of timeline.windows) {
    if (!present.has(label)) {
      timeline.closed.push({ label, from, until: now });
      timeline.windows.delete(label);
    }
  }
}

function addFeedRow(item, at) {
  const body = document.querySelector("#feed tbody");
  const time = new Date(item.at || at).toISOString().slice(11, 23);
  let row;
  if (item.kind === "frame" || item.kind === "close") {
    const failure = item.kind === "close" && item.status !== 1000;
    row = el("tr", { class: `${item.direction} ${failure ? "failure" : ""} ${item.fault ? "fault" : ""}`, "data-kind": item.kind, "data-type": item.type ?? "" },
      el("td", {}, time), el("td", {}, item.connection ?? ""),
      el("td", { class: "dir" }, item.direction === "to-client" ? "←" : "→"),
      el("td", {}, item.type ?? "(not JSON)"), el("td", {}, item.status ?? ""),
      el("td", { class: "payload", title: item.text ?? "" }, item.text ?? ""),
      el("td", { class: "fault" }, item.fault ?? ""));
  } else if (item.kind === "request" || item.kind === "websocket") {
    row = el("tr", { class: item.status >= 500 ? "failure" : "", "data-kind": item.kind },
      el("td", {}, time), el("td", {}, item.route), el("td", { class: "dir" }, "⇢"),
      el("td", {}, `${item.method} ${item.path}`), el("td", {}, item.status),
      el("td", { class: "payload" }, item.milliseconds !== undefined ? `${item.milliseconds.toFixed(1)} ms` : ""),
      el("td", { class: "fault" }, ""));
  } else if (item.kind === "fault") {
    row = el("tr", { class: "fault", "data-kind": "fault" },
      el("td", {}, time), el("td", {}, ""), el("td", { class: "dir" }, "⚡"), el("td", {}, item.type ?? ""),
      el("td", {}, ""), el("td", { class: "payload" }, `${item.path ?? ""} ${item.text ?? ""}`), el("td", { class: "fault" }, `rule ${item.fault}`));
  } else {
    return;
  }
  body.prepend(row);
  while (body.rows.length > FEED_ROWS) body.deleteRow(body.rows.length - 1);
}

function onFeed(message) {
  const { channel, item } = JSON.parse(message.data);
  const now = Date.now();
  if (channel === "edge") {
    addFeedRow(item, now);
    const at = item.at ? Date.parse(item.at) : now;
    if (item.kind === "frame") timeline.frames.push({ at, label: item.type ?? "?", toClient: item.direction === "to-client" });
    if (item.kind === "close" && item.status !== 1000) timeline.failures.push({ at, label: `close ${item.status} ${item.text ?? ""}` });
    if (item.kind === "request" && item.status >= 500) timeline.failures.push({ at, label: `HTTP ${item.status} ${item.path}` });
  } else if (channel === "env") {
    const at = item.at ? Date.parse(item.at) : now;
    timeline.lifecycle.push({ at, service: item.service ?? "environment", label: item.kind });
    if (item.kind === "exited" || item.kind === "unhealthy") timeline.failures.push({ at, label: `${item.service} ${item.message}` });
    queueRefresh();
  } else if (channel === "action") {
    queueRefresh();
  } else if (channel === "run") {
    renderRun(item);
  }
}

function svg(tag, attributes, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawTimeline() {
  const picture = document.getElementById("timeline");
  // The last minute; a page open for less than that spans its own life (at least 15 s), so nothing is squeezed to the right.
  const now = Date.now(), span = Math.min(WINDOW_MS, Math.max(15000, now - opened + 2000)), width = 1000, left = 90, from = now - span;
  const x = t => left + (Math.max(t, from) - from) / span * (width - left - 10);
  const services = state ? state.services.map(s => s.name) : [];
  const lanes = ["faults", ...services, "frames", "failures"];
  const laneHeight = 200 / lanes.length;
  const y = lane => lanes.indexOf(lane) * laneHeight;
  const nodes = [];
  lanes.forEach((lane, i) => {
    nodes.push(svg("line", { class: "lane", x1: 0, x2: width, y1: (i + 1) * laneHeight, y2: (i + 1) * laneHeight }));
    nodes.push(svg("text", { x: 4, y: i * laneHeight + laneHeight / 2 + 3 }, lane));
  });
  const windows = [...timeline.closed, ...[...timeline.windows].map(([label, start]) => ({ label, from: start, until: now }))]
    .filter(w => w.until >= from);
  windows.forEach((w, i) => {
    const top = y("faults") + 2 + (i % 3) * (laneHeight - 4) / 3;
    const height = (laneHeight - 4) / 3;
    const rect = svg("rect", { class: "window", x: x(w.from), y: top, width: Math.max(2, x(w.until) - x(w.from)), height });
    rect.append(svg("title", {}, w.label));
    nodes.push(rect, svg("text", { x: x(w.from) + 3, y: top + height - 2 }, w.label));
  });
  // A label only where it has room: the latest event of a burst (stopping, stopped, starting, started, healthy) names it.
  const shown = timeline.lifecycle.filter(e => e.at >= from && lanes.includes(e.service));
  shown.forEach((e, i) => {
    const mark = svg("rect", { class: "lifecycle", x: x(e.at) - 1, y: y(e.service) + 3, width: 2, height: laneHeight - 6 });
    mark.append(svg("title", {}, `${e.service} ${e.label}`));
    nodes.push(mark);
    const next = shown.slice(i + 1).find(n => n.service === e.service);
    if (!next || x(next.at) - x(e.at) > 70) nodes.push(svg("text", { x: x(e.at) + 3, y: y(e.service) + laneHeight / 2 + 3 }, e.label));
  });
  for (const f of timeline.frames.filter(f => f.at >= from)) {
    const dot = svg("circle", { class: f.toClient ? "frame-in" : "frame-out", cx: x(f.at), cy: y("frames") + laneHeight / 2 + (f.toClient ? 3 : -3), r: 2.5 });
    dot.append(svg("title", {}, `${f.toClient ? "←" : "→"} ${f.label}`));
    nodes.push(dot);
  }
  for (const f of timeline.failures.filter(f => f.at >= from)) {
    const mark = svg("rect", { class: "failure", x: x(f.at) - 2, y: y("failures") + 3, width: 4, height: laneHeight - 6 });
    mark.append(svg("title", {}, f.label));
    nodes.push(mark, svg("text", { x: x(f.at) + 4, y: y("failures") + laneHeight / 2 + 3 }, f.label));
  }
  nodes.push(svg("line", { class: "now", x1: x(now), x2: x(now), y1: 0, y2: 200 }));
  picture.replaceChildren(...nodes);
  for (const list of [timeline.frames, timeline.lifecycle, timeline.failures]) {
    while (list.length && list[0].at < from - 5000) list.shift();
  }
}

function connect() {
  const live = document.getElementById("live");
  const feed = new EventSource("/api/events");
  feed.onopen = () => { live.textContent = "feed: live"; live.className = "live on"; };
  feed.onerror = () => { live.textContent = "feed: reconnecting…"; live.className = "live off"; };
  feed.onmessage = onFeed;
}

function wireForms() {
  document.getElementById("toxic-form").addEventListener("submit", event => {
    event.preventDefault();
    const dependency = document.getElementById("toxic-dependency").value;
    const attributes = {};
    for (const pair of document.getElementById("toxic-attributes").value.split(/\s+/).filter(Boolean)) {
      const [key, ...rest] = pair.split("=");
      const value = rest.join("=");
      attributes[key] = value !== "" && !isNaN(Number(value)) ? Number(value) : value;
    }
    const body = { type: document.getElementById("toxic-type").value, stream: document.getElementById("toxic-stream").value, attributes };
    const name = document.getElementById("toxic-name").value.trim();
    if (name) body.name = name;
    act(document.getElementById("toxic-add"), `add ${body.type} on ${dependency}`, `/api/dependencies/${encodeURIComponent(dependency)}/toxics`, body);
  });
  document.getElementById("rule-form").addEventListener("submit", event => {
    event.preventDefault();
    let rule;
    try {
      rule = JSON.parse(document.getElementById("rule-json").value);
    } catch (e) {
      say(`rule: not JSON: ${e.message}`, true);
      return;
    }
    act(document.getElementById("rule-add"), "add edge rule", "/api/edge/rules", rule);
  });
}

wireForms();
refresh();
connect();
setInterval(refresh, 3000);
setInterval(drawTimeline, 500);
