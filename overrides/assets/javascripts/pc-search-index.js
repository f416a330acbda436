/* papercat search index: the compact index (generator/lunrindex.py: compact_index)
 * decoded into typed arrays, and queried as lunr.Index would query it (PostingIndex).
 * Loaded by the search worker (importScripts) and by node (tests/js/search_node.js)
 * through module.exports.
 */
"use strict";

var TERM = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
var CONT = "abcdefghijklmnopqrstuvwxyzWXYZ!#";
var DIGIT = new Int8Array(128).fill(-1);
var LAST = new Uint8Array(128);
for (var i = 0; i < 32; i++) {
  DIGIT[TERM.charCodeAt(i)] = i; LAST[TERM.charCodeAt(i)] = 1;
  DIGIT[CONT.charCodeAt(i)] = i;
}
var EMPTY = Object.freeze({});

/* Read the varints of one string into an array of numbers. */
function varints(text, start, end) {
  var out = [], n = 0;
  for (var i = start; i < end; i++) {
    var c = text.charCodeAt(i);
    n = n * 32 + DIGIT[c];
    if (LAST[c]) { out.push(n); n = 0; }
  }
  return out;
}

/* Postings of terms from..from+n-1, one string per field (a chunk of varints per
 * term, chunks separated by spaces: lunrindex.compact_index), decoded into typed
 * arrays: per field each posting's paper number and term frequency, and where each
 * term's postings start (local term numbers); with how many postings each term has
 * over all fields (lunr's "documents with term", for its idf). */
function decodePostings(strings, from, n) {
  var withTerm = new Int32Array(n), postings = [];
  for (var f = 0; f < strings.length; f++) {
    var text = strings[f], size = 0;
    var eRef = new Int32Array(text.length), eTf = new Int32Array(text.length);
    var starts = new Int32Array(n + 1);
    var v = 0, ref = -1, wantTf = false, gap = 0, t = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 32) { starts[++t] = size; ref = -1; continue; }
      v = v * 32 + DIGIT[c];
      if (!LAST[c]) continue;
      if (wantTf) { eTf[size - 1] = v; wantTf = false; v = 0; continue; }
      gap = v; v = 0;
      ref += gap >> 1;
      eRef[size] = ref; eTf[size] = 1; size++;
      wantTf = (gap & 1) === 1;
      withTerm[t]++;
    }
    while (t < n) starts[++t] = size;
    postings.push({ ref: eRef, tf: eTf, starts: starts, size: size });
  }
  return { from: from, postings: postings, withTerm: withTerm };
}

/* The compact index (lunrindex.compact_index), or the head of a tiered one
 * (lunrindex.tiered_index), decoded: per field each paper's length and their
 * average; the terms; the postings in shards of consecutive terms (one shard holding
 * every term for a single index; for a tiered one, null until addShard); per term,
 * lunr's idf once its shard is in. Scores are computed from these with lunr's formula
 * when a query reads them (weight). */
function decode(compact) {
  var fields = compact.fields, count = compact.count, nf = fields.length;
  var terms = compact.terms.split(" "), nt = terms.length, f, d, t;
  var lengths = [], average = [];
  for (f = 0; f < nf; f++) {
    var row = varints(compact.lengths[f], 0, compact.lengths[f].length), sum = 0;
    for (d = 0; d < count; d++) sum += row[d];
    lengths.push(row);
    average.push(sum / count);
  }
  var starts = compact.shards || [0], shardOf = new Int32Array(nt);
  for (var k = 0; k < starts.length; k++) {
    var end = k + 1 < starts.length ? starts[k + 1] : nt;
    for (t = starts[k]; t < end; t++) shardOf[t] = k;
  }
  var dec = {
    fields: fields, boosts: compact.boosts, k1: compact.k1, b: compact.b, count: count,
    terms: terms, lengths: lengths, average: average, idf: new Float64Array(nt),
    starts: starts, shardOf: shardOf, shards: new Array(starts.length).fill(null),
    version: compact.version, pipeline: compact.pipeline,
  };
  if (compact.postings) addShard(dec, 0, compact.postings);
  return dec;
}

/* Shard k's postings (one string per field) into the decoded index, with the idf of
 * its terms. */
