/* papercat search, the main-thread half (pc-search-worker.js does the searching): the
 * worker's client (window.pcSearch: load, query) and what the header box
 * (pc-search-box.js) and the results page (pc-search-page.js) both show of a result.
 * Material's search plugin is off; the box is ours, with Material's look.
 * Content is untrusted: titles and snippets are inserted as text nodes; highlights
 * wrap ranges of that text in <mark> elements, never HTML strings.
 */
(function () {
  "use strict";
  if (window.pcSearch) return; // loaded once; instant navigation keeps it alive
  var script = document.currentScript;
  var root = new URL(script.getAttribute("data-root"), location.href);
  var workerUrl = new URL(script.getAttribute("data-worker"), location.href);
  var manifestUrl = new URL("assets/search/manifest.json", root).href;

  var worker = null, readyAt = null, callbacks = {}, nextId = 1;
  var ready = new Promise(function (resolve, reject) {
    callbacks.ready = resolve; callbacks.error = reject;
  });
  var api = window.pcSearch = { ready: ready, loadStarted: null, readyMs: null, load: load,
    script: script, root: root };

  function load() {
    if (worker) return ready;
    api.loadStarted = performance.now();
    worker = new Worker(workerUrl);
    worker.onmessage = function (event) {
      var msg = event.data;
      if (msg.type === "ready") {
        readyAt = performance.now();
        api.readyMs = readyAt - api.loadStarted;
        api.timing = msg.timing; // in the worker: lunr.js, downloads, decoded, ready
        callbacks.ready(msg);
      } else if (msg.type === "error") {
        callbacks.error(new Error(msg.message));
      } else if (msg.type === "searching" && callbacks[msg.id]) {
        callbacks[msg.id](msg);  // a tiered index: the query's term shards are on their way
      } else if (msg.type === "results" && callbacks[msg.id]) {
        callbacks[msg.id](msg);
        delete callbacks[msg.id];
      }
    };
    worker.postMessage({ type: "load", manifest: manifestUrl });
    return ready;
  }

  /* Ask the worker; resolves with { total, items, facets? }, rejects when the results

  /* Ask the worker; resolves with { total, items, facets? }, rejects when the results
   * could not be shown (a shard did not load). With a tiered index, searching() is
   * called first if the query waits for term shards (the page says it is searching). */
  function query(text, options, searching) {
    return load().then(function () {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        callbacks[id] = function (msg) {
          if (msg.type === "searching") { if (searching) searching(); return; }
          if (msg.error) reject(new Error(msg.error)); else resolve(msg);
        };
        worker.postMessage(Object.assign({ type: "query", id: id, query: text }, options));
      });
    });
  }
  api.query = query;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /* Text with the [start, end] ranges wrapped in <mark>, as DOM nodes. */
  function marked(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      parent.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  function paperUrl(id) { return new URL("papers/" + id + "/", root).href; }
  function searchUrl(q) { return new URL("search/?q=" + encodeURIComponent(q), root).href; }

  var PAGES = { topic: "topics/", author: "authors/", venue: "venues/" };
  var KIND = { topic: "Topic", author: "Author", venue: "Venue" };
  function entityUrl(e) { return new URL(PAGES[e.kind] + e.key + "/", root).href; }
  function papers(n) { return n === 1 ? "1 paper" : n + " papers"; }
  function filterText(e) { return "Filter by this " + e.kind; }

  /* A suggested topic, author or venue: kind, name and paper count. */
  function entityBody(e, link) {
    link.appendChild(el("span", "pc-entity__kind", KIND[e.kind]));
    link.appendChild(el("span", "pc-entity__name", e.label));
    link.appendChild(el("span", "pc-entity__count", papers(e.count)));
  }

  function resultBody(item, link) {
    marked(link.appendChild(el("span", "pc-hit__title")), item.title, item.titleMarks);
    var meta = link.appendChild(el("span", "pc-hit__meta"));
    meta.textContent = item.topics.map(function (t) { return t[1]; }).join(" · ") +
      (item.year ? " · " + item.year : "");
    marked(link.appendChild(el("span", "pc-hit__snippet")), item.snippet, item.snippetMarks);
  }

  Object.assign(api, { el: el, marked: marked, paperUrl: paperUrl, searchUrl: searchUrl,
    entityUrl: entityUrl, entityBody: entityBody, filterText: filterText, resultBody: resultBody });

  // Load when the browser is idle, so the first focus usually finds search ready.
  if (script.hasAttribute("data-idle") && "requestIdleCallback" in window) {
    requestIdleCallback(function () { load(); }, { timeout: 4000 });
  }
})();
