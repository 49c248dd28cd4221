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
