// The case page: a form generated from the case JSON Schema, results from POST /packs/{id}/evaluate.
// No framework and nothing fetched from elsewhere: the page talks only to the server that served it.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const labels = {}; // fact path -> Chinese label, for questions and missing facts
const GROUP_ORDER = ["unit", "person", "place", "hire", "application"];
const STATUS = { met: "已履行", unmet: "未履行", due: "待履行（未到期）", overdue: "已逾期", unknown: "情况不明" };
const NO_REASON = { condition: "条件不符", not_in_force: "事件发生时文件不在有效期内", ended: "享受期限已满",
  rule: "被排除", limit_reached: "次数已满", duration_exhausted: "期限已满", mutually_exclusive: "不可同时享受" };
const UNIT = { CNY: "元", "CNY/month": "元/月", "CNY/year": "元/年", year: "年", month: "月", day: "天", hour: "课时",
  person: "人", m: "米", session: "次", household: "户", institution: "个", outlet: "个" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { accept: "application/json", "accept-language": "zh" } });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

// ── the form ────────────────────────────────────────────────────────────

function resolve(schema, prop) {
  const alts = prop.anyOf || [prop];
  const real = alts.find((a) => a.type !== "null") || {};
  if (real.$ref) return { ref: schema.$defs[real.$ref.split("/").pop()] };
  return { type: real.type, format: real.format, choices: real.enum };
}

