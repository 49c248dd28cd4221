// Search: the header box and the search page.

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
}

// `text` with the words matching `terms` in <mark>, cut to a window around the first match.
function highlight(text, terms, width) {
  var seg = words();
  var parts = [], first = -1, offset = 0;
  var cjk = terms.filter(function (t) { return HAS_CJK.test(t); });
  for (var s of seg.segment(text)) {
    var f = s.isWordLike ? fold(s.segment) : "";
    var hit = f && !HAS_CJK.test(f) && terms.some(function (t) { return f.lastIndexOf(t, 0) === 0; });
    // CJK words (as the browser segments them) that contain a query bigram, or are part of one.
    if (!hit && cjk.length && HAS_CJK.test(s.segment)) {
      hit = cjk.some(function (t) { return s.segment.indexOf(t) >= 0 || t.indexOf(s.segment) >= 0; });
    }
    if (hit && first < 0) first = offset;
    parts.push({ text: s.segment, hit: hit, at: offset });
    offset += s.segment.length;
  }
  var from = Math.max(0, first - (width >> 2)), to = from + width;
  var html = from > 0 ? "… " : "";
  parts.forEach(function (p) {
    if (p.at + p.text.length <= from || p.at >= to) return;
    html += p.hit ? "<mark>" + escapeHtml(p.text) + "</mark>" : escapeHtml(p.text);
  });
  return html + (offset > to ? " …" : "");
}

function resultHtml(r, terms, root, width, showKind) {
  var title = highlight(r.title, terms, 200);
  var heading = r.heading ? '<span class="result-heading">' + highlight(r.heading, terms, 120) + "</span>" : "";
  var kind = showKind ? '<span class="result-kind">' + (KIND_NAMES[r.kind] || escapeHtml(r.kind)) + "</span>" : "";
  return '<a class="result kind-' + escapeHtml(r.kind) + '" href="' + escapeHtml(root + r.url) + '">' + kind +
    '<span class="result-title">' + title + "</span>" + heading +
    '<span class="result-excerpt">' + highlight(r.excerpt, terms, width) + "</span></a>";
}

// Why there are no results when the index does not load.
function unavailable() {
  return location.protocol === "file:"
    ? "Search needs the site served over HTTP: a page opened from disk may not load the index. " +
      "Serve the folder (for example <code>python3 -m http.server</code> in it) and open it from there."
    : "The search index could not be loaded.";
}

// Results for `q` are on screen: tests wait for the attribute, benchmarks read the measure.
function ready(q) {
  performance.measure("planbook-search", "planbook-search-start");
  document.body.setAttribute("data-search-ready", q);
}

