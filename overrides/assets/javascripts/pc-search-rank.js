/* papercat search ranking: a query's hits as parallel typed arrays (Hits) and the
 * ones its filters keep, ranked best first on demand (Found). Loaded by the search
 * worker (importScripts) before pc-search-engine.js, and by node through
 * module.exports.
 */
"use strict";

/* A query's hits as parallel arrays: paper numbers, scores, how many of the free words
 * each matched (cover); terms(h) is what hit h matched. */
function Hits(docs, scores, covers, terms) {
  this.docs = docs; this.scores = scores; this.covers = covers; this.terms = terms;
}
/* Hit h as an object {n, score, cover, terms}. */
Hits.prototype.hit = function (h) {
  return { n: this.docs[h], score: this.scores[h], cover: this.covers[h], terms: this.terms(h) };
};
/* Every hit as an object, in the order they came (for the tests). */
Hits.prototype.list = function () {
  var out = [];
  for (var h = 0; h < this.docs.length; h++) out.push(this.hit(h));
  return out;
};

function popcount(x) {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/* A search's hits that the filters keep (order: positions in hits), ranked best first
 * on demand: the first k found by a partial sort (top), since the box shows 8 of
 * 40,000. The ranking is a total order (ties by paper number), so it is the same
 * whichever k is asked. */
function Found(hits, order, compare, parsed, typo) {
  this.hits = hits; this.order = order; this.compare = compare; this.parsed = parsed;
  this.typo = typo; this.total = order.length; this.ranked = 0;
}
Found.prototype.top = function (k) {
  var order = this.order, compare = this.compare, n = order.length, i;
  k = Math.min(k, n);
  if (k > this.ranked) {
    if (k * 8 >= n) {
      order.sort(compare);
      this.ranked = n;
    } else {
      // The k best, kept sorted while one pass reads the rest.
      var best = [];
      for (i = 0; i < n; i++) {
        var x = order[i];
        if (best.length === k && compare(x, best[k - 1]) >= 0) continue;
        var lo = 0, hi = best.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (compare(best[mid], x) < 0) lo = mid + 1; else hi = mid; }
        best.splice(lo, 0, x);
        if (best.length > k) best.pop();
      }
      var chosen = new Uint8Array(this.hits.docs.length), at = k;
      for (i = 0; i < k; i++) chosen[best[i]] = 1;
      var rest = order.filter(function (x) { return !chosen[x]; });
      for (i = 0; i < k; i++) order[i] = best[i];
      for (i = 0; i < rest.length; i++) order[at++] = rest[i];
      this.ranked = k;
    }
  }
  return order.subarray(0, k);
};
/* The positions in hits of the ranked hits offset..offset+limit. */
Found.prototype.positions = function (offset, limit) {
  return Array.prototype.slice.call(this.top(offset + limit), offset);
};
/* Hits offset..offset+limit as {n, score, cover, terms}. */
Found.prototype.slice = function (offset, limit) {
  return this.positions(offset, limit).map(this.hits.hit, this.hits);
};

var NO_HITS = new Hits(new Int32Array(0), new Float64Array(0), new Uint8Array(0), null);

if (typeof module !== "undefined" && module.exports) {
  module.exports = { Hits: Hits, Found: Found, popcount: popcount, NO_HITS: NO_HITS };
}
