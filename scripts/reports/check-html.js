#!/usr/bin/env node
// Runs report.html's script against a minimal DOM (no browser needed) and checks what it renders:
//   node scripts/reports/check-html.js report.html EXPECTED_FINDINGS
// It asserts that one page (at most PAGE_SIZE rows) is rendered, that the pager and the filters
// work, and that the data block round-trips every finding. Exit 1 with a message on failure.
"use strict";
const fs = require("fs");
const [file, expectedText] = process.argv.slice(2);
const html = fs.readFileSync(file, "utf8");
const data = /<script type="application\/json" id="mamori-data">([\s\S]*?)<\/script>/.exec(html);
const code = /<script>([\s\S]*?)<\/script>/.exec(html);
if (!data || !code) { console.error("check-html: data or script block missing"); process.exit(1); }

class Node {
  constructor(tag) { this.tagName = tag; this.children = []; this.listeners = {}; this.dataset = {}; this.className = ""; this._text = ""; this.value = ""; this.parent = null; }
  appendChild(child) {
    if (child.tagName === "#fragment") { child.children.forEach((c) => this.appendChild(c)); child.children = []; return child; }
    child.parent = this; this.children.push(child); return child;
  }
  replaceChildren(...nodes) { this.children = []; nodes.forEach((n) => this.appendChild(n)); }
  set textContent(value) { this.children = []; this._text = String(value); }
  get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); }
  addEventListener(type, handler) { (this.listeners[type] = this.listeners[type] || []).push(handler); }
  fire(type, target) { (this.listeners[type] || []).forEach((h) => h({ target: target || this })); }
  closest(selector) {
    const [tag, cls] = selector.split(".");
    for (let n = this; n; n = n.parent) { if (n.tagName === tag && (!cls || n.className.split(" ").includes(cls))) { return n; } }
    return null;
  }
  count(predicate) { return this.children.reduce((sum, c) => sum + (predicate(c) ? 1 : 0) + c.count(predicate), 0); }
}
const elements = {};
const document = {
  getElementById(id) {
    if (id === "mamori-data") { return { textContent: data[1] }; }
    return (elements[id] = elements[id] || new Node(id.startsWith("f-") ? "select" : "div"));
  },
  createElement(tag) { return new Node(tag); },
  createDocumentFragment() { return new Node("#fragment"); },
};
global.Node = Node;
global.document = document;
global.setTimeout = (f) => { f(); return 0; };
global.clearTimeout = () => {};
const pageSize = Number(/const PAGE_SIZE = (\d+);/.exec(code[1])[1]);
new Function("document", "Node", code[1])(document, Node);

const fail = (message) => { console.error("check-html: " + message); process.exit(1); };
const rows = () => elements.rows.count((n) => n.tagName === "tr" && n.className === "item");
const parsed = JSON.parse(data[1]);
const expected = Number(expectedText);
const total = parsed.findings.length;
if (Number.isFinite(expected) && parsed.findings.filter((r) => r[2] !== 2).length !== expected) {
  fail(`data holds ${parsed.findings.length} rows, expected ${expected} findings (+ muted)`);
}
if (rows() !== Math.min(pageSize, total)) { fail(`first page renders ${rows()} rows, expected ${Math.min(pageSize, total)}`); }
if (!elements.count.textContent.startsWith(`${total} of ${total}`)) { fail(`count reads "${elements.count.textContent}"`); }
if (total > pageSize) {
  elements.next.fire("click");
  if (!elements.page.textContent.startsWith("Page 2 of")) { fail(`pager reads "${elements.page.textContent}"`); }
}
// Filter on the first finding's check and search for its resource: at least that finding remains.
elements["f-check"].value = String(parsed.findings[0][0]);
elements["f-check"].fire("change");
const byCheck = parsed.findings.filter((r) => r[0] === parsed.findings[0][0]).length;
if (!elements.count.textContent.startsWith(`${byCheck} of`)) { fail(`check filter shows "${elements.count.textContent}", expected ${byCheck}`); }
elements.q.value = parsed.findings[0][5];
elements.q.fire("input");
if (rows() < 1) { fail("search for the first resource finds nothing"); }
// Opening a row adds its detail row.
const first = elements.rows.children.find((n) => n.className === "item");
elements.rows.fire("click", first.children[0]);
if (elements.rows.count((n) => n.className === "detail") !== 1) { fail("clicking a row does not open its details"); }
console.log(`check-html: ok (${total} rows in the data, ${Math.min(pageSize, total)} rendered per page, filters, search, pager and details work)`);