function siteSearch() {
  var form = document.querySelector("form.site-search");
  if (!form) return null;
  var index = null;
  var root = form.getAttribute("data-search-root");
  var input = form.querySelector("input[type=search]");
  var popup = form.querySelector(".search-popup");
  var active = -1, timer = 0, seq = 0;
  function getIndex() {
    if (!index) index = new Index(form.getAttribute("data-search-index"));
    return index;
  }
  function items() { return popup.querySelectorAll("a.result"); }
  function close() {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function select(i) {
    var list = items();
    if (!list.length) return;
    active = (i + list.length) % list.length;
    list.forEach(function (a, k) { a.setAttribute("aria-selected", k === active ? "true" : "false"); });
    list[active].scrollIntoView({ block: "nearest" });
  }
  function run() {
    var q = input.value.trim(), mine = ++seq;
    if (!q) { close(); return; }
    var idx = getIndex();
    performance.mark("planbook-search-start");
    idx.search(q).then(function (res) {
      var top = res.hits.slice(0, 8);
      return idx.records(top.map(function (h) { return h.rid; })).then(function (recs) {
        if (mine !== seq) return;
        var more = '<a class="see-all" href="' + escapeHtml(root + "search/index.html?q=" + encodeURIComponent(q)) + '">' +
          (res.hits.length ? "All " + res.hits.length + " results" : "Search page") + " →</a>";
        popup.innerHTML = recs.length
          ? recs.map(function (r) {
              return '<div role="option">' + resultHtml(r, res.terms, root, 110, true) + "</div>";
            }).join("") + more
          : '<p class="no-results">No results for “' + escapeHtml(q) + "”.</p>" + more;
        popup.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
        ready(q);
      });
    }).catch(function (e) {
      console.warn(e);
      popup.innerHTML = '<p class="no-results">' + unavailable() + "</p>";
      popup.hidden = false;
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("focus", function () { getIndex(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (popup.hidden) run(); else select(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); items()[active].click(); }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  document.addEventListener("keydown", function (e) {
    var t = e.target.tagName;
    if (e.key === "/" && t !== "INPUT" && t !== "TEXTAREA" && t !== "SELECT" && !e.target.isContentEditable) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  return getIndex;
}

function searchPage(getIndex) {
  var form = document.querySelector("[data-search-page]");
  if (!form || !getIndex) return;
  var input = form.querySelector("input[type=search]");
  var results = document.querySelector("[data-results]");
  var facetBox = document.querySelector("[data-facets]");
  var fallback = document.querySelector("[data-search-fallback]");
  var root = document.querySelector("form.site-search").getAttribute("data-search-root");
  var params = new URLSearchParams(location.search);
  var filters = { kind: params.get("kind") || "", status: params.get("status") || "", year: params.get("year") || "", author: params.get("author") || "" };
  // Results shown per kind: a few at first (each needs its fragment), more on request.
  var FIRST = 5, MORE = 20, shown = {}, focusNext = null, seq = 0;
  input.value = params.get("q") || "";

  function url() {
    var p = new URLSearchParams();
    if (input.value.trim()) p.set("q", input.value.trim());
    Object.keys(filters).forEach(function (k) { if (filters[k]) p.set(k, filters[k]); });
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }

  function render() {
    var q = input.value.trim(), mine = ++seq;
    history.replaceState(null, "", url());
    if (!q) {
      results.innerHTML = "";
      facetBox.hidden = true;
      fallback.hidden = false;
      return;
    }
    fallback.hidden = true;
    var idx = getIndex();
    performance.mark("planbook-search-start");
    Promise.all([idx.search(q), idx.facets()]).then(function (both) {
      if (mine !== seq) return;
      var res = both[0], facets = both[1];
      // Active filters as (facet, value index): a record passes when it has every value.
      var active = Object.keys(filters).filter(function (f) { return filters[f]; }).map(function (f) {
        return { name: f, of: facets[f].of, value: facets[f].values.indexOf(filters[f]) };
      });
      var pass = function (rid, except) {
        for (var i = 0; i < active.length; i++) {
          if (active[i].name !== except && active[i].of[rid] !== active[i].value) return false;
        }
        return true;
      };
      var hits = res.hits.filter(function (h) { return pass(h.rid, null); });
      // Counts per facet value: the query and the other facets' filters applied.
      var html = "";
      ["kind", "status", "year", "author"].forEach(function (f) {
        var counts = {};
        var names = facets[f].values, of = facets[f].of, byIndex = new Uint32Array(names.length);
        res.hits.forEach(function (h) { if (pass(h.rid, f)) byIndex[of[h.rid]]++; });
        names.forEach(function (v, i) { if (v && byIndex[i]) counts[v] = byIndex[i]; });
        var values = Object.keys(counts).sort(function (a, b) { return f === "year" ? b.localeCompare(a) : counts[b] - counts[a] || a.localeCompare(b); });
        if (!values.length) return;
        html += '<fieldset class="facet" data-facet="' + f + '"><legend>' + { kind: "Kind", status: "Status", year: "Year", author: "Author" }[f] + "</legend>";
        html += '<label><input type="radio" name="f-' + f + '" value=""' + (filters[f] ? "" : " checked") + "> any</label>";
        values.forEach(function (v) {
          var label = f === "kind" ? (KIND_NAMES[v] || v) : v;
          html += '<label><input type="radio" name="f-' + f + '" value="' + escapeHtml(v) + '"' + (filters[f] === v ? " checked" : "") + "> " +
            escapeHtml(label) + ' <span class="count" data-count>' + counts[v] + "</span></label>";
        });
        html += "</fieldset>";
      });
      facetBox.innerHTML = html;
      facetBox.hidden = !html;
      var groups = {};
      hits.forEach(function (h) {
        var k = facets.kind.values[facets.kind.of[h.rid]];
        (groups[k] = groups[k] || []).push(h);
      });
      var wanted = [];
      var limit = function (k) { return shown[k] || FIRST; };
      KIND_ORDER.forEach(function (k) { (groups[k] || []).slice(0, limit(k)).forEach(function (h) { wanted.push(h.rid); }); });
      return idx.records(wanted).then(function (recs) {
        if (mine !== seq) return;
        var byRid = {};
        recs.forEach(function (r) { byRid[r.rid] = r; });
        if (!hits.length) {
          results.innerHTML = '<p class="no-results">No results for “' + escapeHtml(q) + "”" +
            (Object.keys(filters).some(function (f) { return filters[f]; }) ? " with these filters" : "") +
            '. Try fewer words, or the start of a word.</p>';
          ready(q);
          return;
        }
        var out = '<p class="result-count">' + hits.length + " result" + (hits.length === 1 ? "" : "s") + "</p>";
        KIND_ORDER.forEach(function (k) {
          var g = groups[k];
          if (!g) return;
          out += '<section class="result-group" data-kind="' + k + '"><h2>' + KIND_NAMES[k] + ' <span class="count">' + g.length + "</span></h2><ol>";
          g.slice(0, limit(k)).forEach(function (h) {
            out += "<li>" + resultHtml(byRid[h.rid], res.terms, root, 260, false) + "</li>";
          });
          var rest = g.length - limit(k);
          out += "</ol>" + (rest > 0 ? '<button type="button" class="show-more" data-more="' + k + '">Show ' + Math.min(rest, MORE) +
            " more " + KIND_NAMES[k].toLowerCase() + " (of " + rest + ")</button>" : "") + "</section>";
        });
        results.innerHTML = out;
        if (focusNext) {
          var next = results.querySelectorAll('[data-kind="' + focusNext.kind + '"] a.result')[focusNext.at];
          if (next) next.focus();
          focusNext = null;
        }
        ready(q);
      });
    }).catch(function (e) {
      if (mine !== seq) return;
      console.warn(e);
      results.innerHTML = '<p class="no-results">' + unavailable() + "</p>";
      fallback.hidden = false;
    });
  }

  var timer = 0;
  input.addEventListener("input", function () { shown = {}; clearTimeout(timer); timer = setTimeout(render, 80); });
  results.addEventListener("click", function (e) {
    var k = e.target.getAttribute && e.target.getAttribute("data-more");
    if (!k) return;
    focusNext = { kind: k, at: shown[k] || FIRST };
    shown[k] = (shown[k] || FIRST) + MORE;
    render();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
  facetBox.addEventListener("change", function (e) {
    var f = e.target.name.replace(/^f-/, "");
    filters[f] = e.target.value;
    shown = {};
    render();
  });
  // Arrow keys move between results; the input keeps its own keys.
  results.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(results.querySelectorAll("a.result"));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    var next = links[Math.max(0, Math.min(links.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)))];
    next.focus();
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var first = results.querySelector("a.result");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  render();
}
