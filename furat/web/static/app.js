// furat's web page: a map of events (coloured by type, sized by fatalities), a timeline that filters
// the map when brushed, filters sent to the API, an event panel with each source's evidence
// highlighted in its document, and a box to code a pasted article. Plain JS over Leaflet; every
// text from the database is inserted as text (never as HTML).
"use strict";

const COLORS = {
  ASSAULT: "#d62728", COERCE: "#ff7f0e", MOBILIZE: "#8c564b", THREATEN: "#e377c2", PROTEST: "#9467bd",
  RETREAT: "#17becf", SANCTION: "#7f7f7f", ACCUSE: "#bcbd22", REJECT: "#6b4c9a", REQUEST: "#1f77b4",
  AGREE: "#2ca02c", COOPERATE: "#98df8a", CONSULT: "#aec7e8", SUPPORT: "#393b79", AID: "#17a589",
  CONCEDE: "#c49c94",
};
const color = (type) => COLORS[type] || "#555";
const radius = (dead) => 5 + 3 * Math.sqrt(dead || 0);
const DAY = 86400000;

const state = { features: [], brush: null, layer: null, legend: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message || "";
  box.hidden = !message;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

// ---- the map ----------------------------------------------------------------------------------

const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12, attributionControl: true })
  .setView([35, 39], 6);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Basemap: Natural Earth (world-atlas)");

async function loadBasemap() {
  const [countries, admin1] = await Promise.all([
    fetch("/static/basemap/countries.geojson").then((r) => r.json()),
    fetch("/static/basemap/admin1_syr_irq.geojson").then((r) => r.json()),
  ]);
  L.geoJSON(countries, { interactive: false, style: { color: "#8a95a5", weight: 1, fillColor: "#eef0ea", fillOpacity: 1 } }).addTo(map);
  L.geoJSON(admin1, { interactive: false, style: { color: "#b4bcc8", weight: 0.8, dashArray: "3 3", fill: false } }).addTo(map);
}

function dayOf(feature) {
  const value = feature.properties.date_start;
  return value ? Date.parse(value + "T00:00:00Z") : null;
}

function visible() {
  if (!state.brush) return state.features;
  const [lo, hi] = state.brush;
  return state.features.filter((f) => {
    const day = dayOf(f);
    return day !== null && day >= lo && day <= hi;
  });
}

function drawMarkers() {
  if (state.layer) state.layer.remove();
  const shown = visible();
  const located = shown.filter((f) => f.geometry);
  state.layer = L.layerGroup(located.map((f) => {
    const p = f.properties;
    const marker = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      radius: radius(p.fatalities), color: "#222", weight: 1, fillColor: color(p.type), fillOpacity: 0.8,
      className: `ev ev-${p.type}`,
    });
    marker.bindTooltip(`${p.type} · ${p.date || "undated"} · ${p.place || ""}` +
      (p.fatalities ? ` · ${p.fatalities} dead` : "") + (p.n_sources > 1 ? ` · ${p.n_sources} sources` : ""));
    marker.on("click", () => openEvent(p.event_id));
    return marker;
  })).addTo(map);
  const dead = shown.reduce((n, f) => n + (f.properties.fatalities || 0), 0);
  document.getElementById("summary").textContent =
    `${shown.length} event${shown.length === 1 ? "" : "s"} shown of ${state.features.length}` +
    ` · ${located.length} on the map · ${dead} reported dead`;
  drawLegend(shown);
}

