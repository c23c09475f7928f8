/* digestgen search: queries the static index under search/ (see src/digestgen/search/).
 * The tokenizer below must follow src/digestgen/search/tokenize.py rule for rule; both are
 * tested against tests/fixtures/search/tokenize.json. Result text is only ever inserted as
 * text nodes, never as HTML. */
(function (root) {
  "use strict";

  // -- tokenizer (mirrors tokenize.py) ---------------------------------------------------------

  function isCJK(c) {
    var o = c.codePointAt(0);
    return (o >= 0xac00 && o <= 0xd7a3) || (o >= 0x1100 && o <= 0x11ff) ||
      (o >= 0x3130 && o <= 0x318f) || (o >= 0xa960 && o <= 0xa97f) ||
      (o >= 0xd7b0 && o <= 0xd7ff) || (o >= 0x3040 && o <= 0x30ff) ||
      (o >= 0x3400 && o <= 0x4dbf) || (o >= 0x4e00 && o <= 0x9fff) ||
      (o >= 0xf900 && o <= 0xfaff);
  }
  var WORD = /[\p{L}\p{N}]/u;

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  // Runs of CJK characters and of other word characters, in normalised text.
  function segments(text) {
    var chars = Array.from(text);
    var out = [];
    var i = 0;
    var pos = 0;
    while (i < chars.length) {
      var c = chars[i];
      var j;
      if (isCJK(c)) {
        j = i + 1;
        while (j < chars.length && isCJK(chars[j])) j++;
        out.push({ text: chars.slice(i, j).join(""), cjk: true });
      } else if (WORD.test(c)) {
        j = i + 1;
        while (j < chars.length && WORD.test(chars[j]) && !isCJK(chars[j])) j++;
        out.push({ text: chars.slice(i, j).join(""), cjk: false });
      } else {
        j = i + 1;
      }
      i = j;
    }
    return out;
  }

  function indexTerms(text) {
    var out = [];
    segments(normalize(text)).forEach(function (seg) {
      var run = Array.from(seg.text);
      if (!seg.cjk) {
        out.push(seg.text);
        return;
      }
      run.forEach(function (c) { out.push(c); });
      for (var k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
      out.push("=" + seg.text);
    });
    return out;
  }

  function partTerms(part) {
    var run = Array.from(part.text);
    if (!part.cjk || run.length === 1) return [part.text];
    var out = [];
    for (var k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
    return out;
  }

  function queryParts(query) {
    var seen = {};
    var parts = [];
    segments(normalize(query)).forEach(function (seg) {
      var key = (seg.cjk ? "c:" : "w:") + seg.text;
      if (!seen[key]) {
        seen[key] = true;
        parts.push({ text: seg.text, cjk: seg.cjk, terms: partTerms(seg) });
      }
    });
    return parts;
  }

  // 32-bit FNV-1a over UTF-16 code units.
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function shardOf(term, cjkShards, wordShards) {
    // A whole run lives beside its first bigram (or its only character): no extra fetch.
    if (term.charAt(0) === "=") return "h" + (fnv1a(Array.from(term).slice(1, 3).join("")) % cjkShards);
    if (isCJK(Array.from(term)[0])) return "h" + (fnv1a(term) % cjkShards);
    return "w" + (fnv1a(term.slice(0, 2)) % wordShards);
  }

  // -- the index ---------------------------------------------------------------------------

  function Index(manifestUrl) {
    this.base = manifestUrl.replace(/[^/]*$/, "");
    this.manifestUrl = manifestUrl;
    this.cache = new Map();
    this.manifest = null;
  }

  // ``url``'s JSON (gzip'd files are inflated here: GitHub Pages serves them as they are), or,
  // with ``asText``, its text.
  Index.prototype.load = function (url, gzipped, asText) {
    if (this.cache.has(url)) return this.cache.get(url);
    var promise = fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url);
      if (!gzipped) return asText ? response.text() : response.json();
      var text = new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
      return asText ? text : text.then(JSON.parse);
    });
    this.cache.set(url, promise);
    promise.catch(function () { this.cache.delete(url); }.bind(this));
    return promise;
  };

  Index.prototype.ready = function () {
    var self = this;
    if (!this.manifest) {
      this.manifest = this.load(this.manifestUrl + "?t=" + Date.now(), false);
    }
    return this.manifest;
  };

  Index.prototype.shard = function (name, manifest) {
    // A shard missing from an older or partial index is simply empty.
    return this.load(this.base + name + ".json.gz?v=" + manifest.hash, true, true)
      .catch(function () { return "{}"; })
      .then(function (text) { return new Shard(text); });
  };

  // A postings shard, kept as its JSON text: a query parses the few posting lists it reads, not
  // the whole shard. The index writes terms (word characters, or "=" and CJK characters: never
  // a quote or a backslash) as sorted keys and posting lists as flat lists of integers, so a
  // quote followed by a term is where that key begins, and a list ends at the first "]".
  function Shard(text) {
    this.text = text;
  }

  // The posting list of ``term``, or null.
  Shard.prototype.get = function (term) {
    var key = '"' + term + '":';
    var at = this.text.indexOf(key);
    if (at < 0) return null;
    var start = at + key.length;
    return JSON.parse(this.text.slice(start, this.text.indexOf("]", start) + 1));
  };

  // [term, posting list] for every term that begins with ``prefix`` (sorted keys: adjacent).
  Shard.prototype.prefixed = function (prefix) {
    var text = this.text;
    var out = [];
    var at = text.indexOf('"' + prefix);
    while (at !== -1) {
      var close = text.indexOf('"', at + 1);
      var term = text.slice(at + 1, close);
      if (term.lastIndexOf(prefix, 0) !== 0) break;
      var end = text.indexOf("]", close);
      out.push([term, JSON.parse(text.slice(close + 2, end + 1))]);
      at = text.indexOf('"', end);
    }
    return out;
  };

  Index.prototype.fragment = function (id, manifest) {
    return this.load(this.base + "f/" + id + ".json.gz?v=" + manifest.hash, true);
  };

  // BM25F, the half the index leaves to the reader (see src/digestgen/search/index.py): a
  // posting's value holds the body term frequency (value % 1024) and the term's weight in the
  // title, tags and headings (value / 1024, in eighths); idf comes from the posting list's
  // length, the body's length normalisation from norms.
  var K1 = 1.2, B = 0.75, VALUE_BASE = 1024, SHORT_STEPS = 8, NORM_SCALE = 32;

  Index.prototype.norms = function (manifest) {
    if (!this.normsPromise) {
      this.normsPromise = this.load(this.base + "norms.json.gz?v=" + manifest.hash, true)
        .then(function (quantised) {
          var lengths = quantised.map(function (q) { return Math.pow(2, q / NORM_SCALE) - 1; });
          var avg = lengths.reduce(function (a, b) { return a + b; }, 0) / (lengths.length || 1);
          var norms = new Float64Array(lengths.length);
          for (var i = 0; i < lengths.length; i++) norms[i] = 1 - B + B * lengths[i] / (avg || 1);
          return norms;
        });
      this.normsPromise.catch(function () { this.normsPromise = null; }.bind(this));
    }
    return this.normsPromise;
  };

  // idf × BM25F term weight of each posting in ``flat``, given to ``visit(id, weight)``.
  function postings(flat, n, norms, visit) {
    var df = flat.length / 2;
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    var id = 0;
    for (var k = 0; k < flat.length; k += 2) {
      id += flat[k];
      var value = flat[k + 1];
      var wtf = Math.floor(value / VALUE_BASE) / SHORT_STEPS + (value % VALUE_BASE) / (norms[id] || 1);
      visit(id, idf * wtf * (K1 + 1) / (wtf + K1));
    }
  }

  // Rank entries for a query: BM25F scores summed over query terms, weighted by how many of
  // the query's terms an entry has (a particle on the query costs one bigram, not the match).
  // Scores are kept in arrays indexed by entry id, with the ids touched in a list.
  Index.prototype.rank = function (query) {
    var self = this;
    var parts = queryParts(query);
    if (!parts.length) return Promise.resolve({ parts: parts, hits: [] });
    return this.ready().then(function (m) {
      var names = [];
      var lookups = parts.map(function (p) {
        var where = p.terms.map(function (t) { return shardOf(t, m.cjk_shards, m.word_shards); });
        var exact = p.cjk && Array.from(p.text).length > 1
          ? shardOf("=" + p.text, m.cjk_shards, m.word_shards) : null;
        where.concat(exact === null ? [] : [exact]).forEach(function (name) {
          if (names.indexOf(name) === -1) names.push(name);
        });
        return { where: where, exact: exact };
      });
      var fetches = names.map(function (name) { return self.shard(name, m); });
      fetches.push(self.norms(m));
      return Promise.all(fetches).then(function (loaded) {
        var norms = loaded.pop();
        var shards = {};
        names.forEach(function (name, i) { shards[name] = loaded[i]; });
        var n = m.entries;
        var score = new Float64Array(n);
        var matched = new Uint16Array(n);
        var touched = [];
        function add(id, value) {
          if (!matched[id] && !score[id]) touched.push(id);
          score[id] += value;
          matched[id] += 1;
        }
        function bonus(id, value) {
          if (!matched[id] && !score[id]) touched.push(id);
          score[id] += 0.5 * value;
        }
        var total = 0;
        parts.forEach(function (p, k) {
          var where = lookups[k].where;
          if (p.cjk) {
            p.terms.forEach(function (t, i) {
              total += 1;
              var flat = shards[where[i]].get(t);
              if (flat) postings(flat, n, norms, add);
            });
            if (lookups[k].exact !== null) {
              var whole = shards[lookups[k].exact].get("=" + p.text);
              if (whole) postings(whole, n, norms, bonus);
            }
            return;
          }
          // A word matches itself and, a little less, every longer word it begins.
          total += 1;
          var best = new Float64Array(n);
          var seen = [];
          shards[where[0]].prefixed(p.text).forEach(function (found) {
            var weight = found[0] === p.text ? 1 : 0.7;
            postings(found[1], n, norms, function (id, value) {
              if (!best[id]) seen.push(id);
              best[id] = Math.max(best[id], value * weight);
            });
          });
          seen.forEach(function (id) { add(id, best[id]); });
        });
        var hits = [];
        touched.forEach(function (id) {
          var coverage = matched[id] / total;
          if (coverage < 0.6 && !(total <= 2 && coverage >= 0.5)) return;
          hits.push({ id: id, score: score[id] * coverage * coverage });
        });
        hits.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
        return { parts: parts, hits: hits };
      });
    });
  };

  // -- highlighting ------------------------------------------------------------------------

  // Ranges [start, end) of ``text`` to highlight: for a Korean run, its longest pieces found
  // in the text (the run less a particle is usually what the page says); for a word, words
  // it begins.
  function matchRanges(text, parts) {
    var lower = normalize(text);
    var ranges = [];
    if (lower.length !== text.length) return ranges; // normalisation moved characters: skip
    parts.forEach(function (p) {
      if (p.cjk) {
        var run = p.text;
        var min = run.length === 1 ? 1 : 2;
        var covered = new Array(lower.length).fill(false);
        for (var len = run.length; len >= min; len--) {
          for (var k = 0; k + len <= run.length; k++) {
            var piece = run.slice(k, k + len);
            var at = lower.indexOf(piece);
            while (at !== -1) {
              if (!covered[at]) {
                ranges.push([at, at + len]);
                for (var c = at; c < at + len; c++) covered[c] = true;
              }
              at = lower.indexOf(piece, at + len);
            }
          }
          if (ranges.length) break;
        }
      } else {
        var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gu");
        var m;
        while ((m = re.exec(lower)) !== null) {
          var start = m.index + m[1].length;
          ranges.push([start, start + m[2].length]);
        }
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  // The window of about ``size`` characters with the most matches.
  function snippet(text, ranges, size) {
    if (!ranges.length) return { start: 0, end: Math.min(text.length, size) };
    var best = 0;
    var bestCount = -1;
    ranges.forEach(function (r, i) {
      var count = 0;
      for (var k = i; k < ranges.length && ranges[k][1] <= r[0] + size; k++) count++;
      if (count > bestCount) { bestCount = count; best = r[0]; }
    });
    var start = Math.max(0, best - Math.floor(size / 4));
    var end = Math.min(text.length, start + size);
    return { start: start, end: end };
  }

  function highlighted(doc, text, ranges) {
    var frag = doc.createDocumentFragment();
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) frag.appendChild(doc.createTextNode(text.slice(pos, r[0])));
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      frag.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) frag.appendChild(doc.createTextNode(text.slice(pos)));
    return frag;
  }

  // -- the page ----------------------------------------------------------------------------

  function phraseBonus(fragment, query) {
    var q = normalize(query).trim();
    if (!q) return 1;
    if (normalize(fragment.t).indexOf(q) !== -1) return 1.5;
    if (normalize(fragment.x).indexOf(q) !== -1) return 1.2;
    return 1;
  }

  // A heading that holds the whole query (a Korean run may drop its last syllable, a particle)
  // is where the result links to.
  function headingMatches(text, parts) {
    var lower = normalize(text);
    return parts.every(function (p) {
      if (!p.cjk) return matchRanges(text, [p]).length > 0;
      var run = Array.from(p.text);
      var stem = run.length > 2 ? run.slice(0, -1).join("") : p.text;
      return lower.indexOf(p.text) !== -1 || lower.indexOf(stem) !== -1;
    });
  }

  function headingLink(fragment, parts) {
    for (var i = 0; i < fragment.h.length; i++) {
      var heading = fragment.h[i];
      if (headingMatches(heading[0], parts)) {
        return { url: fragment.u.split("#")[0] + "#" + encodeURIComponent(heading[1]), text: heading[0] };
      }
    }
    return null;
  }

  function renderResult(doc, fragment, parts, labels) {
    var li = doc.createElement("li");
    li.className = "search-result";
    var heading = headingLink(fragment, parts);
    var a = doc.createElement("a");
    a.href = heading ? heading.url : fragment.u;
    a.className = "result-title";
    a.appendChild(highlighted(doc, fragment.t, matchRanges(fragment.t, parts)));
    if (heading) {
      var sub = doc.createElement("span");
      sub.className = "result-heading";
      sub.appendChild(doc.createTextNode(" › "));
      sub.appendChild(highlighted(doc, heading.text, matchRanges(heading.text, parts)));
      a.appendChild(sub);
    }
    li.appendChild(a);
    var meta = doc.createElement("p");
    meta.className = "result-meta";
    if (fragment.s) meta.appendChild(doc.createTextNode(fragment.s));
    if (fragment.d) {
      // The date as the site's pages show it, machine-readable in datetime.
      if (fragment.s) meta.appendChild(doc.createTextNode(" · "));
      var time = doc.createElement("time");
      time.setAttribute("datetime", fragment.d);
      time.textContent = fragment.f || fragment.d;
      meta.appendChild(time);
    }
    li.appendChild(meta);
    var text = fragment.x.replace(/\s+/g, " ");
    var ranges = matchRanges(text, parts);
    var win = snippet(text, ranges, 160);
    var inside = ranges.filter(function (r) { return r[0] >= win.start && r[1] <= win.end; })
      .map(function (r) { return [r[0] - win.start, r[1] - win.start]; });
    var p = doc.createElement("p");
    p.className = "result-snippet";
    if (win.start > 0) p.appendChild(doc.createTextNode("… "));
    p.appendChild(highlighted(doc, text.slice(win.start, win.end), inside));
    if (win.end < text.length) p.appendChild(doc.createTextNode(" …"));
    li.appendChild(p);
    return li;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function SearchPage(doc, win) {
    this.doc = doc;
    this.win = win;
    this.input = doc.getElementById("search-input");
    this.results = doc.getElementById("search-results");
    this.status = doc.getElementById("search-status");
    this.labels = JSON.parse(doc.getElementById("search-labels").textContent);
    this.index = new Index(this.input.getAttribute("data-manifest"));
    this.serial = 0;
  }

  SearchPage.prototype.run = function (query) {
    var self = this;
    var serial = ++this.serial;
    var started = performance.now();
    query = query.trim();
    if (!query) {
      this.results.replaceChildren();
      this.status.textContent = "";
      this.results.removeAttribute("data-state");
      return Promise.resolve();
    }
    this.results.setAttribute("data-state", "loading");
    return this.index.rank(query).then(function (ranked) {
      return self.index.ready().then(function (m) {
        var top = ranked.hits.slice(0, 10);
        return Promise.all(top.map(function (h) { return self.index.fragment(h.id, m); }))
          .then(function (fragments) {
            if (serial !== self.serial) return;
            var shown = top.map(function (h, i) {
              return { hit: h, fragment: fragments[i], score: h.score * phraseBonus(fragments[i], query) };
            });
            shown.sort(function (a, b) { return b.score - a.score || b.hit.id - a.hit.id; });
            shown = shown.slice(0, 10);
            var items = shown.map(function (s) {
              return renderResult(self.doc, s.fragment, ranked.parts, self.labels);
            });
            self.results.replaceChildren.apply(self.results, items);
            self.status.textContent = ranked.hits.length
              ? fill(self.labels.results, { n: ranked.hits.length, q: query })
              : fill(self.labels.none, { q: query });
            self.results.setAttribute("data-state", "done");
            self.results.setAttribute("data-ms", String(Math.round(performance.now() - started)));
          });
      });
    }).catch(function (error) {
      if (serial !== self.serial) return;
      self.status.textContent = self.labels.error;
      self.results.setAttribute("data-state", "error");
      if (root.console) root.console.error(error);
    });
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(this.win.location.search);
    var q = params.get("q") || "";
    this.input.value = q;
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = new URL(self.win.location.href);
        if (self.input.value) url.searchParams.set("q", self.input.value);
        else url.searchParams.delete("q");
        self.win.history.replaceState(null, "", url);
        self.run(self.input.value);
      }, 120);
    });
    this.input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      var url = new URL(self.win.location.href);
      url.searchParams.set("q", self.input.value);
      self.win.history.replaceState(null, "", url);
      self.run(self.input.value);
    });
    // Arrow keys move between the search box and the results; Escape goes back to the box.
    this.doc.addEventListener("keydown", function (event) {
      var links = Array.from(self.results.querySelectorAll("a.result-title"));
      var at = links.indexOf(self.doc.activeElement);
      if (event.key === "ArrowDown" && (self.doc.activeElement === self.input || at >= 0)) {
        if (links[at + 1]) { links[at + 1].focus(); event.preventDefault(); }
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? self.input : links[at - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Escape" && at >= 0) {
        self.input.focus();
      }
    });
    this.input.focus();
    this.index.ready().catch(function () {}); // warm up while the reader types
    return this.run(q);
  };

  var api = {
    normalize: normalize,
    indexTerms: indexTerms,
    queryParts: queryParts,
    fnv1a: fnv1a,
    shardOf: shardOf,
    matchRanges: matchRanges,
    Index: Index,
    Shard: Shard,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  root.digestgenSearch = api;

  if (root.document && root.document.getElementById("search-results")) {
    var page = new SearchPage(root.document, root);
    root.digestgenSearch.ready = page.start();
  }
})(typeof window !== "undefined" ? window : globalThis);
