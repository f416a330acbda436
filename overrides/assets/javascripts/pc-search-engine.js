/* papercat search engine: parses a query, runs it on the index (PostingIndex in
 * pc-search-index.js, or lunr.Index in the tests) and builds a page of results: the
 * ranking, highlights, facets, and the topics, authors and venues a query names.
 * Loaded by the search worker (importScripts) and by node (tests/js/search_node.js)
 * through module.exports.
 */
"use strict";

if (typeof module !== "undefined" && module.exports) {
  var searchRank = require("./pc-search-rank.js");
  var Hits = searchRank.Hits, Found = searchRank.Found, popcount = searchRank.popcount;
  var NO_HITS = searchRank.NO_HITS;
  var addSuggestions = require("./pc-search-suggest.js").addSuggestions;
}

var FIELD_FILTERS = { topic: 1, topics: 1, year: 1, title: 1, author: 1, authors: 1, venue: 1, abstract: 1 };
var MIN_PREFIX = 3, MIN_TYPO = 5;

/* British spellings -> American (generator/spelling.py ships the pairs): registered
 * as lunr pipeline function "papercat-spelling", which the index's search pipeline
 * names before the stemmer, as the index was built. Must run before the index is
 * loaded (PostingIndex, lunr.Index.load).
 * Returns the word mapping itself. */
function useSpelling(lunr, pairs) {
  var map = new Map(Object.keys(pairs).map(function (k) { return [k, pairs[k]]; }));
  function spell(word) { var a = map.get(word); return a === undefined ? word : a; }
  function spelling(token) { return token.update(spell); }
  if (lunr.Pipeline.registeredFunctions["papercat-spelling"]) {
    delete lunr.Pipeline.registeredFunctions["papercat-spelling"];
  }
  lunr.Pipeline.registerFunction(spelling, "papercat-spelling");
  return spell;
}

/* The search engine over a loaded index, the data its filters and facets need (docs)
 * and what results show (rows: get(n) -> [id, title, snippet, url] once loaded). */
function Engine(lunr, index, docs, separator, spell, rows) {
  this.lunr = lunr; this.index = index; this.docs = docs; this.rows = rows;
  this.spell = spell || function (word) { return word; };
  this.split = new RegExp(separator);
  this.words = new RegExp("(?:" + separator + ")", "g");
  this.topicIds = docs.topics.map(function (t) { return t[0]; });
}

/* lunr.js's trimmer strips what is not ASCII [A-Za-z0-9_] from both ends ("łukasz"
 * became "ukasz"); lunr.py's, which built the index, strips what is not a Unicode
 * letter, digit or underscore. This is the Python one. */
var EDGES = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;
function trim(token) {
  return token.update(function (s) { return s.replace(EDGES, ""); });
}

/* Tokens as the generator makes them: split, lowercase, trimmed, no stop words. */
Engine.prototype.tokens = function (text) {
  var lunr = this.lunr, out = [];
  text.toLowerCase().split(this.split).forEach(function (part) {
    if (!part) return;
    var token = trim(new lunr.Token(part, {}));
    if (!token || !token.toString()) return;
    if (lunr.stopWordFilter(token) === undefined) return;
    out.push(token.toString());
  });
  return out;
};

/* A word as the index has it: American spelling, stemmed. */
Engine.prototype.stem = function (word) {
  return this.lunr.stemmer(new this.lunr.Token(this.spell(word), {})).toString();
};