function drawLegend(shown) {
  if (state.legend) state.legend.remove();
  const counts = {};
  for (const f of shown) counts[f.properties.type] = (counts[f.properties.type] || 0) + 1;
  state.legend = L.control({ position: "bottomright" });
  state.legend.onAdd = () => {
    const box = el("div", { class: "legend", id: "legend" }, el("strong", {}, "Event type"));
    for (const [type, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
      box.append(el("div", {}, el("i", { style: `background:${color(type)}` }), `${type} `, el("b", {}, n)));
    }
    const sizes = el("div", { class: "sizes" }, el("strong", {}, "Fatalities"));
    for (const dead of [0, 10, 100]) {
      const size = 2 * radius(dead);
      sizes.append(el("div", {}, el("i", { style: `width:${size}px;height:${size}px` }), ` ${dead}`));
    }
    box.append(sizes);
    return box;
  };
  state.legend.addTo(map);
}

// ---- the timeline -----------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function bins() {
  const days = state.features.map(dayOf).filter((d) => d !== null);
  if (!days.length) return null;
  // the range most events fall in (5th to 95th percentile): one old event does not flatten the rest
  const q = days.length >= 20 ? 0.05 : 0;
  let lo = quantile(days, q), hi = quantile(days, 1 - q);
  const step = hi - lo > 2 * 365 * DAY ? 30 * DAY : hi - lo > 120 * DAY ? 7 * DAY : DAY;
  lo -= step; hi += step;
  const n = Math.max(1, Math.ceil((hi - lo) / step));
  const counts = new Array(n).fill(0);
  let outside = 0;
  for (const d of days) {
    if (d < lo || d >= hi) outside += 1;
    else counts[Math.min(n - 1, Math.floor((d - lo) / step))] += 1;
  }
  return { lo, hi, step, counts, outside, undated: state.features.length - days.length };
}

function drawTimeline() {
  const box = document.getElementById("timeline");
  box.replaceChildren();
  const info = document.getElementById("timeline-info");
  const b = bins();
  if (!b) { info.textContent = "no dated event"; return; }
  const width = box.clientWidth || 600, height = box.clientHeight || 120, pad = 20;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none" });
  const x = (t) => pad + (t - b.lo) / (b.hi - b.lo) * (width - 2 * pad);
  const top = Math.max(...b.counts);
  const barWidth = Math.max(1, (width - 2 * pad) / b.counts.length - 1);
  b.counts.forEach((count, i) => {
    if (!count) return;
    const start = b.lo + i * b.step;
    const h = count / top * (height - 2 * pad);
    const inside = !state.brush || (start + b.step > state.brush[0] && start <= state.brush[1]);
    const bar = svg("rect", { class: inside ? "bar" : "bar out", x: x(start), y: height - pad - h, width: barWidth, height: h });
    bar.append(svg("title", {}));
    bar.firstChild.textContent = `${new Date(start).toISOString().slice(0, 10)}: ${count}`;
    root.append(bar);
  });
  for (const t of [b.lo + b.step, (b.lo + b.hi) / 2, b.hi - b.step]) {
    const label = svg("text", { x: x(t), y: height - 5, "text-anchor": "middle" });
    label.textContent = new Date(t).toISOString().slice(0, b.step >= 30 * DAY ? 7 : 10);
    root.append(label);
  }
  const axis = svg("text", { x: pad, y: 13 });
  axis.textContent = `max ${top} per ${b.step === DAY ? "day" : b.step === 7 * DAY ? "week" : "month"}`;
  root.append(axis);
  if (state.brush) {
    root.append(svg("rect", { class: "brush", x: x(state.brush[0]), y: 2, width: Math.max(2, x(state.brush[1]) - x(state.brush[0])), height: height - 4 }));
  }
  box.append(root);
  info.textContent = (state.brush
    ? `${new Date(state.brush[0]).toISOString().slice(0, 10)} → ${new Date(state.brush[1]).toISOString().slice(0, 10)}`
    : "drag across the bars to select a period") + (b.undated ? ` · ${b.undated} undated` : "") + (b.outside ? ` · ${b.outside} outside this range` : "");
  document.getElementById("clear-brush").hidden = !state.brush;
  brushing(root, b, width, pad);
}

