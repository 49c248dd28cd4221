// planbook default theme: progressive enhancement only. Every page works without this script.
// Put together from themes/default/assets/js/, one file per feature.
(function () {
"use strict";

// Dates: relative ages ("12 days ago") computed now rather than at build time, and the
// "completed in <quarter>" count for today's quarter.

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

// Tables: sortable columns and the status filter on the plans page.

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

// The decision timeline's filters.

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

// Search terms, made exactly as src/search/tokenize.rs makes them (the shared vectors in
// tests/tokenizer-vectors.json check that the two agree).

// ---------------------------------------------------------------------------------------
// Search: the client of the index `planbook build` writes under search/ (see src/search/).
// Query terms are made exactly as the index's terms (src/search/tokenize.rs).

// Scripts written without spaces: the same ranges as `is_cjk` in src/search/tokenize.rs.
var CJK_CHARS = "\\u0e00-\\u0eff\\u1000-\\u109f\\u1780-\\u17ff\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2ffff}";
var CJK = new RegExp("[" + CJK_CHARS + "]+", "gu");
var HAS_CJK = new RegExp("[" + CJK_CHARS + "]", "u");
// An ID not inside a longer word (CJK neighbours do not count).
var WORD_CHAR = "(?![" + CJK_CHARS + "])[\\p{L}\\p{N}]";
var ID = new RegExp("(^|(?!" + WORD_CHAR + ")[\\s\\S])(ep|td)-(\\d{1,6})(?!" + WORD_CHAR + ")", "giu");
var KIND_NAMES = { plan: "Plans", decision: "Decisions", lesson: "Lessons", debt: "Debt", quality: "Quality", doc: "Docs" };
var KIND_ORDER = ["plan", "decision", "lesson", "debt", "quality", "doc"];

function fold(w) {
  return w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/ς/g, "σ");
}

// One word segmenter for the page: making one is slow.
var segmenter = null;
function words() {
  if (!segmenter) segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
  return segmenter;
}

function tokenize(text) {
  var terms = [];
  text = text.replace(ID, function (_, before, kind, digits) {
    var n = String(parseInt(digits, 10));
    while (n.length < 3) n = "0" + n;
    terms.push(kind.toLowerCase() + "-" + n);
    return before + " ";
  });
  text = text.replace(CJK, function (run) {
    var chars = Array.from(run);
    if (chars.length === 1) terms.push(chars[0]);
    for (var i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    return " ";
  });
  for (var s of words().segment(text)) {
    if (s.isWordLike) {
      var f = fold(s.segment);
      if (f) terms.push(f);
    }
  }
  return terms;
}

// Search: reading the index planbook writes under search/ (see src/search/).

function varint(view, pos) {
  var v = 0, shift = 0, b;
  do {
    b = view[pos.i++];
    v += (b & 0x7f) * Math.pow(2, shift);
    shift += 7;
  } while (b & 0x80);
  return v;
}

var decoder = new TextDecoder();

function Index(metaUrl) {
  this.url = metaUrl;
  this.base = metaUrl.slice(0, metaUrl.lastIndexOf("search/"));
  this.reload();
}

// (Re)reads the meta file. It has a fixed name: revalidate it, so a cached copy never names
// old shards.
Index.prototype.reload = function () {
  this.cache = {};
  this.facetsPromise = null;
  this.meta = fetch(this.url, { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("search index: " + r.status);
    return r.json();
  });
};

// An index file's bytes (an ArrayBuffer), or its JSON with kind "json". Files start with the
// gzip magic number when planbook compressed them; a host may also have decompressed them.
Index.prototype.get = function (path, kind) {
  var url = this.base + path;
  if (!this.cache[url]) {
    this.cache[url] = fetch(url).then(function (r) {
      if (!r.ok) throw new Error("search index: " + r.status + " " + url);
      return r.arrayBuffer();
    }).then(function (buf) {
      var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
      if (head[0] !== 0x1f || head[1] !== 0x8b) return buf;
      return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    }).then(function (buf) {
      return kind === "json" ? JSON.parse(decoder.decode(buf)) : buf;
    });
    // A failure is not remembered: the next search tries again.
    var cache = this.cache;
    cache[url].catch(function () { delete cache[url]; });
  }
  return this.cache[url];
};

// Runs `work` against the index; if it fails (the site was rebuilt and the files this page
// knew are gone), reads the meta file again and retries once.
Index.prototype.retrying = function (work) {
  var self = this;
  return work().catch(function () {
    self.reload();
    return work();
  });
};

// Terms of a shard: [{term, df, postings: function -> [[rid, weight], ...]}].
function readShard(buf, records) {
  var view = new Uint8Array(buf), pos = { i: 4 };
  var count = varint(view, pos), out = [];
  for (var t = 0; t < count; t++) {
    var len = varint(view, pos);
    var term = decoder.decode(view.subarray(pos.i, pos.i + len));
    pos.i += len;
    var df = varint(view, pos), mode = view[pos.i++], start, size;
    if (mode === 0) {
      size = varint(view, pos);
      start = pos.i;
    } else {
      start = pos.i;
      size = Math.ceil(records / 8) + Math.ceil(df / 2);
    }
    pos.i = start + size;
    out.push({ term: term, df: df, mode: mode, start: start, view: view });
  }
  return out;
}

// Adds the entry's postings to `scores` (the best score of each record for this query term)
// and the records it newly touches to `touched`.
function addPostings(entry, records, idf, scores, touched) {
  var v = entry.view;
  var add = function (rid, weight) {
    var sc = idf * weight / 255;
    if (scores[rid] === 0) touched.push(rid);
    if (sc > scores[rid]) scores[rid] = sc;
  };
  if (entry.mode === 0) {
    var pos = { i: entry.start }, rid = 0;
    for (var k = 0; k < entry.df; k++) {
      rid += varint(v, pos);
      add(rid, v[pos.i++]);
    }
  } else {
    var bytes = Math.ceil(records / 8), w = entry.start + bytes, n = 0;
    for (var byte = 0; byte < bytes; byte++) {
      var b = v[entry.start + byte];
      if (!b) continue;
      for (var bit = 0; bit < 8; bit++) {
        if (b & (1 << bit)) {
          var packed = v[w + (n >> 1)];
          add(byte * 8 + bit, ((n & 1) ? (packed & 15) : (packed >> 4)) * 16 + 8);
          n++;
        }
      }
    }
  }
}

// Shards whose term range can hold `term` (and, for a prefix, every term starting with it).
// Compares by code point, as the index sorts terms (JavaScript's `<` compares UTF-16 units).
function before(a, b) {
  var x = Array.from(a), y = Array.from(b);
  for (var i = 0; i < x.length && i < y.length; i++) {
    var d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d < 0;
  }
  return x.length <= y.length;
}

function shardsFor(meta, term) {
  var s = meta.shards, lo = 0, hi = s.length - 1, first = 0;
  if (!s.length) return [];
  while (lo <= hi) {
    var mid = (lo + hi) >> 1;
    if (before(s[mid][0], term)) { first = mid; lo = mid + 1; } else hi = mid - 1;
  }
  var out = [s[first][1]];
  for (var i = first + 1; i < s.length && s[i][0].lastIndexOf(term, 0) === 0; i++) out.push(s[i][1]);
  return out;
}

// The matches of a query: [{rid, score}] best first, and the query's terms.
Index.prototype.search = function (query) {
  var self = this;
  return this.retrying(function () { return self.searchOnce(query); });
};

Index.prototype.searchOnce = function (query) {
  var self = this;
  var terms = tokenize(query);
  var unique = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
  if (!unique.length) return Promise.resolve({ terms: [], hits: [] });
  return this.meta.then(function (meta) {
    var n = meta.records;
    self.get(meta.directory); // needed next, for the results' fragments
    return Promise.all(unique.map(function (term) {
      return Promise.all(shardsFor(meta, term).map(function (f) { return self.get(f); })).then(function (bufs) {
        var scores = new Float32Array(n), touched = [], expanded = 0, isId = /^(ep|td)-\d+$/.test(term);
        bufs.forEach(function (buf) {
          readShard(buf, n).forEach(function (e) {
            var exact = e.term === term;
            // Prefix matching: "retro" finds "retrospective" (at most 64 expansions a term);
            // IDs match exactly ("EP-100" is not EP-1000).
            if (!exact && (isId || e.term.lastIndexOf(term, 0) !== 0 || expanded >= 64)) return;
            if (!exact) expanded++;
            var idf = Math.log(1 + (n - e.df + 0.5) / (e.df + 0.5)) * (exact ? 1 : 0.85);
            addPostings(e, n, idf, scores, touched);
          });
        });
        return { scores: scores, touched: touched };
      });
    })).then(function (perTerm) {
      // Every term must match (AND); scores add up. Walk the rarest term's records.
      perTerm.sort(function (a, b) { return a.touched.length - b.touched.length; });
      var hits = [];
      perTerm[0].touched.forEach(function (rid) {
        var total = 0;
        for (var k = 0; k < perTerm.length; k++) {
          var s = perTerm[k].scores[rid];
          if (s === 0) return;
          total += s;
        }
        hits.push({ rid: rid, score: total });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.rid - b.rid; });
      return { terms: unique, hits: hits };
    });
  });
};

// Records' metadata: {rid, title, heading, url, kind, excerpt}. A fragment's name comes from
// the directory; within a fragment a null title repeats the row before, and a URL of only
// "#anchor" is on the row before's page.
Index.prototype.records = function (rids) {
  var self = this;
  return this.retrying(function () { return self.recordsOnce(rids); });
};

Index.prototype.recordsOnce = function (rids) {
  var self = this;
  return this.meta.then(function (meta) {
    return self.get(meta.directory).then(function (dir) {
      var hashes = new DataView(dir), size = meta.fragment_size, files = {};
      rids.forEach(function (rid) { files[Math.floor(rid / size)] = true; });
      var keys = Object.keys(files);
      return Promise.all(keys.map(function (k) {
        // Names are 64-bit hashes, stored little-endian: high word first in the name.
        var hi = hashes.getUint32(k * 8 + 4, true).toString(16), lo = hashes.getUint32(k * 8, true).toString(16);
        var name = "00000000".slice(hi.length) + hi + "00000000".slice(lo.length) + lo;
        return self.get("search/f." + name + ".bin", "json");
      })).then(function (frags) {
        var byFile = {};
        keys.forEach(function (k, i) {
          var title = "", page = "";
          byFile[k] = frags[i].map(function (row) {
            if (row[0] !== null) title = row[0];
            var url = row[2].charAt(0) === "#" ? page + row[2] : row[2];
            page = url.split("#")[0];
            return { title: title, heading: row[1], url: url, kind: row[3], excerpt: row[4] };
          });
        });
        return rids.map(function (rid) {
          var r = byFile[Math.floor(rid / size)][rid % size];
          return { rid: rid, title: r.title, heading: r.heading, url: r.url, kind: r.kind, excerpt: r.excerpt };
        });
      });
    });
  });
};

// Facets: {kind: {values, of: Uint16Array(record -> value index)}, ...}.
Index.prototype.facets = function () {
  var self = this;
  return this.retrying(function () { return self.facetsOnce(); });
};

Index.prototype.facetsOnce = function () {
  var self = this;
  if (!this.facetsPromise) {
    this.facetsPromise = this.meta.then(function (meta) {
      var names = Object.keys(meta.facets);
      return Promise.all(names.map(function (f) { return self.get(meta.facets[f]); })).then(function (bufs) {
        var out = {};
        names.forEach(function (name, i) {
          var view = new Uint8Array(bufs[i]), pos = { i: 4 }, values = [];
          var count = varint(view, pos);
          for (var v = 0; v < count; v++) {
            var len = varint(view, pos);
            values.push(decoder.decode(view.subarray(pos.i, pos.i + len)));
            pos.i += len;
          }
          var of = new Uint16Array(meta.records), at = 0, runs = varint(view, pos);
          for (var r = 0; r < runs; r++) {
            var value = varint(view, pos), run = varint(view, pos);
            of.fill(value, at, at + run);
            at += run;
          }
          out[name] = { values: values, of: of };
        });
        return out;
      });
    });
  }
  return this.facetsPromise;
};

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

// Opening a collapsed section a link targets, and starting everything.

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
  searchPage(siteSearch());
  openTarget();
  window.addEventListener("hashchange", openTarget);
}

// The client's tokenizer, for themes and for the tests that check it against the index's.
window.planbook = { tokenize: tokenize };

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();

})();
