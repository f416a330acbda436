/* papercat search worker: loads the prebuilt index and answers queries.
 *
 * The generator (exports/searchfiles.py) writes assets/search/manifest.json naming the
 * content-hashed index, display data and lunr.js. The index arrives as postings,
 * term frequencies and field lengths; pc-search-index.js decodes it and answers lunr
 * queries over it (PostingIndex), with lunr's own query objects, pipeline and scores;
 * pc-search-engine.js turns a reader's query into those and ranks the hits. A large
 * catalogue's index is tiered: its head first, then the term shards a query needs,
 * each fetched once and kept for the visit; a query waits for all of its shards
 * ("searching" to the page meanwhile), so its answer never depends on which had come.
 * Also loaded by node (tests/js/search_node.js) through module.exports.
 */
"use strict";

if (typeof module !== "undefined" && module.exports) {
  var searchIndex = require("./pc-search-index.js"), searchEngine = require("./pc-search-engine.js");
  module.exports = {
    expand: searchIndex.expand, decode: searchIndex.decode, PostingIndex: searchIndex.PostingIndex,
    Missing: searchIndex.Missing, varints: searchIndex.varints, Engine: searchEngine.Engine,
    useSpelling: searchEngine.useSpelling, Shards: searchEngine.Shards,
  };
} else {
  var engine = null, loading = null, termShards = null;
  /* One JSON file of the search assets; a failed answer is an error naming the file. */
  var getJson = function (url, options) {
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  };
  var load = function (manifestUrl) {
    var started = performance.now();
    return getJson(manifestUrl, { cache: "no-cache" })
      .then(function (manifest) {
        var base = new URL(".", manifestUrl);
        // Start the downloads before lunr.js is evaluated (importScripts blocks).
        var parts = Promise.all([
          getJson(new URL(manifest.index, base)),
          getJson(new URL(manifest.docs, base)),
          getJson(new URL(manifest.spelling, base)),
        ]);
        importScripts(new URL(manifest.lunr, base).href,
          new URL("pc-search-index.js", self.location.href).href,
          new URL("pc-search-rank.js", self.location.href).href,
          new URL("pc-search-suggest.js", self.location.href).href,
          new URL("pc-search-engine.js", self.location.href).href);
        var timing = { lunr: performance.now() - started };
        return parts.then(function (parts) {
          timing.downloaded = performance.now() - started;
          var spell = useSpelling(self.lunr, parts[2]);
          var index = new PostingIndex(self.lunr, parts[0]);
          timing.decoded = performance.now() - started;
          var fetchFile = function (name) { return getJson(new URL(name, base)); };
          var rows = new Shards(manifest.shards, manifest.shard_size, fetchFile);
          // Term shards as display shards: each fetched once, retried after a failure.
          termShards = manifest.term_shards ? new Shards(manifest.term_shards, 1, function (name) {
            var k = manifest.term_shards.indexOf(name);
            return fetchFile(name).then(function (data) { index.addShard(k, data); return true; });
          }) : null;
          engine = new Engine(self.lunr, index, parts[1], manifest.separator, spell, rows);
          timing.ready = performance.now() - started;
          timing.startedAt = performance.timeOrigin + started; // to line up with the page's clock
          timing.readyAt = performance.timeOrigin + performance.now();
          return timing;
        });
      });
  };
  var fail = function (msg, error) {
    self.postMessage({ type: "results", id: msg.id, query: msg.query, error: String(error) });
  };
  /* A page of results for msg; first the term shards its words need, if any. */
  var answer = function (msg, waited) {
    var t0 = performance.now(), offset = msg.offset || 0, limit = msg.limit || 10, hits;
    try {
      hits = engine.pageHits(msg.query, offset, limit);
    } catch (error) {
      if (!(error instanceof Missing) || !termShards) { fail(msg, error); return; }
      if (!waited) self.postMessage({ type: "searching", id: msg.id, query: msg.query });
      var work = (waited || 0) + performance.now() - t0;
      termShards.need(error.shards).then(function () { answer(msg, work); },
        function (failed) { fail(msg, failed); });
      return;
    }
    var searched = (waited || 0) + performance.now() - t0;
    engine.rows.need(hits).then(function () {
      var t1 = performance.now();
      var result = engine.page(msg.query, offset, limit, !!msg.facets, msg.suggest);
      result.id = msg.id;
      result.ms = searched + performance.now() - t1;  // work, not waiting for shards
      result.type = "results";
      self.postMessage(result);
    }, function (error) { fail(msg, error); });
  };
  self.onmessage = function (event) {
    var msg = event.data;
    if (msg.type === "load") {
      loading = loading || load(msg.manifest);
      loading.then(function (timing) {
        self.postMessage({ type: "ready", timing: timing, papers: engine.docs.papers.length });
      }, function (error) {
        loading = null;
        self.postMessage({ type: "error", message: String(error) });
      });
    } else if (msg.type === "query" && engine) {
      answer(msg, 0);
    }
  };
}
