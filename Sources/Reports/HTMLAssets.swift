/// The HTML report's inline style and script. The script builds rows with DOM APIs and
/// textContent only (never innerHTML with data), and renders one page of rows at a time.
enum HTMLAssets {
    static let css = """
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;color:#222}
        h1{margin:16px 0 0}h2{font-size:17px;margin:20px 0 8px}header p{color:#555;margin:4px 0}
        .charts{display:flex;flex-wrap:wrap;gap:32px}.chart text{font-size:12px;fill:#333}.hint{color:#777;font-size:12px}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e5e5;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f6f6f6}td.res{word-break:break-all;max-width:380px}small{color:#666}
        .verdict.worse{color:#b00020;font-weight:600}.verdict.better{color:#2b8a3e}.verdict.not-applicable{color:#888}
        .filters{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:8px}.filters input{flex:1;min-width:240px;padding:4px}
        tr.group td{background:#fafafa;font-weight:600;padding-top:10px}tr.item{cursor:pointer}tr.item:hover{background:#f3f7ff}
        tr.detail td{background:#fcfcfc;white-space:pre-wrap}.sev{font-weight:600;text-transform:uppercase;font-size:12px}
        .sev-4{color:#8b0000}.sev-3{color:#d9480f}.sev-2{color:#b07b00}.sev-1{color:#1c7ed6}.sev-0{color:#868e96}
        .st-1{color:#2b8a3e}.st-2{color:#888}.pager{margin:10px 0}
        """

    static let script = """
        (function () {
          "use strict";
          var D = JSON.parse(document.getElementById("mamori-data").textContent);
          var SEV = ["info", "low", "medium", "high", "critical"], ST = ["fail", "pass", "muted"];
          var F = D.findings, view = [], page = 0, open = {};
          var $ = function (id) { return document.getElementById(id); };
          function fill(id, items) {
            var select = $(id);
            items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = String(item[0]); option.textContent = item[1]; select.appendChild(option);
            });
          }
          fill("f-severity", SEV.map(function (s, i) { return [i, s]; }).reverse());
          fill("f-status", ST.map(function (s, i) { return [i, s]; }));
          fill("f-check", D.checks.map(function (c, i) { return [i, c.id]; }));
          fill("f-account", D.accounts.map(function (a, i) { return [i, a]; }));
          fill("f-region", D.regions.map(function (r, i) { return [i, r]; }));
          var haystack = null;
          function text(row) { return (D.checks[row[0]].id + " " + D.accounts[row[3]] + " " + D.regions[row[4]] + " " + row[5] + " " + row[6] + " " + row[7] + " " + row[9]).toLowerCase(); }
          function value(id) { var v = $(id).value; return v === "" ? -1 : Number(v); }
          function apply() {
            var q = $("q").value.trim().toLowerCase(), sev = value("f-severity"), st = value("f-status"),
                ck = value("f-check"), ac = value("f-account"), rg = value("f-region");
            if (q && !haystack) { haystack = F.map(text); }
            view = [];
            for (var i = 0; i < F.length; i++) {
              var r = F[i];
              if ((sev < 0 || r[1] === sev) && (st < 0 || r[2] === st) && (ck < 0 || r[0] === ck) &&
                  (ac < 0 || r[3] === ac) && (rg < 0 || r[4] === rg) && (!q || haystack[i].indexOf(q) >= 0)) { view.push(i); }
            }
            page = 0; render();
          }
          function cell(tr, content, cls) {
            var td = document.createElement("td");
            if (cls) { td.className = cls; }
            if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content; }
            tr.appendChild(td); return td;
          }
          function safeURL(url) { return /^https:\\/\\/([a-z0-9-]+\\.)*(console\\.aws\\.amazon\\.com|console\\.amazonaws\\.cn|console\\.amazonaws-us-gov\\.com)\\//.test(url) ? url : ""; }
          function detail(r) {
            var tr = document.createElement("tr"), td, c = D.checks[r[0]];
            tr.className = "detail";
            td = cell(tr, "", ""); td.colSpan = 6;
            var lines = [r[7], "", "Check: " + c.id + " (" + c.title + ")", "Resource type: " + r[6], "Why: " + c.rationale, "Fix: " + c.remediation];
            if (r[2] === 2) { lines.push("Muted: " + r[9]); }
            td.textContent = lines.join("\\n");
            var url = safeURL(r[8]);
            if (url) {
              var a = document.createElement("a"); a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
              a.textContent = "Open in the AWS console"; td.appendChild(document.createElement("br")); td.appendChild(a);
            }
            return tr;
          }
          function render() {
            var body = $("rows"), start = page * PAGE_SIZE, end = Math.min(view.length, start + PAGE_SIZE), last = "";
            var frag = document.createDocumentFragment();
            for (var k = start; k < end; k++) {
              var i = view[k], r = F[i], key = r[1] + "/" + r[0];
              if (key !== last) {
                var g = document.createElement("tr"); g.className = "group";
                var c = D.checks[r[0]];
                cell(g, SEV[r[1]].toUpperCase() + " · " + c.title + " (" + c.id + ")", "").colSpan = 6;
                frag.appendChild(g); last = key;
              }
              var tr = document.createElement("tr"); tr.className = "item"; tr.dataset.index = String(i);
              cell(tr, SEV[r[1]], "sev sev-" + r[1]); cell(tr, ST[r[2]], "st-" + r[2]);
              cell(tr, D.accounts[r[3]], ""); cell(tr, D.regions[r[4]], "");
              var url = safeURL(r[8]), res;
              if (url) { res = document.createElement("a"); res.href = url; res.rel = "noopener noreferrer"; res.target = "_blank"; res.textContent = r[5]; }
              else { res = r[5]; }
              cell(tr, res, "res"); cell(tr, r[7], "");
              frag.appendChild(tr);
              if (open[i]) { frag.appendChild(detail(r)); }
            }
            body.replaceChildren(frag);
            var pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
            $("count").textContent = view.length + " of " + F.length + " findings";
            $("page").textContent = "Page " + (page + 1) + " of " + pages;
            $("prev").disabled = page === 0; $("next").disabled = page + 1 >= pages;
          }
          $("rows").addEventListener("click", function (event) {
            if (event.target.closest("a")) { return; }
            var tr = event.target.closest("tr.item"); if (!tr) { return; }
            var i = Number(tr.dataset.index); open[i] = !open[i]; render();
          });
          $("prev").addEventListener("click", function () { if (page > 0) { page--; render(); } });
          $("next").addEventListener("click", function () { page++; render(); });
          var timer = null;
          $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
          ["f-severity", "f-status", "f-check", "f-account", "f-region"].forEach(function (id) { $(id).addEventListener("change", apply); });
          apply();
        })();

        """
}
