// Run papercat's search engine (the worker's code) in node over a built docs/ folder.
// Usage: node search_node.js DOCS_DIR < requests.json  (requests: {"expand": bool,
// "queries": [...], "lunr_queries": [...]}); prints JSON results on stdout.
"use strict";
const fs = require("fs");
const path = require("path");
const lunr = require(path.join(__dirname, "..", "..", "node_modules", "lunr"));
const worker = require(path.join(__dirname, "..", "..", "overrides", "assets", "javascripts",
  "pc-search-worker.js"));

const dir = path.join(process.argv[2], "assets", "search");
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
const compact = JSON.parse(fs.readFileSync(path.join(dir, manifest.index), "utf8"));
const docs = JSON.parse(fs.readFileSync(path.join(dir, manifest.docs), "utf8"));
// Every display shard, read up front: results need them loaded (Shards.need in the site).
const shown = [].concat(...manifest.shards.map((name) =>
  JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"))));
const rows = new worker.Shards(manifest.shards, manifest.shard_size, null);
manifest.shards.forEach((name, k) => {
  rows.rows[k] = shown.slice(k * manifest.shard_size, (k + 1) * manifest.shard_size);
});
const pairs = JSON.parse(fs.readFileSync(path.join(dir, manifest.spelling), "utf8"));
const request = JSON.parse(fs.readFileSync(0, "utf8"));
const spell = worker.useSpelling(lunr, pairs);
const out = {};
// A tiered index (manifest term_shards): the head, then the shards each query asks
// for (PostingIndex.query throws Missing), read as the worker would fetch them; which
// were read, per query, is reported (out.loaded) and kept for the rest of the run.
const tiered = manifest.term_shards || null;
const postings = new worker.PostingIndex(lunr, compact);
const fast = new worker.Engine(lunr, postings, docs, manifest.separator, spell, rows);
function lazily(fn) {
  const loaded = [];
  for (;;) {
    try {
      return [fn(), loaded];
    } catch (error) {
      if (!(error instanceof worker.Missing) || !tiered) throw error;
      for (const k of error.shards) {
        loaded.push(k);
        postings.addShard(k, JSON.parse(fs.readFileSync(path.join(dir, tiered[k]), "utf8")));
      }
    }
  }
}
if (tiered && request.loaded) {
  out.loaded = request.loaded.map((q) => lazily(() => fast.page(q, 0, 10, false))[1]);
}
// The reference, lunr.Index, needs the whole index: a single one only.
const serialized = tiered ? null : worker.expand(compact);
const index = tiered ? null : lunr.Index.load(serialized);
const engine = tiered ? null : new worker.Engine(lunr, index, docs, manifest.separator, spell, rows);
// The site's PostingIndex against lunr.Index over the same index: hits, scores (to the
// last bit), matched words; reader queries with and without typos, and raw lunr queries.
if (request.parity) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  // Hits in paper order: the site's engine gets them unsorted (PostingIndex.collect),
  // lunr.Index's come best first; that order is compared below, as lunr's own.
  const hits = (rs) => rs.list().sort((a, b) => a.n - b.n)
    .map((h) => [h.n, h.score, h.cover, h.terms.slice().sort()]);
  out.parity = [];
  for (const q of request.parity.queries || []) {
    for (const typo of [false, true]) {
      const parsed = engine.parse(q);
      if (!same(hits(fast.run(parsed, typo)), hits(engine.run(parsed, typo)))) {
        out.parity.push(["engine", q, typo]);
      }
    }
  }
  for (const q of request.parity.lunr || []) {
    const ours = lunr.Index.prototype.search.call(postings, q).map((h) => [h.ref, h.score]);
    const theirs = index.search(q).map((h) => [+h.ref, h.score]);
    if (!same(ours, theirs)) out.parity.push(["lunr", q, ours.slice(0, 3), theirs.slice(0, 3)]);
  }
}
// Words through the spelling step and then lunr's stemmer (parity with spelling.py).
if (request.spell) out.spelled = request.spell.map((w) => [spell(w), engine.stem(w)]);
if (request.expand) out.serialized = serialized;
// Raw lunr query strings, for parity with lunr.py's Index.search.
out.lunr = (request.lunr_queries || []).map((q) =>
  index.search(q).map((r) => [shown[+r.ref][0], r.score]));
// Reader queries through the site's engine: the ranked paper ids.
out.engine = (request.queries || []).map((q) => lazily(() => fast.page(q, 0, request.limit || 10, false))[0]
  .items.map((i) => i.id));
// The same with each hit's score, to compare a tiered index with a single one.
out.scored = (request.scored || []).map((q) => lazily(() => fast.ranked(q, 0, request.limit || 10))[0]
  .map((h) => [shown[h.n][0], h.score]));
// Topic, author and venue suggestions for queries.
out.suggest = (request.suggest || []).map((q) => fast.suggest(q));
// The same from every entity, not only those a word index names: must be equal.
out.suggest_scan = (request.suggest_scan || []).map((q) => [fast.suggest(q, 50), fast.suggest(q, 50, true)]);
process.stdout.write(JSON.stringify(out));
