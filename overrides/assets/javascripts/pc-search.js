/* papercat search box and results page (the main-thread half; pc-search-worker.js
 * does the searching). Material's search plugin is off, so this builds a search box
 * with Material's look and mounts it into the header, as a combobox: ↑ ↓ move, Enter
 * opens, Esc closes, "/" focuses. Its markup lives here, not in every page: the page
 * gives only the theme's icons (a <template>) and translated labels (data-*).
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
  // The box offers one topic, author or venue (its page and "filter by"), then papers.
  var LIMIT = 8, PAGE = 50, SUGGEST = 1;

  var worker = null, readyAt = null, callbacks = {}, nextId = 1;
  var ready = new Promise(function (resolve, reject) {
    callbacks.ready = resolve; callbacks.error = reject;
  });
  var api = window.pcSearch = { ready: ready, loadStarted: null, readyMs: null, load: load };

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
      } else if (msg.type === "results" && callbacks[msg.id]) {
        callbacks[msg.id](msg);
        delete callbacks[msg.id];
      }
    };
    worker.postMessage({ type: "load", manifest: manifestUrl });
    return ready;
  }

  /* Ask the worker; resolves with { total, items, facets? }, rejects when the results
   * could not be shown (a display shard did not load). */
  function query(text, options) {
    return load().then(function () {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        callbacks[id] = function (msg) { if (msg.error) reject(new Error(msg.error)); else resolve(msg); };
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

  /* A way to the paper under a results-page row: its own URL (from the display data),
     else title searches. The title is encoded with encodeURIComponent, never raw. */
  var SEARCHES = [
    ["arXiv", "https://arxiv.org/search/?query=", "&searchtype=title"],
    ["Semantic Scholar", "https://www.semanticscholar.org/search?q=", ""],
    ["Google Scholar", "https://scholar.google.com/scholar?q=", ""],
  ];
  function readLabel(url) {
    if (url.indexOf("https://arxiv.org/") === 0) return "arXiv";
    if (url.indexOf("https://doi.org/") === 0) return "DOI";
    return "Paper";
  }
  function readLinks(item) {
    var p = el("p", "pc-hit__read");
    function link(label, href) {
      var a = p.appendChild(el("a", null, label));
      a.href = href;
      a.rel = "noopener nofollow";
      a.setAttribute("aria-label", label + ": " + item.title);
    }
    if (item.read) {
      p.appendChild(document.createTextNode("Read it: "));
      link(readLabel(item.read), item.read);
      return p;
    }
    var title = encodeURIComponent(item.title.split(/\s+/).join(" "));
    p.appendChild(document.createTextNode("Search for it: "));
    SEARCHES.forEach(function (s, i) {
      if (i) p.appendChild(document.createTextNode(" · "));
      link(s[0], s[1] + title + s[2]);
    });
    return p;
  }

  /* ---- the header search box ---- */
  // An element with attributes and children (strings become text).
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* The toggle button and the box, as Material would render its own search. */
  function buildBox(icons) {
    var data = script.dataset, label = data.label || "Search", reset = data.reset || "Clear";
    function icon(n) { return icons[n] ? icons[n].cloneNode(true) : document.createTextNode(""); }
    // Named by its text, not aria-label, which a <label> (no role) may not carry.
    var toggle = h("label", { "class": "md-header__button md-icon pc-search-toggle", "for": "__search",
      title: label }, [icon(0), h("span", { "class": "pc-visually-hidden" }, [label])]);
    var input = h("input", { type: "text", "class": "md-search__input", name: "q", role: "combobox",
      "aria-label": "Search papers", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": "pc-search-listbox", "aria-describedby": "pc-search-meta",
      placeholder: data.placeholder || label, autocapitalize: "off", autocorrect: "off",
      autocomplete: "off", spellcheck: "false" });
    var form = h("form", { "class": "md-search__form", name: "search", action: new URL("search/", root).href, method: "get" }, [
      input,
      h("label", { "class": "md-search__icon md-icon", "for": "__search", "aria-hidden": "true" }, [icon(0), icon(1)]),
      h("nav", { "class": "md-search__options", "aria-label": label }, [
        h("button", { type: "reset", "class": "md-search__icon md-icon", title: reset, "aria-label": reset,
          tabindex: "-1" }, [icon(2)]),
      ]),
    ]);
    var output = h("div", { "class": "md-search__output" }, [
      h("div", { "class": "md-search__scrollwrap", tabindex: "0", "aria-label": "Search results",
        "data-md-scrollfix": "" }, [
        h("div", { "class": "md-search-result" }, [
          h("div", { "class": "md-search-result__meta", id: "pc-search-meta", role: "status",
            "aria-live": "polite" }, ["Type to start searching"]),
          h("ol", { "class": "md-search-result__list", id: "pc-search-listbox", role: "listbox",
            "aria-label": "Search results" }),
        ]),
      ]),
    ]);
    var box = h("div", { "class": "md-search pc-search", role: "search", "aria-label": "Search papers" }, [
      h("label", { "class": "md-search__overlay", "for": "__search", "aria-hidden": "true" }),
      h("div", { "class": "md-search__inner" }, [form, output]),
    ]);
    return [toggle, box];
  }

  function mountBox() {
    if (document.querySelector(".pc-search")) { if (api.reset) api.reset(); return; }
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var template = document.getElementById("pc-search-icons");
    var icons = template ? template.content.querySelectorAll("svg") : [];
    var parts = buildBox(icons), box = parts[1];
    parts.forEach(function (part) { header.insertBefore(part, header.querySelector(".md-header__source")); });
    var toggle = document.getElementById("__search");
    var input = box.querySelector("input"), list = box.querySelector("[role=listbox]");
    var meta = box.querySelector(".md-search-result__meta"), form = box.querySelector("form");
    var active = -1, latest = 0, results = [];

    function open(state) {
      if (toggle) toggle.checked = state;
      input.setAttribute("aria-expanded", state && input.value ? "true" : "false");
    }
    function setActive(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { active = -1; return; }
      active = (i + options.length) % options.length;
      options.forEach(function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function render(res) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      results = res.items;
      if (!input.value.trim()) { meta.textContent = "Type to start searching"; return; }
      meta.textContent = res.total === 0 ? "No matching papers" :
        res.total === 1 ? "1 matching paper" : res.total + " matching papers";
      // Each option is the link itself (li role=none), so no control nests in another.
      function option(li, id, href) {
        li.setAttribute("role", "none");
        var a = li.appendChild(el("a", "md-search-result__link"));
        a.id = id;
        a.href = href;
        a.tabIndex = -1;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        return a;
      }
      // Topics, authors and venues first: a link to the page, and an option that
      // filters the search by it (replaces the typed words with e.g. topic:<id>).
      (res.suggestions || []).forEach(function (e, n) {
        var li = list.appendChild(el("li", "md-search-result__item pc-entity"));
        entityBody(e, option(li, "pc-search-option-e" + n, entityUrl(e)));
        var filter = option(li, "pc-search-option-e" + n + "-filter", searchUrl(e.query));
        filter.className = "md-search-result__link pc-entity__filter";
        filter.dataset.pcQuery = e.query;
        filter.textContent = filterText(e);
        filter.setAttribute("aria-label", filterText(e) + ": " + e.label + " (" + e.filter + ")");
      });
      res.items.forEach(function (item, n) {
        var li = list.appendChild(el("li", "md-search-result__item pc-hit"));
        var a = option(li, "pc-search-option-" + n, paperUrl(item.id));
        resultBody(item, a.appendChild(el("article", "md-search-result__article")));
      });
      if (res.total > res.items.length) {
        var li = list.appendChild(el("li", "md-search-result__item pc-hit pc-hit--more"));
        option(li, "pc-search-option-more", searchUrl(input.value))
          .textContent = "Show all " + res.total + " results";
      }
      input.setAttribute("aria-expanded", "true");
      // For the benchmark and tests: results for this query are on screen.
      box.dispatchEvent(new CustomEvent("pc-search:results", { detail: { query: res.query } }));
    }
    function update() {
      var id = ++latest, text = input.value;
      if (!text.trim()) { render({ items: [], total: 0 }); return; }
      query(text, { limit: LIMIT, suggest: SUGGEST }).then(function (res) { if (id === latest) render(res); },
        function () { if (id === latest) meta.textContent = "Search is unavailable."; });
    }
    function go(href) { open(false); input.blur(); location.assign(href); }
    // A "filter by" option: the query becomes e.g. "topic:<id> ", the box stays open.
    function applyFilter(a) {
      input.value = a.dataset.pcQuery;
      input.focus();
      update();
    }
    // After instant navigation: an empty, closed box, as on a fresh page.
    api.reset = function () {
      if (document.activeElement === input) return; // the reader is already typing here
      input.value = "";
      render({ items: [], total: 0 });
      open(false);
    };

    input.addEventListener("focus", function () {
      open(true);
      if (!worker) meta.textContent = "Loading the search index…";
      load().then(function () { update(); }, function () { meta.textContent = "Search is unavailable."; });
    });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      // Keys typed here are ours: the theme's global shortcuts (Zensical's close the
      // search toggle on keys typed outside its own search) must not see them.
      event.stopPropagation();
      if (event.key === "ArrowDown") { event.preventDefault(); setActive(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
      else if (event.key === "Enter") {
        event.preventDefault();
        var options = list.querySelectorAll("[role=option]");
        if (active >= 0 && options[active] && options[active].dataset.pcQuery) applyFilter(options[active]);
        else if (active >= 0 && options[active]) { open(false); input.blur(); options[active].click(); }
        else if (input.value.trim()) go(searchUrl(input.value));
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (input.value) { input.value = ""; update(); } else { open(false); input.blur(); }
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(update); input.focus(); });
    list.addEventListener("click", function (event) {
      var filter = event.target.closest && event.target.closest("[data-pc-query]");
      if (filter) { event.preventDefault(); event.stopPropagation(); applyFilter(filter); return; }
      open(false);
    });
    if (toggle) {
      toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
    }
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
    // A click outside closes the box. A tap on the phone's search button is a click on
    // its <label>, then one on the checkbox it toggles (#__search): neither is outside.
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target === toggle || box.contains(target) || target.closest("label[for=__search]")) return;
      open(false);
    });
  }

  /* ---- the results page (/search/?q=...) ---- */
  function mountPage() {
    var pageRoot = document.querySelector("[data-pc-search-page]");
    // Material replaces the page on instant navigation; Zensical keeps it when only the
    // query changes (a facet link), so a page mounted for another query is redone.
    if (!pageRoot || pageRoot.dataset.mounted === location.search) return;
    pageRoot.dataset.mounted = location.search;
    var input = pageRoot.querySelector("input[name=q]");
    var status = pageRoot.querySelector("[role=status]");
    var list = pageRoot.querySelector(".pc-search-page__results");
    var facets = pageRoot.querySelector(".pc-search-page__facets");
    var stale = pageRoot.querySelector(".pc-search-page__more");
    if (stale) stale.remove();
    list.textContent = "";
    facets.textContent = "";
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    // A screen's height kept for the results (pc-search.css), as the page's inline
    // script does at load; after an in-place query change it follows the new query.
    pageRoot.classList.toggle("pc-search-page--query", q.trim() !== "");
    var shown = 0;

    function facetGroup(title, rows, filter) {
      var group = facets.appendChild(el("section", "pc-facet"));
      group.appendChild(el("h2", "pc-facet__title", title));
      var ul = group.appendChild(el("ul", "pc-facet__list"));
      rows.forEach(function (row) {
        var li = ul.appendChild(el("li"));
        var a = li.appendChild(el("a", "pc-facet__link", row.label));
        a.href = searchUrl((q.trim() + " " + filter + ":" + row.value).trim());
        inPlace(a);
        li.appendChild(el("span", "pc-facet__count", String(row.count)));
      });
    }
    // Same page, new query: we redo the results here (Zensical's instant navigation
    // would keep the old page for a link that only changes the query).
    function inPlace(a) {
      a.addEventListener("click", function (event) {
        if (event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        event.stopPropagation();
        history.pushState(history.state, "", a.href);
        mountPage();
      });
    }
    // The topics, authors and venues the query names, as in the header box.
    function suggestions(rows) {
      var old = pageRoot.querySelector(".pc-search-page__suggest");
      if (old) old.remove();
      if (!rows.length) return;
      var section = el("section", "pc-search-page__suggest");
      section.setAttribute("aria-label", "Matching topics, authors and venues");
      var ul = section.appendChild(el("ul", "pc-search-page__entities"));
      rows.forEach(function (e) {
        var li = ul.appendChild(el("li", "pc-entity"));
        var a = li.appendChild(el("a", "pc-entity__link"));
        a.href = entityUrl(e);
        entityBody(e, a);
        var filter = li.appendChild(el("a", "pc-entity__filter", filterText(e)));
        filter.href = searchUrl(e.query.trim());
        inPlace(filter);
        filter.setAttribute("aria-label", filterText(e) + ": " + e.label + " (" + e.filter + ")");
      });
      // Inside the results area, whose top stays put: nothing on screen moves down.
      facets.parentNode.insertBefore(section, facets);
    }
    function more() {
      query(q, { offset: shown, limit: PAGE, facets: shown === 0 }).then(function (res) {
        if (shown === 0) {
          suggestions(res.suggestions || []);
          status.textContent = res.total === 0 ? "No papers match “" + q + "”." :
            res.total + (res.total === 1 ? " paper matches" : " papers match") + " “" + q + "”.";
          facets.textContent = "";
          if (res.facets && res.total) {
            facetGroup("Topics", res.facets.topics.map(function (t) {
              return { label: t[1], value: t[0], count: t[2] };
            }), "topic");
            facetGroup("Years", res.facets.years.map(function (y) {
              return { label: String(y[0]), value: String(y[0]), count: y[1] };
            }), "year");
          }
        }
        res.items.forEach(function (item) {
          var li = list.appendChild(el("li", "pc-hit"));
          var a = li.appendChild(el("a", "pc-hit__link"));
          a.href = paperUrl(item.id);
          resultBody(item, a);
          li.appendChild(readLinks(item));
        });
        shown += res.items.length;
        var old = pageRoot.querySelector(".pc-search-page__more");
        if (old) old.remove();
        if (shown < res.total) {
          var button = pageRoot.querySelector(".pc-search-page__body")
            .appendChild(el("button", "md-button pc-search-page__more", "Show more results"));
          button.type = "button";
          button.addEventListener("click", more);
        }
      }, function () { status.textContent = "Search is unavailable."; });
    }
    if (q.trim()) {
      status.textContent = "Searching…";
      more();
    }
  }

  function mount() { mountBox(); mountPage(); }
  mount();
  window.addEventListener("popstate", function () { mountPage(); });
  // Material's instant navigation swaps the page content without reloading scripts.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(mount);
  // Load when the browser is idle, so the first focus usually finds search ready.
  if (script.hasAttribute("data-idle") && "requestIdleCallback" in window) {
    requestIdleCallback(function () { load(); }, { timeout: 4000 });
  }
})();