function addShard(dec, k, strings) {
  var from = dec.starts[k], to = k + 1 < dec.starts.length ? dec.starts[k + 1] : dec.terms.length;
  var shard = decodePostings(strings, from, to - from), count = dec.count;
  for (var t = 0; t < to - from; t++) {
    // lunr.idf, written out: the same expression as lunr.js and lunr.py.
    var x = (count - shard.withTerm[t] + 0.5) / (shard.withTerm[t] + 0.5);
    dec.idf[from + t] = Math.log(1 + Math.abs(x));
  }
  dec.shards[k] = shard;
}

/* lunr's field-vector score of posting j (postings e of field f) for term t (BM25
 * with the field's boost, rounded to three decimals), as lunr's Builder computes it. */
function weight(dec, e, f, t, j) {
  var r = e.ref[j], tf = e.tf[j], k1 = dec.k1, b = dec.b;
  var score = dec.idf[t] * ((k1 + 1) * tf) /
    (k1 * (1 - b + b * (dec.lengths[f][r] / dec.average[f])) + tf);
  score *= dec.boosts[f];
  return Math.round(score * 1000) / 1000;
}

/* The decoded index -> lunr's serialized form, for lunr.Index.load. The site queries
 * the decoded index itself (PostingIndex); this is the reference it is tested against
 * (tests/js/search_node.js), and what lunr.py serializes. */
function expand(compact) {
  var dec = decode(compact), fields = dec.fields, nf = fields.length, count = dec.count;
  var nt = dec.terms.length, f, d, t, j;
  var vectors = new Array(count * nf);
  for (j = 0; j < vectors.length; j++) vectors[j] = [];
  var postings = dec.shards[0].postings;  // a single index: one shard
  for (f = 0; f < nf; f++) {
    var e = postings[f];
    for (t = 0; t < nt; t++) {
      for (j = e.starts[t]; j < e.starts[t + 1]; j++) {
        var v = vectors[e.ref[j] * nf + f];
        v.push(t, weight(dec, e, f, t, j));
      }
    }
  }
  var inverted = new Array(nt);
  for (t = 0; t < nt; t++) {
    var posting = { _index: t };
    for (f = 0; f < nf; f++) {
      var docs = {}, p = postings[f];
      for (j = p.starts[t]; j < p.starts[t + 1]; j++) docs[p.ref[j]] = EMPTY;
      posting[fields[f]] = docs;
    }
    inverted[t] = [dec.terms[t], posting];
  }
  var fieldVectors = new Array(vectors.length);
  for (d = 0; d < count; d++) {
    for (f = 0; f < nf; f++) fieldVectors[d * nf + f] = [fields[f] + "/" + d, vectors[d * nf + f]];
  }
  return {
    version: dec.version, fields: fields, fieldVectors: fieldVectors,
    invertedIndex: inverted, pipeline: dec.pipeline,
  };
}

/* Sets of paper numbers with lunr.Set's meaning; null is lunr's complete set. */
var NONE = new Set();
function intersect(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  var out = new Set(), small = a.size <= b.size ? a : b, large = small === a ? b : a;
  small.forEach(function (d) { if (large.has(d)) out.add(d); });
  return out;
}
function union(a, b) {
  if (a === null || b === null) return null;
  var out = new Set(a);
  b.forEach(function (d) { out.add(d); });
  return out;
}

/* The decoded index, queried as lunr.Index.query queries lunr's own: the same clauses,
 * pipeline, term expansion (lunr's TokenSet), required and prohibited sets, query
 * vectors and scores, added in the same order, so hits and scores are lunr's to the
 * last bit (tests/test_search_index.py). What differs is the work: lunr's
 * Index.load builds a field vector for every (paper, field), 600,000 of them at
 * 100,000 papers, and a query reads whole vectors; here a query reads only the
 * postings of its terms and computes their scores then, into typed arrays kept for
 * the visit (a query of 40,000 hits allocates no object per hit). Needs the search
 * pipeline's functions registered first (useSpelling). */
function PostingIndex(lunr, compact) {
  var dec = decode(compact);
  this.lunr = lunr; this.dec = dec; this.fields = dec.fields; this.fieldNumber = {};
  dec.fields.forEach(function (name, f) { this.fieldNumber[name] = f; }, this);
  this.pipeline = lunr.Pipeline.load(dec.pipeline);
  this.termIndex = new Map();
  var builder = new lunr.TokenSet.Builder();
  for (var t = 0; t < dec.terms.length; t++) {
    this.termIndex.set(dec.terms[t], t);
    builder.insert(dec.terms[t]);
  }
  builder.finish();
  this.tokenSet = builder.root;
  // Per query, by (paper, field): whether it matched (marked with the query's number,
  // so the arrays are never cleared), its dot product, and the order lunr meets them.
  var size = dec.count * dec.fields.length;
  this.stamp = new Int32Array(size); this.dot = new Float64Array(size); this.met = new Int32Array(size);
  // Per paper: its hit, and the words it matched (a bit per word: Matches.masks).
  this.docStamp = new Int32Array(dec.count); this.docHit = new Int32Array(dec.count);
  this.maskStamp = new Int32Array(dec.count); this.docMask = new Int32Array(dec.count);
  this.hitDoc = new Int32Array(dec.count); this.hitScore = new Float64Array(dec.count);
  this.generation = 0;
}

