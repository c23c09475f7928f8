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
      (o >= 0xf900 && o <= 0xfaff) || (o >= 0x20000 && o <= 0x323af);
  }
  // Emoji: the ranges of tokenize.py's _EMOJI_RANGES (skin tones only modify: not here).
  var EMOJI = /^[\u203c\u2049\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\u{1f000}-\u{1f1e5}\u{1f200}-\u{1f3fa}\u{1f400}-\u{1faff}]$/u;
  function isFlagPart(c) {
    var o = c.codePointAt(0);
    return o >= 0x1f1e6 && o <= 0x1f1ff; // regional indicators: a flag is a pair
  }
  function isEmoji(c) {
    return EMOJI.test(c) || isFlagPart(c);
  }
  var WORD = /[\p{L}\p{N}]/u;

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  // Runs of CJK characters, emoji, and runs of other word characters, in normalised text.
  function segments(text) {
    var chars = Array.from(text);
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var j = i + 1;
      if (isCJK(c)) {
        while (j < chars.length && isCJK(chars[j])) j++;
        out.push({ text: chars.slice(i, j).join(""), kind: "cjk" });
      } else if (isFlagPart(c)) {
        if (j < chars.length && isFlagPart(chars[j])) j++;
        out.push({ text: chars.slice(i, j).join(""), kind: "emoji" });
      } else if (EMOJI.test(c)) {
        out.push({ text: c, kind: "emoji" });
      } else if (WORD.test(c)) {
        while (j < chars.length && WORD.test(chars[j]) && !isCJK(chars[j])) j++;
        out.push({ text: chars.slice(i, j).join(""), kind: "word" });
      }
      i = j;
    }
    return out;
  }

  function indexTerms(text) {
    var out = [];
    segments(normalize(text)).forEach(function (seg) {
      if (seg.kind !== "cjk") {
        out.push(seg.text);
        return;
      }
      var run = Array.from(seg.text);
      run.forEach(function (c) { out.push(c); });
      for (var k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
      out.push("=" + seg.text);
    });
    return out;
  }

  function partTerms(part) {
    var run = Array.from(part.text);
    if (part.kind !== "cjk" || run.length === 1) return [part.text];
    var out = [];
    for (var k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
    return out;
  }

  function queryParts(query) {
    var seen = {};
    var parts = [];
    segments(normalize(query)).forEach(function (seg) {
      var key = seg.kind + ":" + seg.text;
      if (!seen[key]) {
        seen[key] = true;
        parts.push({ text: seg.text, kind: seg.kind, cjk: seg.kind === "cjk", terms: partTerms(seg) });
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
    var chars = Array.from(term);
    // A whole run lives beside its first bigram (or its only character): no extra fetch.
    if (chars[0] === "=") return "h" + (fnv1a(chars.slice(1, 3).join("")) % cjkShards);
    if (isCJK(chars[0]) || isEmoji(chars[0])) return "h" + (fnv1a(term) % cjkShards);
    // Words by their first two characters (code points, as Python counts them).
    return "w" + (fnv1a(chars.slice(0, 2).join("")) % wordShards);
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

  // The result file of an entry: its title, URL, date, section, and one chunk of its text.
  Index.prototype.fragment = function (id, chunk, manifest) {
    var name = chunk ? id + "-" + chunk : String(id);
    return this.load(this.base + "f/" + name + ".json.gz?v=" + manifest.hash, true);
  };

  // BM25F, the half the index leaves to the reader (see src/digestgen/search/index.py): a
  // posting's value holds the chunk of the entry's text where the term first occurs
  // (value % 16) and, of the rest (value / 16), the body term frequency (% 1024) and the
  // term's weight in the title, tags, headings and code (/ 1024, in eighths); idf comes from
  // the posting list's length, the body's length normalisation from norms.
  var K1 = 1.2, B = 0.75, CHUNKS = 16, VALUE_BASE = 1024, SHORT_STEPS = 8, NORM_SCALE = 32;

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

  // idf × BM25F term weight of each posting in ``flat``, given to
  // ``visit(id, weight, chunk)``.
  function postings(flat, n, norms, visit) {
    var df = flat.length / 2;
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    var id = 0;
    for (var k = 0; k < flat.length; k += 2) {
      id += flat[k];
      var chunk = flat[k + 1] % CHUNKS;
      var value = (flat[k + 1] - chunk) / CHUNKS;
      var wtf = Math.floor(value / VALUE_BASE) / SHORT_STEPS + (value % VALUE_BASE) / (norms[id] || 1);
      visit(id, idf * wtf * (K1 + 1) / (wtf + K1), chunk);
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
        // Where in each entry's text its matched terms first occur, weighed by what they
        // add: the snippet comes from the chunk with the most.
        var votes = new Map();
        function add(id, value, chunk) {
          if (!matched[id] && !score[id]) touched.push(id);
          score[id] += value;
          matched[id] += 1;
          var v = votes.get(id);
          if (!v) votes.set(id, v = new Float64Array(CHUNKS));
          v[chunk] += value;
        }
        function bonus(id, value) {
          if (!matched[id] && !score[id]) touched.push(id);
          score[id] += 0.5 * value;
        }
        var total = 0;
        parts.forEach(function (p, k) {
          var where = lookups[k].where;
          if (p.kind !== "word") { // CJK bigrams (or a unigram), or an emoji
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
          var bestChunk = new Uint8Array(n);
          var seen = [];
          shards[where[0]].prefixed(p.text).forEach(function (found) {
            var weight = found[0] === p.text ? 1 : 0.7;
            postings(found[1], n, norms, function (id, value, chunk) {
              if (!best[id]) seen.push(id);
              if (value * weight > best[id]) {
                best[id] = value * weight;
                bestChunk[id] = chunk;
              }
            });
          });
          seen.forEach(function (id) { add(id, best[id], bestChunk[id]); });
        });
        var hits = [];
        touched.forEach(function (id) {
          var coverage = matched[id] / total;
          if (coverage < 0.6 && !(total <= 2 && coverage >= 0.5)) return;
          var v = votes.get(id);
          var chunk = 0;
          for (var c = 1; c < CHUNKS; c++) if (v[c] > v[chunk]) chunk = c;
          hits.push({ id: id, score: score[id] * coverage * coverage, chunk: chunk });
        });
        hits.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
        return { parts: parts, hits: hits };
      });
    });
  };

  // The query's best ``limit`` results, each with its result file: what the page shows.
  Index.prototype.search = function (query, limit) {
    var self = this;
    return this.rank(query).then(function (ranked) {
      return self.ready().then(function (m) {
        var top = ranked.hits.slice(0, limit);
        return Promise.all(top.map(function (h) { return self.fragment(h.id, h.chunk, m); }))
          .then(function (fragments) {
            return {
              parts: ranked.parts,
              total: ranked.hits.length,
              results: top.map(function (h, i) { return { hit: h, fragment: fragments[i] }; }),
            };
          });
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
      if (p.kind === "emoji") {
        for (var pos = lower.indexOf(p.text); pos !== -1; pos = lower.indexOf(p.text, pos + p.text.length)) {
          ranges.push([pos, pos + p.text.length]);
        }
      } else if (p.cjk) {
        var run = Array.from(p.text); // characters, not UTF-16 units (CJK beyond the BMP)
        var min = run.length === 1 ? 1 : 2;
        var covered = new Array(lower.length).fill(false);
        for (var len = run.length; len >= min; len--) {
          for (var k = 0; k + len <= run.length; k++) {
            var piece = run.slice(k, k + len).join("");
            var at = lower.indexOf(piece);
            while (at !== -1) {
              if (!covered[at]) {
                ranges.push([at, at + piece.length]);
                for (var c = at; c < at + piece.length; c++) covered[c] = true;
              }
              at = lower.indexOf(piece, at + piece.length);
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

  // The query as the status line repeats it (read out by screen readers): a long paste is cut.
  function shownQuery(query) {
    var chars = Array.from(query);
    return chars.length > 80 ? chars.slice(0, 80).join("") + "…" : query;
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
    return this.index.search(query, 10).then(function (found) {
      if (serial !== self.serial) return;
      var shown = found.results.map(function (r) {
        return { hit: r.hit, fragment: r.fragment, score: r.hit.score * phraseBonus(r.fragment, query) };
      });
      shown.sort(function (a, b) { return b.score - a.score || b.hit.id - a.hit.id; });
      var items = shown.map(function (s) {
        return renderResult(self.doc, s.fragment, found.parts, self.labels);
      });
      self.results.replaceChildren.apply(self.results, items);
      self.status.textContent = found.total
        ? fill(self.labels.results, { n: found.total, q: shownQuery(query) })
        : fill(self.labels.none, { q: shownQuery(query) });
      self.results.setAttribute("data-state", "done");
      self.results.setAttribute("data-ms", String(Math.round(performance.now() - started)));
    }).catch(function (error) {
      if (serial !== self.serial) return;
      self.status.textContent = self.labels.error;
      self.results.setAttribute("data-state", "error");
      if (root.console) root.console.error(error);
    });
  };

  // The query as the address bar keeps it: at most URL_QUERY characters (whole characters,
  // cut at a space when one is near the end). A 2,000-character query would make a URL of
  // 12 KB and more, which servers refuse (414) when the page is reloaded or shared; the
  // search itself always runs on everything typed.
  var URL_QUERY = 200;
  function urlQuery(query) {
    var chars = Array.from(query);
    if (chars.length <= URL_QUERY) return query;
    var cut = chars.slice(0, URL_QUERY).join("");
    var space = cut.lastIndexOf(" ");
    return space >= cut.length - 40 ? cut.slice(0, space) : cut;
  }

  SearchPage.prototype.remember = function (query) {
    var url = new URL(this.win.location.href);
    if (query) url.searchParams.set("q", urlQuery(query));
    else url.searchParams.delete("q");
    this.win.history.replaceState(null, "", url);
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(this.win.location.search);
    var q = params.get("q") || "";
    this.input.value = q;
    if (Array.from(q).length > URL_QUERY) this.remember(q); // a long link from elsewhere
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        self.remember(self.input.value);
        self.run(self.input.value);
      }, 120);
    });
    this.input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      self.remember(self.input.value);
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
    urlQuery: urlQuery,
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
