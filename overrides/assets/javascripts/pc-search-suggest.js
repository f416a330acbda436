/* papercat search suggestions: the topics, authors and venues a query's words spell
 * out, offered above the papers (generator/search.py: suggestions). Adds its methods
 * to the engine (addSuggestions, called by pc-search-engine.js). Loaded by the search
 * worker (importScripts) before pc-search-engine.js, and by node through
 * module.exports.
 */
"use strict";

function addSuggestions(Engine, FIELD_FILTERS) {
  /* Topics, authors and venues the search box offers (generator/search.py: suggestions):
   * each with the words of its name (and, for topics, of its keywords). */
  Engine.prototype.entities = function () {
    if (this._entities) return this._entities;
    var self = this, out = [], extra = this.docs.suggest || { topics: [], authors: [], venues: [] };
    function words(text) { return text.toLowerCase().split(self.split).filter(Boolean); }
    this.docs.topics.forEach(function (t, k) {
      var more = extra.topics[k] || [0, []];
      out.push({ kind: "topic", label: t[1], key: t[0], count: more[0], filter: "topic:" + t[0],
        names: [words(t[1]), words(t[0])], keywords: more[1].map(words) });
    });
    [["author", extra.authors], ["venue", extra.venues]].forEach(function (group) {
      group[1].forEach(function (row) {
        var value = row[0].replace(/"/g, "");
        out.push({ kind: group[0], label: row[0], key: row[1], count: row[2],
          filter: group[0] + ":" + (/\s/.test(value) ? '"' + value + '"' : value),
          names: [words(row[0])], keywords: [] });
      });
    });
    return (this._entities = out);
  };

  /* Every word of the entities' names and keywords, as written and in American
   * spelling, sorted, each with the entities (numbers, ascending) that hold it: the
   * ones a word can run in are those with a word the query's last word begins. */
  Engine.prototype.entityWords = function () {
    if (this._entityWords) return this._entityWords;
    var byWord = new Map(), all = this.entities();
    function add(form, id) {
      var ids = byWord.get(form);
      if (!ids) byWord.set(form, (ids = []));
      if (ids[ids.length - 1] !== id) ids.push(id);
    }
    for (var id = 0; id < all.length; id++) {
      var texts = all[id].names.concat(all[id].keywords);
      for (var t = 0; t < texts.length; t++) {
        for (var k = 0; k < texts[t].length; k++) {
          var w = texts[t][k], american = this.spell(w);
          add(w, id);
          if (american !== w) add(american, id);
        }
      }
    }
    var words = Array.from(byWord.keys()).sort();
    return (this._entityWords = { words: words, ids: words.map(function (w) { return byWord.get(w); }) });
  };

  /* The entities with a word that begins with `prefix` as written, or in American
   * spelling with its American spelling (runsIn's test of the last word), in order. */
  Engine.prototype.entitiesStarting = function (prefix) {
    var index = this.entityWords(), words = index.words, seen = new Set(), self = this;
    [prefix, this.spell(prefix)].forEach(function (form) {
      var lo = 0, hi = words.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] < form) lo = mid + 1; else hi = mid; }
      for (var i = lo; i < words.length && words[i].lastIndexOf(form, 0) === 0; i++) {
        index.ids[i].forEach(function (id) { seen.add(id); });
      }
    });
    var all = self.entities();
    return Array.from(seen).sort(function (a, b) { return a - b; }).map(function (id) { return all[id]; });
  };

  /* Where the query's words run inside `words` (all but the last whole, the last as a
   * prefix, spellings normalised), or -1. */
  Engine.prototype.runsIn = function (query, words) {
    var n = query.length, self = this;
    for (var i = 0; i + n <= words.length; i++) {
      var ok = true;
      for (var j = 0; j < n && ok; j++) {
        var q = query[j], w = words[i + j];
        ok = j < n - 1 ? (q === w || self.spell(q) === self.spell(w)) :
          (w.lastIndexOf(q, 0) === 0 || self.spell(w).lastIndexOf(self.spell(q), 0) === 0);
      }
      if (ok) return i;
    }
    return -1;
  };

  var KINDS = { topic: 0, author: 1, venue: 2 }, SUGGEST = 5, MIN_SUGGEST = 3;

  /* Topics, authors and venues whose name or keywords the query's free words spell out
   * (prefix-aware: "mixt", "mixture of"), best first; each with the query that filters
   * by it instead (the free words replaced by e.g. topic:<id>). Only the entities
   * with a word the last one begins are read (entitiesStarting); everyEntity reads them
   * all, for the tests to compare. */
  Engine.prototype.suggest = function (query, limit, everyEntity) {
    var kept = [], re = /([A-Za-z]+):("[^"]*"?|\S+)|"([^"]*)"?|(\S+)/g, m, free = [];
    while ((m = re.exec(query))) {
      if (m[4] !== undefined || (m[1] && !FIELD_FILTERS[m[1].toLowerCase()])) free.push(m[0]);
      else kept.push(m[0]);
    }
    var words = free.join(" ").toLowerCase().split(this.split).filter(Boolean);
    if (!words.length || words.join(" ").length < MIN_SUGGEST) return [];
    var taken = kept.join(" ").toLowerCase(), self = this, found = [];
    var pool = everyEntity ? this.entities() : this.entitiesStarting(words[words.length - 1]);
    pool.forEach(function (e) {
      if (taken.indexOf(e.filter.toLowerCase()) >= 0) return;
      var best = null;
      e.names.concat(e.keywords).forEach(function (text, n) {
        var at = self.runsIn(words, text);
        if (at < 0) return;
        var rank = (n < e.names.length ? 0 : 2) + (at === 0 ? 0 : 1);
        if (best === null || rank < best) best = rank;
      });
      if (best !== null) found.push({ e: e, rank: best });
    });
    found.sort(function (a, b) {
      return (a.rank - b.rank) || (KINDS[a.e.kind] - KINDS[b.e.kind]) || (b.e.count - a.e.count) ||
        (a.e.label < b.e.label ? -1 : a.e.label > b.e.label ? 1 : 0);
    });
    return found.slice(0, limit || SUGGEST).map(function (f) {
      return { kind: f.e.kind, label: f.e.label, key: f.e.key, count: f.e.count,
        filter: f.e.filter, query: kept.concat([f.e.filter]).join(" ") + " " };
    });
  };
}

if (typeof module !== "undefined" && module.exports) {
  module.exports = { addSuggestions: addSuggestions };
}