/* Parse a query: free words, "quoted words" (required) and field:value filters. */
Engine.prototype.parse = function (query) {
  var parsed = { free: [], required: [], filters: { topic: [], year: null } };
  var re = /([A-Za-z]+):("[^"]*"?|\S+)|"([^"]*)"?|(\S+)/g, m, self = this;
  while ((m = re.exec(query))) {
    var field = m[1] && m[1].toLowerCase();
    if (field && FIELD_FILTERS[field]) {
      var value = m[2].replace(/^"|"$/g, "");
      if (field === "topic" || field === "topics") {
        parsed.filters.topic.push(value.toLowerCase());
      } else if (field === "year") {
        var years = value.match(/^(\d{4})(?:(?:\.\.|-)(\d{4})?)?$/);
        if (years) parsed.filters.year = [+years[1], years[2] ? +years[2] : (/\.\.|-/.test(value) ? 9999 : +years[1])];
      } else {
        var name = field === "author" ? "authors" : field;
        self.tokens(value).forEach(function (t) { parsed.required.push({ term: t, field: name }); });
      }
    } else if (m[3] !== undefined) {
      self.tokens(m[3]).forEach(function (t) { parsed.required.push({ term: t, field: null }); });
    } else {
      var text = m[0];
      self.tokens(text).forEach(function (t) { parsed.free.push(t); });
    }
  }
  return parsed;
};

function distance1(a, b) {
  // true if a and b are at most one edit apart
  if (a === b) return true;
  var la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  var i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1) ||
    (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

Engine.prototype.run = function (parsed, typo) {
  var lunr = this.lunr, self = this;
  var stems = parsed.free.map(function (t) { return self.stem(t); });
  // Prefixes as typed, and in American spelling when that differs ("colour" -> "color").
  var prefixes = parsed.free.map(function (t) {
    var a = self.spell(t);
    return t.length < MIN_PREFIX ? [] : a === t ? [t] : [t, a];
  });
  function build(q) {
    parsed.free.forEach(function (t, i) {
      q.term(t, { boost: 10, usePipeline: true });
      prefixes[i].forEach(function (p) {
        q.term(p, { boost: 1, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      });
      if (typo && t.length >= MIN_TYPO) {
        q.term(stems[i], { boost: 0.5, usePipeline: false, editDistance: 1 });
      }
    });
    parsed.required.forEach(function (r) {
      var clause = { usePipeline: true, presence: lunr.Query.presence.REQUIRED, boost: 10 };
      if (r.field) clause.fields = [r.field];
      q.term(r.term, clause);
    });
  }
  // Which of the free words an index term stands for: all words first, then score.
  function owners(term) {
    var found = [];
    parsed.free.forEach(function (t, i) {
      var prefix = prefixes[i].some(function (p) { return term.lastIndexOf(p, 0) === 0; });
      if (term === stems[i] || prefix ||
          (typo && t.length >= MIN_TYPO && distance1(term, stems[i]))) found.push(i);
    });
    return found;
  }
  var h, words = parsed.free.length;
  if (this.index.collect && words <= 31) {
    // PostingIndex: a bit per word, or-ed over each paper's terms by the index.
    var m = this.index.collect(build, function (term) {
      return owners(term).reduce(function (mask, i) { return mask | (1 << i); }, 0);
    });
    var covers = new Uint8Array(m.docs.length);
    for (h = 0; h < m.docs.length; h++) covers[h] = popcount(m.masks[h]);
    return new Hits(m.docs, m.scores, covers, function (k) { return m.terms(m.docs[k]); });
  }
  var results = this.index.query(build), cache = new Map();  // lunr.Index in the tests
  var docs = new Int32Array(results.length), scores = new Float64Array(results.length);
  var cover = new Uint8Array(results.length), matched = [];
  for (h = 0; h < results.length; h++) {
    var r = results[h], seen = new Set();
    var terms = r.terms || Object.keys(r.matchData.metadata);
    terms.forEach(function (term) {
      if (!cache.has(term)) cache.set(term, owners(term));
      cache.get(term).forEach(function (i) { seen.add(i); });
    });
    docs[h] = +r.ref; scores[h] = r.score; cover[h] = Math.min(seen.size, 255); matched.push(terms);
  }
  return new Hits(docs, scores, cover, function (k) { return matched[k]; });
};

Engine.prototype.keep = function (parsed, n) {
  var paper = this.docs.papers[n], f = parsed.filters, self = this;  // [topics, year]
  if (f.year && (paper[1] < f.year[0] || paper[1] > f.year[1])) return false;
  for (var i = 0; i < f.topic.length; i++) {
    var want = f.topic[i];
    var ok = paper[0].some(function (k) {
      var id = self.topicIds[k];
      return id === want || self.docs.topics[k][1].toLowerCase() === want;
    });
    if (!ok) return false;
  }
  return true;
};

/* Search: every matching paper the filters keep (Found), and whether typos were used. */
Engine.prototype.search = function (query) {
  var parsed = this.parse(query), self = this, hits, typo = false, h, n;
  var papers = this.docs.papers, f = parsed.filters, order = [];
  var hasFilter = f.topic.length || f.year;
  if (!parsed.free.length && !parsed.required.length) {
    if (!hasFilter) return new Found(NO_HITS, new Int32Array(0), null, parsed, false);
    // Filters alone: every paper they keep, newest first.
    for (n = 0; n < papers.length; n++) if (this.keep(parsed, n)) order.push(n);
    hits = new Hits(Int32Array.from(order), new Float64Array(order.length),
      new Uint8Array(order.length), function () { return []; });
    var docs = hits.docs;
    return new Found(hits, Int32Array.from(order.keys()), function (a, b) {
      return (papers[docs[b]][1] - papers[docs[a]][1]) || (docs[a] - docs[b]);
    }, parsed, false);
  }
  hits = this.run(parsed, false);
  var all = parsed.free.length, complete = false;
  for (h = 0; all && !complete && h < hits.docs.length; h++) {
    complete = hits.covers[h] === all && this.keep(parsed, hits.docs[h]);
  }
  if (all && !complete) {
    hits = this.run(parsed, true);
    typo = true;
  }
  var count = hits.docs.length;
  if (hasFilter) {
    for (h = 0; h < count; h++) if (self.keep(parsed, hits.docs[h])) order.push(h);
    order = Int32Array.from(order);
  } else {
    order = new Int32Array(count);
    for (h = 0; h < count; h++) order[h] = h;
  }
  var d = hits.docs, s = hits.scores, c = hits.covers;
  return new Found(hits, order, function (a, b) {
    return (c[b] - c[a]) || (s[b] - s[a]) || (d[a] - d[b]);
  }, parsed, typo);
};

/* Ranges [start, end] of words in text whose stem is one of the matched terms. */
Engine.prototype.marks = function (text, terms) {
  if (!terms.length) return [];
  var set = {}, out = [], lunr = this.lunr, start = 0, m, self = this;
  terms.forEach(function (t) { set[t] = 1; });
  this.words.lastIndex = 0;
  function check(s, e) {
    if (e <= s) return;
    var token = trim(new lunr.Token(text.slice(s, e).toLowerCase(), {}));
    var word = token.toString();
    if (word && set[self.stem(word)]) {
      var offset = text.slice(s, e).toLowerCase().indexOf(word);
      out.push([s + offset, s + offset + word.length]);
    }
  }
  while ((m = this.words.exec(text))) {
    if (m[0] === "") { this.words.lastIndex++; continue; }
    check(start, m.index);
    start = m.index + m[0].length;
  }
  check(start, text.length);
  return out;
};

addSuggestions(Engine, FIELD_FILTERS);

/* search(query), kept for the last query: the worker asks for the hits of a page
 * first, fetches their display rows, then builds the page. */
Engine.prototype.found = function (query) {
  if (!this.last || this.last.query !== query) this.last = { query: query, found: this.search(query) };
  return this.last.found;
};

/* The ranked hits offset..offset+limit: [{n, score, cover, terms}]. */
Engine.prototype.ranked = function (query, offset, limit) {
  return this.found(query).slice(offset, limit);
};

/* The paper numbers of a page of results (not the terms they matched: page finds
 * those for the hits it shows). */
Engine.prototype.pageHits = function (query, offset, limit) {
  var found = this.found(query);
  return found.positions(offset, limit).map(function (h) { return found.hits.docs[h]; });
};

/* A page of results with display data, topic and year facets over all hits, and on the
 * first page the topics, authors and venues the query names (at most `suggest`). The
 * display rows of the page's hits must be loaded (rows.get). */
Engine.prototype.page = function (query, offset, limit, facets, suggest) {
  var found = this.found(query), docs = this.docs, rows = this.rows, self = this;
  var items = found.slice(offset, limit).map(function (h) {
    var p = docs.papers[h.n], r = rows.get(h.n);  // [topics, year]; [id, title, snippet, url]
    return {
      id: r[0], title: r[1], year: p[1] || null, snippet: r[2], read: r[3] || "",
      topics: p[0].map(function (k) { return docs.topics[k]; }),
      titleMarks: self.marks(r[1], h.terms), snippetMarks: self.marks(r[2], h.terms),
    };
  });
  var out = { query: query, total: found.total, items: items, typo: found.typo };
  if (!offset) out.suggestions = this.suggest(query, suggest);
  if (facets) {
    var topics = {}, years = {}, order = found.order, hitDocs = found.hits.docs;
    for (var i = 0; i < order.length; i++) {
      var p = docs.papers[hitDocs[order[i]]];
      for (var j = 0; j < p[0].length; j++) topics[p[0][j]] = (topics[p[0][j]] || 0) + 1;
      if (p[1]) years[p[1]] = (years[p[1]] || 0) + 1;
    }
    out.facets = {
      topics: Object.keys(topics).map(function (k) { return [docs.topics[k][0], docs.topics[k][1], topics[k]]; })
        .sort(function (a, b) { return (b[2] - a[2]) || (a[1] < b[1] ? -1 : 1); }),
      years: Object.keys(years).map(function (y) { return [+y, years[y]]; })
        .sort(function (a, b) { return b[0] - a[0]; }),
    };
  }
  return out;
};

/* What results show, in shards of `size` papers (generator/search.py: display_shards),
 * each fetched once, when a page of results first needs it (load(name) -> rows). */
function Shards(names, size, load) {
  this.names = names; this.size = size; this.load = load; this.rows = []; this.pending = [];
}
Shards.prototype.get = function (n) {
  var shard = this.rows[Math.floor(n / this.size)];
  return shard && shard[n % this.size];
};
Shards.prototype.need = function (ns) {
  var self = this, waits = [];
  ns.forEach(function (n) {
    var k = Math.floor(n / self.size);
    if (self.rows[k]) return;
    if (!self.pending[k]) {
      self.pending[k] = self.load(self.names[k]).then(function (rows) { self.rows[k] = rows; },
        function (error) { self.pending[k] = null; throw error; });  // a later query retries
    }
    waits.push(self.pending[k]);
  });
  return Promise.all(waits);
};

if (typeof module !== "undefined" && module.exports) {
  module.exports = { Engine: Engine, useSpelling: useSpelling, Shards: Shards };
}