function brushing(root, b, width, pad) {
  const time = (event) => {
    const rect = root.getBoundingClientRect();
    const px = (event.clientX - rect.left) / rect.width * width;
    return b.lo + Math.min(1, Math.max(0, (px - pad) / (width - 2 * pad))) * (b.hi - b.lo);
  };
  let start = null, rect = null;
  root.addEventListener("mousedown", (event) => {
    start = time(event);
    rect = svg("rect", { class: "brush", x: 0, y: 2, width: 0, height: root.viewBox.baseVal.height - 4 });
    root.append(rect);
    event.preventDefault();
  });
  root.addEventListener("mousemove", (event) => {
    if (start === null) return;
    const a = Math.min(start, time(event)), z = Math.max(start, time(event));
    const toX = (t) => pad + (t - b.lo) / (b.hi - b.lo) * (width - 2 * pad);
    rect.setAttribute("x", toX(a));
    rect.setAttribute("width", Math.max(1, toX(z) - toX(a)));
  });
  const finish = (event) => {
    if (start === null) return;
    const end = time(event);
    const a = Math.min(start, end), z = Math.max(start, end);
    start = null;
    // a click (no drag) clears the selection; a drag keeps whole days
    state.brush = z - a < b.step / 4 ? null : [Math.floor(a / DAY) * DAY, Math.ceil(z / DAY) * DAY];
    drawMarkers();
    drawTimeline();
  };
  root.addEventListener("mouseup", finish);
  root.addEventListener("mouseleave", (event) => { if (start !== null) finish(event); });
}

// ---- filters ----------------------------------------------------------------------------------