// "党政机关 party/government agency, 事业单位 public institution" -> the Chinese words for each choice
function choiceLabel(value, description) {
  const words = String(value).toLowerCase().split(/[_\s]+/);
  let best = null, score = 0;
  for (const piece of (description || "").split(/[,，;；]\s*/)) {
    const m = piece.match(/^([^\x00-\x7f]+?)\s*(?:\(|（)?\s*([\x00-\x7f].*)?$/);
    if (!m || !m[1]) continue;
    const latin = (m[2] || "").toLowerCase();
    const tokens = latin.split(/[^a-z0-9]+/).filter(Boolean);
    let s = words.filter((w) => tokens.includes(w)).length;
    if (latin.includes(String(value).toLowerCase())) s += 10;
    if (tokens.length === 1 && tokens[0] === words.map((w) => w[0]).join("")) s += 5; // SOE
    if (s > score) { score = s; best = m[1].trim(); }
  }
  return best;
}

function fieldFor(path, prop, kind) {
  const id = "f-" + path.replace(/\./g, "-");
  const zh = prop.zh || prop.title || path;
  labels[path] = zh;
  let input;
  if (kind.type === "boolean") {
    input = el("select", { id, name: path, "data-kind": "boolean" },
      el("option", { value: "", text: "—" }), el("option", { value: "true", text: "是" }), el("option", { value: "false", text: "否" }));
  } else if (kind.choices) {
    input = el("select", { id, name: path, "data-kind": kind.type || "string" }, el("option", { value: "", text: "—" }));
    for (const c of kind.choices) {
      const words = choiceLabel(c, prop.description);
      input.append(el("option", { value: String(c), text: words ? `${words}（${c}）` : String(c) }));
    }
  } else if (kind.type === "integer" || kind.type === "number") {
    input = el("input", { id, name: path, type: "number", step: kind.type === "integer" ? "1" : "any", "data-kind": kind.type, inputmode: "decimal" });
  } else if (kind.format === "date") {
    input = el("input", { id, name: path, type: "date", "data-kind": "date" });
  } else {
    input = el("input", { id, name: path, type: "text", "data-kind": "string" });
  }
  const unit = prop.unit ? el("span", { class: "unit", text: UNIT[prop.unit] || prop.unit }) : null;
  return el("div", { class: "field", "data-path": path },
    el("label", { for: id, title: prop.description || "" }, zh, unit), input);
}

function group(schema, path, prop, model, open) {
  const box = el("details", { class: "group", "data-group": path, open: open ? "open" : false });
  box.append(el("summary", {}, prop.zh || model.title || path, el("span", { class: "count" })));
  labels[path] = prop.zh || path;
  for (const [name, child] of Object.entries(model.properties || {})) {
    const kind = resolve(schema, child);
    const p = `${path}.${name}`;
    box.append(kind.ref ? group(schema, p, child, kind.ref, false) : fieldFor(p, child, kind));
  }
  return box;
}

function buildForm(schema) {
  const fields = $("#fields");
  fields.replaceChildren();
  const names = Object.keys(schema.properties).sort((a, b) => GROUP_ORDER.indexOf(a) - GROUP_ORDER.indexOf(b));
  for (const name of names) {
    const kind = resolve(schema, schema.properties[name]);
    if (kind.ref) fields.append(group(schema, name, schema.properties[name], kind.ref, false));
  }
  fields.addEventListener("change", countFilled);
}

function countFilled() {
  for (const box of document.querySelectorAll("details.group")) {
    const n = [...box.querySelectorAll("[name]")].filter((i) => i.value !== "").length;
    box.querySelector(":scope > summary .count").textContent = n ? `已填 ${n} 项` : "";
  }
}

function readCase() {
  const out = {};
  for (const input of document.querySelectorAll("#fields [name]")) {
    if (input.value === "") continue;
    let value = input.value;
    const kind = input.dataset.kind;
    if (kind === "boolean") value = value === "true";
    else if (kind === "integer") value = Number.parseInt(value, 10);
    else if (kind === "number") value = Number(value);
    const parts = input.name.split(".");
    let cur = out;
    for (const part of parts.slice(0, -1)) cur = cur[part] ??= {};
    cur[parts[parts.length - 1]] = value;
  }
  return out;
}

function openField(path) {
  const target = document.querySelector(`.field[data-path="${CSS.escape(path)}"]`)
    || document.querySelector(`details[data-group="${CSS.escape(path)}"]`);
  if (!target) return null;
  for (let box = target.closest("details"); box; box = box.parentElement.closest("details")) box.open = true;
  return target;
}

function showProblems(problems) {
  for (const f of document.querySelectorAll("#fields .error")) f.classList.remove("error");
  for (const p of document.querySelectorAll("#fields .problem")) p.remove();
  for (const p of problems || []) {
    // the deepest field or group the problem names; a problem about the whole case goes to the first group
    const loc = p.loc || [];
    let target = null;
    for (let n = loc.length; n > 0 && !target; n--) target = openField(loc.slice(0, n).join("."));
    target = target || document.querySelector("details.group");
    if (!target) continue;
    target.classList.add("error");
    const note = el("div", { class: "problem", text: p.message });
    if (target.tagName === "DETAILS") target.querySelector(":scope > summary").after(note); else target.append(note);
  }
}

// ── results ─────────────────────────────────────────────────────────────

function money(v) { return v === null || v === undefined ? null : String(v); }

function figure(a) {
  if (!a) return null;
  const unit = UNIT[a.unit] || a.unit || "";
  const per = (a.per || []).map((p) => "每" + (UNIT[p] || p)).join("");
  if (a.kind === "no_figure") {
    return el("p", { class: "figure" }, el("span", { class: "no-figure", text: "未给出金额" + (a.reference ? `（${a.reference}）` : "") }));
  }
  const parts = [];
  if (a.total !== null && a.total !== undefined) parts.push(el("span", { class: "total", text: `合计 ${money(a.total)} ${unit}` }));
  else if (a.total_min !== null && a.total_min !== undefined) parts.push(el("span", { class: "total", text: `合计 ${a.total_min}–${a.total_max} ${unit}` }));
  else if (a.total_cap !== null && a.total_cap !== undefined) parts.push(el("span", { class: "total", text: `合计最多 ${money(a.total_cap)} ${unit}` }));
  let each = null;
  if (a.value !== null && a.value !== undefined) each = `${a.value} ${unit}`;
  else if (a.min !== null && a.min !== undefined) each = `${a.min}–${a.max} ${unit}`;
  else if (a.cap !== null && a.cap !== undefined) each = `最多 ${a.cap} ${unit}`;
  else if (a.rate !== null && a.rate !== undefined) each = `${a.rate * 100}%${a.base_text ? " × " + a.base_text : ""}`;
  if (each) parts.push(` ${per ? per + " " : ""}${each}`);
  if (a.count !== null && a.count !== undefined && parts.length) parts.push(`（${a.count} ${UNIT[(a.per || [])[0]] || (a.per || [])[0] || ""}）`);
  if (!parts.length && a.expression) parts.push(a.expression);
  const out = el("p", { class: "figure" }, ...parts);
  return out;
}

function citation(c) {
  return [
    el("p", { class: "cite" }, "依据：", el("span", { class: "doc", text: c.document }), " ", el("span", { class: "clause", text: c.clause }),
      c.external ? "（外部文件）" : null),
    el("blockquote", { class: "quote", text: c.quote }),
  ];
}

function missingLine(missing) {
  if (!missing || !missing.length) return null;
  return el("p", { class: "missing", text: "金额还需要：" + missing.map((m) => labels[m] || m).join("、") });
}

function outcome(o, kind) {
  const box = el("div", { class: `outcome ${kind}`, "data-rule": o.rule });
  box.append(el("h4", { text: o.title }), el("p", { text: o.summary }));
  box.append(...[figure(o.amount), missingLine(o.amount && o.amount.missing)].filter(Boolean));
  if (o.status) box.append(el("p", { class: `status-${o.status}`, text: "状态：" + (STATUS[o.status] || o.status) + (o.deadline ? `，期限 ${o.deadline}` : "") }));
  if (o.duration && o.duration.max !== null && o.duration.max !== undefined) {
    box.append(el("p", { text: `期限：最长 ${o.duration.max} ${UNIT[o.duration.unit] || o.duration.unit}` + (o.duration.until ? `，至 ${o.duration.until}` : "") }));
  }
  box.append(...citation(o.citation));
  if (o.notes && o.notes.length) box.append(el("p", { class: "notes", text: "说明：" + o.notes.join("；") }));
  return box;
}

function section(title, items, render, empty) {
  const s = el("section", {}, el("h3", { text: `${title}（${items.length}）` }));
  if (!items.length) s.append(el("p", { class: "none", text: empty }));
  for (const item of items) s.append(render(item));
  return s;
}

function refusal(n) {
  const box = el("div", { class: "outcome no", "data-rule": n.rule });
  box.append(el("h4", { text: n.title }));
  // The engine's own sentence says why, in the language asked for; a pack's exclusion summary is said as one.
  const why = n.because || (n.reason === "rule" ? `${NO_REASON.rule}：${n.summary}` : n.summary);
  box.append(el("p", { text: why || NO_REASON[n.reason] || n.reason }));
  if (n.decisive && n.decisive.text) box.append(el("p", { class: "notes", text: "起决定作用的条件：" + n.decisive.text }));
  if (n.withheld && n.withheld.length) box.append(el("p", { class: "notes", text: "因此不给予：" + n.withheld.join("、") }));
  box.append(...citation(n.citation));
  return box;
}

function questionsOf(result) {
  if (Array.isArray(result.questions)) {
    return result.questions.map((q) => ({ fact: q.fact, label: q.zh || labels[q.fact] || q.fact, decides: q.decides }));
  }
  const counts = new Map(); // older results: count the undecided rules each missing fact would decide
  for (const u of result.undetermined || []) for (const m of u.missing) counts.set(m, (counts.get(m) || 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([fact, decides]) => ({ fact, label: labels[fact] || fact, decides }));
}

function question(q) {
  const link = el("a", { href: "#", "data-fact": q.fact, text: q.label });
  link.addEventListener("click", (e) => { e.preventDefault(); openField(q.fact)?.querySelector("[name]").focus(); });
  return el("li", {}, link, el("span", { class: "notes", text: `（${q.fact}，关系到 ${q.decides} 条规定）` }));
}

function column(pack, result) {
  const col = el("article", { class: "column", "data-pack": result.pack });
  const v = result.validity;
  col.append(
    el("h2", { text: pack ? pack.jurisdiction : result.pack }),
    el("p", { class: "doc" }, pack ? `${pack.document} ${pack.title}` : "", " ",
      el("span", { class: v.in_force ? "validity" : "validity out",
        text: (v.in_force ? "有效" : "不在有效期内") + `：${v.valid_from} 至 ${v.valid_until || "未规定终止日期"}` })),
    el("p", { class: "notes", text: `测算日期 ${result.as_of}` + (v.reason ? `；${v.reason}` : "") }),
  );
  col.append(section("可享受的待遇", result.entitlements || [], (o) => outcome(o, "entitlement"), "根据已填情况，没有可确定享受的待遇。"));
  col.append(section("应尽的义务", result.obligations || [], (o) => outcome(o, "obligation"), "没有确定的义务。"));
  if ((result.sanctions || []).length) col.append(section("处罚或限制", result.sanctions, (o) => outcome(o, "sanction"), ""));
  const refusals = [...(result.not_granted || []), ...(result.exclusions || [])];
  col.append(section("为什么没有", refusals, refusal, "没有因条件不符而不给予的项目。"));
  const qs = questionsOf(result);
  const s = el("section", { class: "ask" }, el("h3", { text: `还需要了解（${qs.length}）` }));
  if (!qs.length) s.append(el("p", { class: "none", text: "已填情况足以作出判断。" }));
  else s.append(el("ul", { class: "questions" }, ...qs.map(question)));
  col.append(s);
  return col;
}

// ── wiring ──────────────────────────────────────────────────────────────

let packs = [];

async function evaluate(id, caseData, asOf) {
  const url = `/packs/${encodeURIComponent(id)}/evaluate` + (asOf ? `?as_of=${encodeURIComponent(asOf)}` : "");
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json", "accept-language": "zh" }, body: JSON.stringify(caseData) });
  const body = await r.json();
  if (!r.ok) throw Object.assign(new Error(body.detail || r.statusText), { problems: body.problems });
  return body;
}

async function submit(event) {
  event.preventDefault();
  const status = $("#status");
  const ids = [$("#pack").value, $("#compare").value].filter(Boolean);
  const caseData = readCase();
  status.className = ""; status.textContent = "正在测算…";
  showProblems([]);
  try {
    const results = await Promise.all(ids.map((id) => evaluate(id, caseData, $("#as-of").value)));
    $("#results").replaceChildren(...results.map((res, i) => column(packs.find((p) => p.id === ids[i]), res)));
    status.textContent = `已测算 ${ids.length} 个地区。`;
  } catch (err) {
    status.className = "error"; status.textContent = "无法测算：" + err.message;
    showProblems(err.problems);
  }
}

function describePack() {
  const p = packs.find((x) => x.id === $("#pack").value);
  $("#pack-info").textContent = p ? `${p.jurisdiction} · ${p.document} ${p.title} · ${p.valid_from} 至 ${p.valid_until || "未规定终止日期"}` : "";
}

async function start() {
  const [list, schema] = await Promise.all([getJSON("/packs"), getJSON("/schema/case")]);
  packs = list;
  for (const p of packs) {
    $("#pack").append(el("option", { value: p.id, text: `${p.jurisdiction}（${p.document}）` }));
    $("#compare").append(el("option", { value: p.id, text: `${p.jurisdiction}（${p.document}）` }));
  }
  $("#as-of").value = new Date().toISOString().slice(0, 10);
  buildForm(schema);
  describePack();
  $("#pack").addEventListener("change", describePack);
  $("#case-form").addEventListener("submit", submit);
  $("#clear").addEventListener("click", () => { for (const i of document.querySelectorAll("#fields [name]")) i.value = ""; countFilled(); showProblems([]); });
  document.body.dataset.ready = "true";
}

start().catch((err) => { $("#status").className = "error"; $("#status").textContent = "页面无法加载：" + err.message; });
