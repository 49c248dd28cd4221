// planbook default theme: progressive enhancement only. Every page works without this script.
// - relative ages ("12 days ago") next to dates, computed now rather than at build time;
// - the "completed in <quarter>" count, for today's quarter;
// - sortable tables and the status filter on the plans page;
// - opening a collapsed section when a link targets something inside it.
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  function parseDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  function today() {
    var d = new Date();
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  }

  function ages() {
    var now = today();
    document.querySelectorAll("[data-age-from]").forEach(function (el) {
      var t = parseDate(el.getAttribute("data-age-from"));
      if (isNaN(t)) return;
      var days = Math.round((now - t) / DAY);
      if (days < 0) return;
      el.textContent = "(" + (days === 0 ? "today" : days === 1 ? "1 day ago" : days + " days ago") + ")";
    });
  }

  function quarter() {
    var stat = document.querySelector("[data-quarter-stat]");
    if (!stat) return;
    var d = new Date();
    var year = d.getFullYear();
    var q = Math.floor(d.getMonth() / 3) + 1;
    var from = Date.UTC(year, (q - 1) * 3, 1);
    var to = Date.UTC(year, q * 3, 1);
    var count = 0;
    document.querySelectorAll("[data-completed]").forEach(function (row) {
      var t = parseDate(row.getAttribute("data-completed"));
      if (t >= from && t < to) count++;
    });
    stat.querySelector("[data-quarter-count]").textContent = String(count);
    stat.querySelector("[data-quarter-label]").textContent = year + " Q" + q;
  }

  function sortable() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var heads = table.querySelectorAll("thead th[data-sort]");
      heads.forEach(function (th) {
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var asc = th.getAttribute("aria-sort") !== "ascending";
          heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          var numeric = th.getAttribute("data-sort") === "number";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var key = function (row) {
            var cell = row.children[index];
            var v = cell ? (cell.getAttribute("data-value") || cell.textContent).trim() : "";
            return numeric ? (v === "" ? Infinity : parseFloat(v)) : v.toLowerCase();
          };
          rows.sort(function (a, b) {
            var x = key(a), y = key(b);
            var r = x < y ? -1 : x > y ? 1 : 0;
            return asc ? r : -r;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  }

  function filters() {
    var nav = document.querySelector(".filters");
    if (!nav) return;
    var links = nav.querySelectorAll("[data-filter]");
    var groups = document.querySelectorAll(".plan-group");
    function show(state) {
      links.forEach(function (a) {
        a.setAttribute("aria-current", a.getAttribute("data-filter") === state ? "true" : "false");
      });
      groups.forEach(function (g) {
        g.hidden = state !== "all" && g.getAttribute("data-state") !== state;
      });
    }
    links.forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var state = a.getAttribute("data-filter");
        show(state);
        history.replaceState(null, "", "#" + state);
      });
    });
    var initial = location.hash.slice(1);
    if (/^[a-z-]+$/.test(initial) && nav.querySelector('[data-filter="' + initial + '"]')) show(initial);
  }

  // Timeline: filter decisions by plan status, author and year, instantly; the choice is kept
  // in the URL (?state=active&author=agent) so a filtered timeline can be shared.
  function timelineFilters() {
    var form = document.querySelector("[data-filters]");
    if (!form) return;
    form.hidden = false;
    var selects = form.querySelectorAll("select[data-filter-key]");
    var entries = document.querySelectorAll("li.decision[data-state]");
    var months = document.querySelectorAll("section.month");
    var out = form.querySelector("[data-filter-count]");
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var v = params.get(s.getAttribute("data-filter-key"));
      if (v !== null) s.value = v;
    });
    function apply() {
      var want = {};
      var query = new URLSearchParams();
      selects.forEach(function (s) {
        var key = s.getAttribute("data-filter-key");
        if (s.value) { want[key] = s.value; query.set(key, s.value); }
      });
      var shown = 0;
      entries.forEach(function (li) {
        var ok = Object.keys(want).every(function (k) { return li.getAttribute("data-" + k) === want[k]; });
        li.hidden = !ok;
        if (ok) shown++;
      });
      months.forEach(function (m) {
        m.hidden = m.querySelectorAll("li.decision:not([hidden])").length === 0;
      });
      out.textContent = shown + " of " + entries.length + " decisions on this page";
      var qs = query.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
  }

  function init() {
    ages();
    quarter();
    sortable();
    filters();
    timelineFilters();
    openTarget();
    window.addEventListener("hashchange", openTarget);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
