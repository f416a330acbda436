/* papercat's header search box (pc-search.js is the worker's client): Material's
 * search look, built here and mounted into the header as a combobox: ↑ ↓ move, Enter
 * opens, Esc closes, "/" focuses. Its markup lives here, not in every page: the page
 * gives only the theme's icons (a <template>) and translated labels (data-* of
 * pc-search.js's script element).
 */
(function () {
  "use strict";
  var api = window.pcSearch;
  if (!api || api.mountBox) return; // loaded once; instant navigation keeps it alive
  var script = api.script, root = api.root, query = api.query, load = api.load;
  var el = api.el, paperUrl = api.paperUrl, searchUrl = api.searchUrl, entityUrl = api.entityUrl;
  var entityBody = api.entityBody, filterText = api.filterText, resultBody = api.resultBody;
  // The box offers one topic, author or venue (its page and "filter by"), then papers.
  var LIMIT = 8, SUGGEST = 1;

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
    var active = -1, latest = 0, results = [], asking = false, again = false;

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
      list.removeAttribute("aria-busy");
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
      // One query at a time: the worker answers in order, so asking at every key would
      // queue each stale query before the last one. Keys typed meanwhile are asked
      // as one, the box's text when the answer comes.
      if (asking) { again = true; return; }
      asking = true;
      function answered() {
        asking = false;
        if (!again) return false;
        again = false;
        update();
        return true;
      }
      // A tiered index fetches the postings of the query's words first: the results
      // shown are still the last query's (marked busy) until these replace them at once.
      function searching() {
        if (id !== latest && !again) return;  // a later key waits for this answer too
        meta.textContent = "Searching…";
        list.setAttribute("aria-busy", "true");
        box.dispatchEvent(new CustomEvent("pc-search:searching", { detail: { query: text } }));
      }
      query(text, { limit: LIMIT, suggest: SUGGEST }, searching).then(function (res) {
        if (!answered() && id === latest) render(res);
      }, function () {
        if (answered() || id !== latest) return;
        meta.textContent = "Search is unavailable.";
        list.removeAttribute("aria-busy");
      });
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
      if (api.loadStarted === null) meta.textContent = "Loading the search index…";
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

  api.mountBox = mountBox;
  mountBox();
  // Material's instant navigation swaps the page content without reloading scripts.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(mountBox);
})();