function query() {
  const form = document.getElementById("filters");
  const params = new URLSearchParams();
  for (const name of ["type", "actor", "country", "since", "until", "source", "language"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  const levels = [...form.querySelectorAll("input[name=certainty]:checked")].map((c) => c.value);
  params.set("certainty", levels.length ? levels.join(",") : "asserted,reported");
  params.set("limit", "50000");
  params.set("properties", "map");
  return params;
}

async function loadEvents() {
  try {
    const data = await api(`/events.geojson?${query()}`);
    showError("");
    state.features = data.features;
    state.brush = null;
    drawMarkers();
    drawTimeline();
    fitMap(data.features.filter((f) => f.geometry));
  } catch (error) {
    showError(error.message);
  }
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

function fitMap(located) {
  // frame the country most events happened in: a few far-off ones do not zoom out to the world
  if (!located.length) return;
  const counts = {};
  for (const f of located) counts[f.properties.place_country] = (counts[f.properties.place_country] || 0) + 1;
  const top = Object.entries(counts).sort((x, y) => y[1] - x[1])[0][0];
  const framed = located.filter((f) => String(f.properties.place_country) === top);
  const bounds = L.latLngBounds(framed.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
  map.fitBounds(bounds.pad(0.5), { maxZoom: 7 });
}

async function loadTypes() {
  const stats = await api("/stats");
  const select = document.querySelector("#filters select[name=type]");
  for (const [type, n] of Object.entries(stats.events_by_type)) {
    if (type && type !== "null") select.append(el("option", { value: type }, `${type} (${n})`));
  }
}

// ---- the event panel --------------------------------------------------------------------------

const FIELDS = [["type", "type"], ["acled_type", "ACLED"], ["acled_subtype", "ACLED subtype"], ["actor1", "actor 1"],
  ["actor2", "actor 2"], ["place", "place"], ["admin1", "province"], ["date", "date"], ["fatalities", "dead"],
  ["injured", "injured"], ["certainty", "certainty"], ["n_sources", "sources"], ["first_report", "first report"]];

function documentText(doc, span, trigger) {
  // the document's text with the evidence sentence (and its trigger word) marked, by offsets
  const box = el("div", { class: "doctext", dir: "auto", lang: doc.language || "" });
  const text = doc.text;
  if (!span) { box.textContent = text; return box; }
  const mark = el("mark", { class: "evidence" });
  if (trigger && trigger.start >= span.start && trigger.end <= span.end) {
    mark.append(text.slice(span.start, trigger.start), el("mark", { class: "trigger" }, text.slice(trigger.start, trigger.end)),
      text.slice(trigger.end, span.end));
  } else {
    mark.append(text.slice(span.start, span.end));
  }
  box.append(text.slice(0, span.start), mark, text.slice(span.end));
  return box;
}

async function openEvent(id) {
  const panel = document.getElementById("panel");
  panel.replaceChildren(el("p", { class: "hint" }, "loading…"));
  try {
    const data = await api(`/events/${encodeURIComponent(id)}`);
    const e = data.event;
    const head = el("h2", {}, el("span", { class: "badge", style: `background:${color(e.type)}` }, e.type), " ",
      e.place || "", e.date ? ` · ${e.date}` : "", e.disputed ? " · DISPUTED" : "");
    const list = el("dl", {});
    for (const [key, label] of FIELDS) {
      if (e[key] !== null && e[key] !== undefined && e[key] !== "") list.append(el("dt", {}, label), el("dd", { dir: "auto" }, e[key]));
    }
    panel.replaceChildren(head, list);
    const versions = Object.entries(e.versions || {});
    if (versions.length) {
      const box = el("div", { class: "versions" }, el("strong", {}, "The sources disagree"));
      for (const [field, values] of versions) {
        for (const v of values) box.append(el("div", {}, `${field}: ${v.value} ← ${(v.sources || []).filter(Boolean).join(", ")}`));
      }
      panel.append(box);
    }
    panel.append(el("h3", {}, `${data.mentions.length} source${data.mentions.length === 1 ? "" : "s"}`));
    for (const m of data.mentions) {
      const doc = await api(`/documents/${encodeURIComponent(m.doc_id)}`);
      const section = el("div", { class: "source" },
        el("div", { class: "meta" }, el("b", {}, m.outlet || (m.source || "unknown source").split("/").pop()), ` · ${m.published || "undated"} · ${m.language || "?"} · ${m.certainty}`,
          m.reported_by ? ` · according to ${m.reported_by}` : ""),
        doc.title ? el("div", { dir: "auto" }, el("b", {}, doc.title)) : null,
        documentText(doc, m.evidence_span, m.trigger_span));
      panel.append(section);
      const mark = section.querySelector("mark.evidence");
      if (mark) mark.parentElement.scrollTop = Math.max(0, mark.offsetTop - mark.parentElement.offsetTop - 40);
    }
    for (const c of data.claims) {
      panel.append(el("div", { class: "source", dir: "auto" }, el("b", {}, c.speaker || "someone"), ` (${c.stance}${c.hedged ? ", hedged" : ""}): `, c.content));
    }
  } catch (error) {
    panel.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

// ---- paste an article -------------------------------------------------------------------------

async function codeArticle(event) {
  event.preventDefault();
  const form = event.target;
  const status = document.getElementById("paste-status");
  const out = document.getElementById("paste-result");
  const text = form.elements.text.value;
  if (!text.trim()) { status.textContent = "paste some text first"; return; }
  status.textContent = "coding… (the first article loads the models: up to a minute)";
  out.replaceChildren();
  try {
    const data = await api("/documents", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, format: form.elements.format.value }),
    });
    const n = data.documents.reduce((k, d) => k + d.events.length, 0);
    status.textContent = `${data.documents.length} document(s), ${n} event(s) found and stored`;
    for (const doc of data.documents) {
      const box = el("div", { class: "coded" }, el("div", { class: "meta" }, `language ${doc.language || "?"} · published ${doc.published || "?"}`));
      for (const e of doc.events) {
        box.append(el("div", { class: "source", dir: "auto" },
          el("span", { class: "badge", style: `background:${color(e.type)}` }, e.type), " ",
          [e.actor1 && e.actor1.name, e.actor2 && e.actor2.name].filter(Boolean).join(" → "),
          e.place ? ` @ ${e.place.name || e.place.text}` : "", e.date ? ` · ${e.date}` : "", ` · ${e.certainty}`,
          el("blockquote", { dir: "auto" }, e.evidence ? e.evidence.text : "")));
      }
      out.append(box);
    }
    await loadEvents();
  } catch (error) {
    status.textContent = `error: ${error.message}`;
  }
}

// ---- start ------------------------------------------------------------------------------------

document.getElementById("filters").addEventListener("submit", (event) => { event.preventDefault(); loadEvents(); });
document.getElementById("filters").addEventListener("reset", () => setTimeout(loadEvents));
document.querySelector("#filters select[name=type]").addEventListener("change", loadEvents);
document.getElementById("clear-brush").addEventListener("click", () => { state.brush = null; drawMarkers(); drawTimeline(); });
document.getElementById("paste").addEventListener("submit", codeArticle);
window.addEventListener("resize", drawTimeline);

Promise.all([loadBasemap(), loadTypes()]).catch((error) => showError(error.message)).finally(async () => {
  await loadEvents();
  document.body.dataset.ready = "1";
});