/* Thrown by PostingIndex.collect (and so query) when the query needs term shards not
 * yet loaded. */
function Missing(shards) { this.shards = shards; this.message = "term shards needed: " + shards; }

/* Term shard k (its JSON: {postings}) into a tiered index. */
PostingIndex.prototype.addShard = function (k, data) {
  if (this.dec.shards[k] === null) addShard(this.dec, k, data.postings);
};

/* Hits of a query built by fn (as lunr.Index.prototype.query): [{ref, score, terms}],
 * best first; ref is the paper number and terms the index terms it matched. */
PostingIndex.prototype.query = function (fn) {
  var m = this.collect(fn, null), results = [];
  for (var h = 0; h < m.docs.length; h++) {
    results.push({ ref: m.docs[h], score: m.scores[h], terms: m.terms(m.docs[h]) });
  }
  return results.sort(function (a, b) { return b.score - a.score; });
};

/* The same query's hits, unsorted, in the order lunr meets them (Matches). tag(term),
 * if given, is a bit mask per matched term; each hit's masks are or-ed together. */
PostingIndex.prototype.collect = function (fn, tag) {
  var lunr = this.lunr, dec = this.dec, fields = this.fields, nf = fields.length;
  var fieldNumber = this.fieldNumber, f, i, j, k, p, ref;
  var query = new lunr.Query(fields);
  fn.call(query, query);
  var gen = ++this.generation, stamp = this.stamp, dot = this.dot, met = this.met, nmet = 0;
  var queryVectors = [], required = {}, prohibited = {}, cached = new Set(), missing = new Set();
  for (f = 0; f < nf; f++) queryVectors.push(new Map());
  // Each (term, field) whose postings score, once; each (paper, field) as first met.
  var lists = [];
  for (i = 0; i < query.clauses.length; i++) {
    var clause = query.clauses[i], clauseMatches = NONE;
    var isRequired = clause.presence === lunr.Query.presence.REQUIRED;
    var isProhibited = clause.presence === lunr.Query.presence.PROHIBITED;
    var terms = clause.usePipeline ?
      this.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
    for (var m = 0; m < terms.length; m++) {
      clause.term = terms[m];
      var expanded = this.tokenSet.intersect(lunr.TokenSet.fromClause(clause)).toArray();
      if (expanded.length === 0 && isRequired) {
        for (k = 0; k < clause.fields.length; k++) required[clause.fields[k]] = NONE;
        break;
      }
      for (j = 0; j < expanded.length; j++) {
        var term = expanded[j], t = this.termIndex.get(term), shard = dec.shards[dec.shardOf[t]];
        // A tiered index without this term's shard yet: note it, answer nothing.
        if (shard === null) { missing.add(dec.shardOf[t]); continue; }
        for (k = 0; k < clause.fields.length; k++) {
          var field = clause.fields[k], local = t - shard.from;
          f = fieldNumber[field];
          var e = shard.postings[f], from = e.starts[local], to = e.starts[local + 1];
          if (isRequired || isProhibited) {
            var docs = new Set();
            for (p = from; p < to; p++) docs.add(e.ref[p]);
            if (isRequired) {
              clauseMatches = union(clauseMatches, docs);
              if (!(field in required)) required[field] = null;
            } else {
              prohibited[field] = union(prohibited[field] || NONE, docs);
              continue;
            }
          }
          var qv = queryVectors[f];
          qv.set(t, (qv.get(t) || 0) + clause.boost);
          var key = term + "/" + field;
          if (cached.has(key)) continue;
          for (p = from; p < to; p++) {
            ref = e.ref[p] * nf + f;
            if (stamp[ref] !== gen) { stamp[ref] = gen; dot[ref] = 0; met[nmet++] = ref; }
          }
          lists.push({ t: t, f: f, e: e, from: from, to: to, term: term, mask: 0 });
          cached.add(key);
        }
      }
    }
    if (isRequired) {
      for (k = 0; k < clause.fields.length; k++) {
        required[clause.fields[k]] = intersect(required[clause.fields[k]], clauseMatches);
      }
    }
  }
  // Every shard the query's terms need, at once; the query is run again once they are
  // in (addShard), so its answer never depends on which shards had arrived.
  if (missing.size) throw new Missing(Array.from(missing).sort(function (a, b) { return a - b; }));
  var allRequired = null, allProhibited = NONE;
  for (f = 0; f < nf; f++) {
    if (fields[f] in required) allRequired = intersect(allRequired, required[fields[f]]);
    if (fields[f] in prohibited) allProhibited = union(allProhibited, prohibited[fields[f]]);
  }
  if (query.isNegated()) {
    // lunr: every (paper, field), each with an empty match
    lists = [];
    for (nmet = 0; nmet < dec.count * nf; nmet++) { met[nmet] = nmet; dot[nmet] = 0; }
  }
  // Each field's query vector's magnitude, its entries summed in term order (lunr.Vector).
  var magnitude = queryVectors.map(function (qv) {
    var keys = Array.from(qv.keys()).sort(function (a, b) { return a - b; }), sum = 0;
    for (var n = 0; n < keys.length; n++) { var val = qv.get(keys[n]); sum += val * val; }
    return Math.sqrt(sum);
  });
  // lunr.Vector's dot product adds the terms both vectors have in term order: so the
  // postings are read term by term, each (paper, field)'s sum growing in that order.
  lists.sort(function (a, b) { return a.t - b.t; });
  var maskStamp = this.maskStamp, docMask = this.docMask;
  for (j = 0; j < lists.length; j++) {
    var l = lists[j], le = l.e, lf = l.f, lt = l.t, q = queryVectors[lf].get(lt);
    for (p = l.from; p < l.to; p++) {
      ref = le.ref[p] * nf + lf;
      dot[ref] += q * weight(dec, le, lf, lt, p);
    }
    l.mask = tag ? tag(l.term) : 0;
    if (!l.mask) continue;
    for (p = l.from; p < l.to; p++) {
      var d = le.ref[p];
      if (maskStamp[d] !== gen) { maskStamp[d] = gen; docMask[d] = 0; }
      docMask[d] |= l.mask;
    }
  }
  // Papers in the order lunr meets their fields; a paper's score is the sum of its
  // fields' in that order.
  var docStamp = this.docStamp, docHit = this.docHit, hitDoc = this.hitDoc, hitScore = this.hitScore;
  var nh = 0;
  for (i = 0; i < nmet; i++) {
    ref = met[i];
    var doc = (ref / nf) | 0;
    if (allRequired !== null && !allRequired.has(doc)) continue;
    if (allProhibited !== null && allProhibited.has(doc)) continue;
    var score = dot[ref] / magnitude[ref - doc * nf] || 0;
    if (docStamp[doc] === gen) {
      hitScore[docHit[doc]] += score;
    } else {
      docStamp[doc] = gen; docHit[doc] = nh; hitDoc[nh] = doc; hitScore[nh] = score; nh++;
    }
  }
  var masks = new Int32Array(nh);
  if (tag) {
    for (i = 0; i < nh; i++) masks[i] = maskStamp[hitDoc[i]] === gen ? docMask[hitDoc[i]] : 0;
  }
  return new Matches(lists, hitDoc.slice(0, nh), hitScore.slice(0, nh), masks);
};

/* A query's hits (PostingIndex.collect): paper numbers, scores and word masks, in
 * parallel typed arrays; the terms a paper matched are found when asked (terms). */
function Matches(lists, docs, scores, masks) {
  this.lists = lists; this.docs = docs; this.scores = scores; this.masks = masks;
}

/* The index terms paper `doc` matched: the query's postings that hold it (each
 * posting's papers are in ascending order). */
Matches.prototype.terms = function (doc) {
  var out = [];
  for (var j = 0; j < this.lists.length; j++) {
    var l = this.lists[j], ref = l.e.ref, lo = l.from, hi = l.to;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (ref[mid] < doc) lo = mid + 1; else hi = mid;
    }
    if (lo < l.to && ref[lo] === doc && out.indexOf(l.term) < 0) out.push(l.term);
  }
  return out;
};

if (typeof module !== "undefined" && module.exports) {
  module.exports = {
    varints: varints, decode: decode, weight: weight, expand: expand,
    PostingIndex: PostingIndex, Missing: Missing,
  };
}
