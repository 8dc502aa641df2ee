// fourp's web app (fourp serve): a workspace of scenarios and results, a form made from the
// model's declared parameters, runs with live progress, reports and comparisons. Plain
// JavaScript, no framework and nothing fetched from elsewhere; every call goes to this page's
// own server (app/serve/server.cpp documents the API).
"use strict";

// The token has become a cookie: take it out of the address bar (as Jupyter does).
if (location.search.includes("token=")) history.replaceState(null, "", location.pathname + location.hash);

const main = document.getElementById("main");
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const esc = encodeURIComponent;

async function api(path, body) {
  const opts = body === undefined ? {} :
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function fmtNumber(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en");
  return Number(x.toPrecision(digits)).toString();
}
function fmtTime(seconds) {
  if (!isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : `${s} s`;
}

// --- Routing: #/, #/edit?path=, #/results?path=, #/compare?a=&b= ------------------------------
function route() {
  const [name, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  const views = { "/": home, "/edit": edit, "/results": results, "/compare": compare };
  (views[name] || home)(params).catch(showError);
}
function showError(err) {
  main.replaceChildren(el("p", { class: "error", role: "alert" }, String(err.message || err)));
}
window.addEventListener("hashchange", route);

// --- Home ------------------------------------------------------------------------------------
async function home() {
  const w = await api("/api/workspace");
  document.title = "fourp — workspace";
  const scenarioRows = w.scenarios.map(s => el("tr", {},
    el("td", {}, s.kind === "scenario"
      ? el("a", { href: `#/edit?path=${esc(s.path)}`, "data-scenario": s.path }, s.path)
      : el("span", {}, s.path)),
    el("td", {}, el("span", { class: "tag" }, s.kind)),
    el("td", {}, s.name || ""), el("td", { class: "muted" }, s.description || s.problem || ""),
    el("td", {}, (s.arms || []).join(", ")), el("td", { class: "num" }, s.replicates || ""),
    el("td", { class: "muted" }, s.modified)));
  const resultRows = w.results.map(r => el("tr", {},
    el("td", {}, el("a", { href: `#/results?path=${esc(r.path)}`, "data-results": r.path }, r.path)),
    el("td", {}, el("span", { class: "tag" }, r.kind || "not fourp's")),
    el("td", { class: "muted" }, r.modified),
    el("td", { class: "num" }, `${fmtNumber(r.bytes / 1e6)} MB`),
    el("td", {}, el("a", { href: `/api/file?path=${esc(r.path)}&download=1` }, "HDF5"))));
  const runRows = w.runs.map(runRow);
  main.replaceChildren(
    el("h1", {}, "Workspace ", el("span", { class: "muted" }, w.root)),
    el("h2", {}, "Scenarios"),
    el("table", { id: "scenarios" }, el("tr", {}, ...["file", "kind", "name", "description", "arms",
      "replicates", "changed"].map(h => el("th", {}, h))), scenarioRows),
    el("h2", {}, "Results"),
    resultRows.length ? el("table", { id: "results" }, el("tr", {}, ...["file", "kind", "written",
      "size", "download"].map(h => el("th", {}, h))), resultRows)
      : el("p", { class: "muted" }, "No results yet: open a scenario and run it."),
    runRows.length ? el("h2", {}, "Runs since the server started") : null,
    runRows.length ? el("table", {}, runRows) : null);
}
function runRow(r) {
  const pct = r.total ? Math.round(100 * r.done / r.total) : 0;
  return el("tr", {}, el("td", {}, `#${r.id}`), el("td", {}, r.scenario),
    el("td", { class: `state-${r.state}` }, r.state, r.state === "running" ? ` ${pct}%` : ""),
    el("td", {}, r.results ? el("a", { href: `#/results?path=${esc(r.results)}` }, r.results) : r.error || ""));
}

// --- Editing a scenario ----------------------------------------------------------------------
const editor = { path: "", text: "", saved: "", form: null, diagnostics: [], pending: null };

async function edit(params) {
  editor.path = params.get("path");
  const res = await fetch(`/api/file?path=${esc(editor.path)}`);
  if (!res.ok) throw new Error((await res.json()).error);
  editor.text = editor.saved = await res.text();
  editor.form = null;
  document.title = `fourp — ${editor.path}`;
  main.replaceChildren(
    el("h1", {}, editor.path),
    el("div", { class: "row" },
      el("button", { onclick: save, id: "save" }, "Save"),
      el("button", { onclick: saveAs }, "Save as…"),
      el("button", { onclick: download }, "Download YAML"),
      el("label", { class: "button" }, "Upload YAML",
        el("input", { type: "file", accept: ".yaml,.yml", hidden: true, onchange: upload })),
      el("span", { id: "status", class: "muted", "aria-live": "polite" })),
    el("div", { class: "editor" },
      el("div", {}, el("div", { id: "form" }), el("div", { id: "arms" })),
      el("div", {},
        el("div", { class: "panel", id: "run-panel" }),
        el("h2", {}, "Messages"), el("ul", { id: "diagnostics", class: "diagnostics" }),
        el("h2", {}, "YAML ", el("span", { class: "muted" }, "(edit here or in the form: they stay in step)")),
        el("textarea", { id: "yaml", spellcheck: "false", oninput: onYamlInput }))));
  document.getElementById("yaml").value = editor.text;
  renderRunPanel();
  applyCheck(await api("/api/check", { path: editor.path, text: editor.text }), true);
}

function setStatus(text, cls = "muted") {
  const s = document.getElementById("status");
  if (s) { s.textContent = text; s.className = cls; }
}

// A server answer to a check or an edit: new text, messages, and the form when it parses.
function applyCheck(result, rebuildForm) {
  if (result.text !== undefined && result.text !== editor.text) {
    editor.text = result.text;
    const ta = document.getElementById("yaml");
    if (ta && document.activeElement !== ta) ta.value = editor.text;
  }
  editor.diagnostics = result.diagnostics || [];
  const list = document.getElementById("diagnostics");
  list.replaceChildren(...editor.diagnostics.map(d => el("li", { class: d.severity }, d.text)));
  if (!editor.diagnostics.length) list.replaceChildren(el("li", { class: "muted" }, "No problems: the scenario is valid."));
  if (result.notice) setStatus(result.notice, "warning");
  else setStatus(editor.text === editor.saved ? "saved" : "not saved");
  if (result.form && (rebuildForm || !editor.form)) { editor.form = result.form; renderForm(); }
  else if (result.form) { editor.form = result.form; }
  for (const e of document.querySelectorAll(".field .error")) e.textContent = "";
  for (const d of editor.diagnostics) {
    const f = d.field && document.querySelector(`.field[data-path="${CSS.escape(d.field)}"] .error`);
    if (f) f.textContent = d.message;
  }
  const runButton = document.getElementById("run");
  if (runButton) runButton.disabled = !result.ok;
}

function onYamlInput(ev) {
  clearTimeout(editor.pending);
  editor.pending = setTimeout(async () => {
    editor.text = ev.target.value;
    applyCheck(await api("/api/check", { path: editor.path, text: editor.text }), true);
  }, 300);
}

async function editOp(op, rebuild) {
  try {
    applyCheck(await api("/api/edit", { path: editor.path, text: editor.text, ...op }), rebuild);
    if (rebuild) { const ta = document.getElementById("yaml"); ta.value = editor.text; }
    return true;
  } catch (err) { setStatus(err.message, "error"); return false; }
}

function fieldRow(f) {
  const help = [f.meaning, f.unit ? `unit: ${f.unit}` : "", f.range,
    f.default !== null ? `default ${fmtNumber(f.default, 6)}` : ""].filter(Boolean).join(" · ");
  const input = el("input", { type: "text", inputmode: "decimal", value: f.value, name: f.path,
    "aria-label": f.path, placeholder: f.default !== null ? String(f.default) : "",
    title: f.source ? `Source: ${f.source}` : help });
  const row = el("div", { class: "field", "data-path": f.path },
    el("label", { title: help }, f.path.split(".").slice(f.path.startsWith("interventions.") ? 2 : 1).join(".") || f.path),
    input, el("div", {}, el("span", { class: "help" }, help), " ",
      f.source ? el("span", { class: "help", title: f.source }, "ⓘ source") : null,
      el("div", { class: "error", role: "alert" })));
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    row.classList.add("changed");
    timer = setTimeout(() => {
      if (input.value.trim() === "") return;
      editOp({ op: "set", key: f.path, value: input.value.trim() }, false).then(ok => {
        const ta = document.getElementById("yaml"); ta.value = editor.text;
        if (!ok) row.querySelector(".error").textContent = document.getElementById("status").textContent;
      });
    }, 250);
  });
  return row;
}

function communityPicker(g) {
  const chosen = new Set((g.communities || "").replace(/[\[\]\s]/g, "").split(",").filter(Boolean).map(Number));
  const boxes = [];
  for (let c = 0; c < editor.form.communities; ++c)
    boxes.push(el("label", {}, el("input", { type: "checkbox", value: c, checked: chosen.has(c) || !g.communities,
      onchange: () => {
        const picked = [...document.querySelectorAll(`[data-communities="${CSS.escape(g.intervention)}"] input:checked`)].map(i => i.value);
        if (!picked.length) return setStatus("pick at least one community", "error");
        editOp({ op: "set", key: `interventions.${g.intervention}.target.communities`, value: `[${picked.join(", ")}]` }, false)
          .then(() => { document.getElementById("yaml").value = editor.text; });
      } }), ` ${c}`));
  return el("div", { class: "communities", "data-communities": g.intervention },
    el("span", { class: "muted" }, g.communities ? "target communities: " : "target communities (all now): "), boxes);
}

function renderForm() {
  const f = editor.form;
  const groups = f.groups.map(g => el("fieldset", { "data-group": g.id },
    el("legend", {}, g.intervention ? `Intervention “${g.intervention}” (${g.kind})` : g.title),
    g.about ? el("p", { class: "muted" }, g.about) : null,
    g.intervention ? el("div", { class: "row" },
      el("button", { onclick: () => { const n = prompt("Name of the copy", `${g.intervention}-copy`); if (n) editOp({ op: "duplicate", intervention: g.intervention, name: n }, true); } }, "Duplicate"),
      el("button", { onclick: () => { if (confirm(`Remove ${g.intervention} (and from every arm)?`)) editOp({ op: "remove", intervention: g.intervention }, true); } }, "Remove"),
      communityPicker(g)) : null,
    g.fields.map(fieldRow)));
  const kinds = el("select", { id: "new-kind" }, f.intervention_kinds.map(k => el("option", { value: k.name, title: k.about }, k.name)));
  const newName = el("input", { id: "new-name", placeholder: "name", size: 14 });
  document.getElementById("form").replaceChildren(
    el("p", { class: "muted" }, `Model “${f.model}”. Hover a name for its meaning; values you leave take the defaults shown.`),
    ...groups,
    el("div", { class: "row" }, "Add an intervention:", kinds, newName,
      el("button", { onclick: () => newName.value && editOp({ op: "add", name: newName.value, kind: kinds.value }, true) }, "Add")));
  renderArms();
}

function renderArms() {
  const f = editor.form;
  const rows = f.arms.map(a => el("tr", {},
    el("th", {}, a.name, a.baseline ? el("span", { class: "tag" }, "baseline") : null),
    f.interventions.map(i => el("td", {}, el("input", { type: "checkbox", "aria-label": `${a.name} runs ${i}`,
      checked: a.interventions.includes(i), onchange: ev => {
        const list = f.interventions.filter(x => x === i ? ev.target.checked : a.interventions.includes(x));
        editOp({ op: "arm", arm: a.name, interventions: list }, true);
      } }))),
    el("td", { class: "muted" }, a.set.join("; ")),
    el("td", {}, a.baseline ? null : el("button", { onclick: () => editOp({ op: "remove_arm", arm: a.name }, true) }, "Remove"))));
  const armName = el("input", { placeholder: "new arm", size: 12 });
  document.getElementById("arms").replaceChildren(el("fieldset", {}, el("legend", {}, "Arms (what each runs)"),
    el("table", {}, el("tr", {}, el("th", {}, "arm"), f.interventions.map(i => el("th", {}, i)), el("th", {}, "settings"), el("th", {})), rows),
    el("div", { class: "row" }, armName, el("button", { onclick: () => armName.value && editOp({ op: "arm", arm: armName.value, interventions: [] }, true) }, "Add arm"))));
}

async function save() {
  try {
    applyCheck(await api("/api/save", { path: editor.path, text: editor.text, overwrite: true }), false);
    editor.saved = editor.text;
    setStatus("saved", "muted");
    return true;
  } catch (err) { setStatus(err.message, "error"); return false; }
}
async function saveAs() {
  const name = prompt("Save as (a name in the workspace, ending .yaml)", editor.path.replace(/\.yaml$/, "-copy.yaml"));
  if (!name) return;
  try {
    await api("/api/save", { path: name, text: editor.text, overwrite: false });
    location.hash = `#/edit?path=${esc(name)}`;
  } catch (err) { setStatus(err.message, "error"); }
}
function download() {
  const a = el("a", { href: URL.createObjectURL(new Blob([editor.text], { type: "text/yaml" })), download: editor.path.split("/").pop() });
  a.click();
}
async function upload(ev) {
  const file = ev.target.files[0];
  if (!file) return;
  editor.text = await file.text();
  document.getElementById("yaml").value = editor.text;
  applyCheck(await api("/api/check", { path: editor.path, text: editor.text }), true);
}

// --- Running ---------------------------------------------------------------------------------
function renderRunPanel() {
  const replicates = el("input", { id: "replicates", type: "number", min: 1, placeholder: "scenario's", style: "width: 7em" });
  const threads = el("input", { id: "threads", type: "number", min: 0, placeholder: "all", style: "width: 5em" });
  document.getElementById("run-panel").replaceChildren(
    el("h2", {}, "Run"),
    el("div", { class: "row" }, el("label", {}, "replicates ", replicates), el("label", {}, "threads ", threads),
      el("button", { class: "primary", id: "run", onclick: startRun }, "Save and run")),
    el("div", { id: "run-status" }));
}

async function startRun() {
  if (editor.text !== editor.saved && !(await save())) return;
  const body = { path: editor.path };
  const r = document.getElementById("replicates").value, t = document.getElementById("threads").value;
  if (r) body.replicates = Number(r);
  if (t) body.threads = Number(t);
  const box = document.getElementById("run-status");
  try {
    const { id } = await api("/api/runs", body);
    follow(id, box);
  } catch (err) { box.replaceChildren(el("p", { class: "error", role: "alert" }, err.message)); }
}

// Follows a run's Server-Sent Events: its progress bar, rate and time left, then its results.
function follow(id, box) {
  const bar = el("div", { id: "progress-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100 });
  const text = el("div", { id: "progress-text", class: "muted" }, "queued");
  const cancel = el("button", { id: "cancel", onclick: () => api(`/api/runs/${id}/cancel`, {}) }, "Cancel");
  box.replaceChildren(el("div", { class: "progress" }, bar), text, cancel);
  const events = new EventSource(`/api/runs/${id}/events`);
  events.onmessage = ev => {
    const s = JSON.parse(ev.data);
    const pct = s.total ? Math.floor(100 * s.done / s.total) : 0;
    bar.style.width = `${s.state === "done" ? 100 : pct}%`;
    bar.setAttribute("aria-valuenow", s.state === "done" ? 100 : pct);
    const rate = s.elapsed > 0 ? s.done / s.elapsed : 0;
    const runs = s.steps ? `${Math.floor(s.done / s.steps)} of ${s.runs} runs` : "";
    if (s.state === "running")
      text.textContent = `${pct}% · ${runs} · ${fmtNumber(rate * (s.steps ? 1 / s.steps : 1))} runs/s · ${fmtTime(rate ? (s.total - s.done) / rate : NaN)} left`;
    else text.textContent = s.state;
    if (["done", "failed", "cancelled"].includes(s.state)) {
      events.close();
      cancel.remove();
      text.className = `state-${s.state}`;
      if (s.state === "done") {
        text.replaceChildren(`done in ${fmtTime(s.elapsed)}: `,
          el("a", { id: "results-link", href: `#/results?path=${esc(s.results)}` }, s.results));
      } else if (s.state === "failed") {
        text.replaceChildren(el("span", { role: "alert" }, `failed: ${s.error}`));
      } else text.textContent = "cancelled: nothing was written";
    }
  };
}

// --- Results and comparisons -----------------------------------------------------------------
async function results(params) {
  const path = params.get("path");
  document.title = `fourp — ${path}`;
  const w = await api("/api/workspace");
  const entry = w.results.find(r => r.path === path) || {};
  const runs = w.results.filter(r => r.kind === "run" && r.path !== path);
  const other = el("select", { id: "compare-with" }, runs.map(r => el("option", { value: r.path }, r.path)));
  main.replaceChildren(
    el("h1", {}, path),
    el("div", { class: "row" },
      el("a", { class: "button", href: `/api/file?path=${esc(path)}&download=1`, id: "download-h5" }, "Download HDF5"),
      entry.kind === "run" ? el("a", { class: "button", href: `/api/csv?path=${esc(path)}`, id: "download-csv" }, "Download CSV (zip)") : null,
      el("a", { class: "button", href: `/api/file?path=${esc(path.replace(/\.h5$/, ".html"))}&download=1`, id: "download-report" }, "Download report"),
      entry.kind === "run" && runs.length ? el("span", { class: "row" }, "Compare with ", other,
        el("button", { onclick: () => { location.hash = `#/compare?a=${esc(other.value)}&b=${esc(path)}`; } }, "Compare")) : null),
    el("iframe", { class: "report", src: `/api/report?path=${esc(path)}`, title: "report", sandbox: "allow-same-origin" }));
}

async function compare(params) {
  const w = await api("/api/workspace");
  const runs = w.results.filter(r => r.kind === "run");
  const pick = (id, value) => el("select", { id }, runs.map(r => el("option", { value: r.path, selected: r.path === value }, r.path)));
  const a = pick("compare-a", params.get("a")), b = pick("compare-b", params.get("b"));
  document.title = "fourp — compare runs";
  main.replaceChildren(el("h1", {}, "Compare two runs"),
    el("div", { class: "row" }, "A ", a, " B ", b,
      el("button", { onclick: () => { location.hash = `#/compare?a=${esc(a.value)}&b=${esc(b.value)}`; } }, "Compare")),
    el("div", { id: "comparison" }));
  if (!params.get("a") || !params.get("b")) return;
  const c = await api(`/api/compare?a=${esc(params.get("a"))}&b=${esc(params.get("b"))}`);
  const interval = v => v[0] === null ? "–" : `${fmtNumber(v[0])} (${fmtNumber(v[1])} to ${fmtNumber(v[2])})`;
  const rows = c.rows.map(r => el("tr", { class: r.headline ? "headline" : "", "data-arm": r.arm, "data-quantity": r.quantity },
    el("td", {}, r.arm), el("td", {}, r.label), el("td", { class: "num" }, interval(r.a)),
    el("td", { class: "num" }, interval(r.b)), el("td", { class: "num" }, fmtNumber(r.change))));
  document.getElementById("comparison").replaceChildren(
    el("p", { class: "muted" }, `Each arm against its baseline, mean and 95% interval over paired replicates: A = ${c.a.path} (${c.a.replicates} replicates), B = ${c.b.path} (${c.b.replicates}).`),
    el("table", { id: "comparison-table" }, el("tr", {}, ...["arm", "quantity", "A", "B", "B − A"].map(h => el("th", {}, h))), rows));
}

// The queue in the header, refreshed while the page is open.
async function refreshQueue() {
  try {
    const runs = await api("/api/runs");
    const active = runs.filter(r => r.state === "running" || r.state === "queued").length;
    document.getElementById("queue").textContent = active ? `${active} run(s) in the queue` : "";
  } catch (_) { /* the server went away: the next page load says so */ }
}
setInterval(refreshQueue, 3000);
route();
refreshQueue();
