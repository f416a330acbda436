/* papercat readers: the All papers table (sort, filter, pages of rows), and loading
   the map's script (papercat-map.js) on the Map page. Plain JS, no dependencies.
   Material's instant navigation swaps page content without reloading scripts, so
   everything is (re)initialised from Material's document$ observable. */
(function () {
  "use strict";

  var PAGE = 50;
  var data = {}; // data URL -> promise of the parsed JSON, shared across pages

  function load(url) {
    if (!data[url]) {
      data[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
    }
    return data[url];
  }

  function node(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text != null) el.textContent = text;
    return el;
  }

  /* ---------- All papers ---------- */

  function initTable(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var base = root.dataset.base;
    var hasYears = root.dataset.years === "true";
    var filter = root.querySelector(".pc-browse__filter");
    var topic = root.querySelector(".pc-browse__topic");
    var status = root.querySelector(".pc-browse__status");
    var tbody = root.querySelector(".pc-table tbody");
    var pager = root.querySelector(".pc-pager");
    var sorters = root.querySelectorAll(".pc-table th button[data-sort]");
    var controls = root.querySelector(".pc-browse__controls");
    var params = new URLSearchParams(location.search);
    var state = {
      q: params.get("q") || "",
      topic: params.get("topic") || "",
      sort: params.get("sort") || "title",
      dir: params.get("dir") === "desc" ? -1 : 1,
      page: Math.max(0, (parseInt(params.get("page"), 10) || 1) - 1),
    };

    load(root.dataset.src).then(function (json) {
      var names = json.topics;
      var rows = json.rows.map(function (r) {
        var topicNames = r[2].map(function (t) { return names[t] || t; });
        return { id: r[0], title: r[1], topics: r[2], year: r[3], added: r[4], key: r[1].toLowerCase(),
                 text: (r[1] + " " + topicNames.join(" ")).toLowerCase() };
      });
      // The controls show from the first paint: keep what was typed or chosen meanwhile.
      if (state.q) filter.value = state.q; else state.q = filter.value;
      if (!state.topic) state.topic = topic.value;
      if (names[state.topic]) topic.value = state.topic; else state.topic = "";
      controls.hidden = false;
      pager.hidden = false;

      // Titles in the generator's order (facets.by_title: lower case, then id), the
      // order of the rows the page comes with: they stay put when the script takes over.
      function byTitle(a, b) {
        return a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      }
      function compare(a, b) {
        var d = 0;
        if (state.sort === "year") {
          if (a.year == null || b.year == null) { // unknown years last, either way
            d = (a.year == null) - (b.year == null);
            return d || byTitle(a, b);
          }
          d = (a.year - b.year) * state.dir;
        } else if (state.sort === "added") {
          d = (a.added < b.added ? -1 : a.added > b.added ? 1 : 0) * state.dir;
        } else {
          d = byTitle(a, b) * state.dir;
        }
        return d || byTitle(a, b);
      }

      function matching() {
        var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
        return rows.filter(function (r) {
          if (state.topic && r.topics.indexOf(state.topic) < 0) return false;
          return words.every(function (w) { return r.text.indexOf(w) >= 0; });
        }).sort(compare);
      }

      function row(r) {
        var tr = node("tr");
        var title = node("td", { class: "pc-col-title" });
        title.appendChild(node("a", { href: base + "papers/" + r.id + "/" }, r.title));
        var chips = node("ul", { class: "pc-topics", "aria-label": "Topics" });
        r.topics.forEach(function (t) {
          var li = node("li");
          li.appendChild(node("a", { class: "pc-topic", href: base + "topics/" + t + "/" }, names[t] || t));
          chips.appendChild(li);
        });
        var topics = node("td", { class: "pc-col-topics" });
        topics.appendChild(chips);
        tr.appendChild(title);
        tr.appendChild(topics);
        if (hasYears) tr.appendChild(node("td", { class: "pc-col-year" }, r.year == null ? "" : String(r.year)));
        var added = node("td", { class: "pc-col-added" });
        added.appendChild(node("time", { datetime: r.added }, r.added));
        tr.appendChild(added);
        return tr;
      }

      // Whether the table already shows these rows, in this order: the rows the page
      // was served with are kept, not built again (the same rows painted anew would be
      // the page's largest paint a second time, once the data had loaded).
      function showing(shown) {
        var links = tbody.querySelectorAll("td.pc-col-title > a");
        return links.length === shown.length && shown.every(function (r, i) {
          return links[i].getAttribute("href") === base + "papers/" + r.id + "/";
        });
      }

      function pagerButton(label, page, disabled) {
        var b = node("button", { type: "button", class: "md-button pc-pager__button" }, label);
        b.disabled = disabled;
        b.addEventListener("click", function () { state.page = page; render(); });
        return b;
      }

      function remember() {
        var p = new URLSearchParams();
        if (state.q) p.set("q", state.q);
        if (state.topic) p.set("topic", state.topic);
        if (state.sort !== "title" || state.dir !== 1) {
          p.set("sort", state.sort);
          p.set("dir", state.dir === 1 ? "asc" : "desc");
        }
        if (state.page) p.set("page", String(state.page + 1));
        var query = p.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
      }

      function render() {
        var found = matching();
        var pages = Math.max(1, Math.ceil(found.length / PAGE));
        state.page = Math.min(state.page, pages - 1);
        var start = state.page * PAGE;
        var shown = found.slice(start, start + PAGE);
        if (!showing(shown)) {
          var body = document.createDocumentFragment();
          shown.forEach(function (r) { body.appendChild(row(r)); });
          tbody.replaceChildren(body);
        }
        status.textContent = found.length === 0
          ? "No paper matches."
          : "Showing " + (start + 1) + "–" + (start + shown.length) + " of " + found.length +
            (found.length === rows.length ? " papers." : " matching papers (" + rows.length + " in all).");
        sorters.forEach(function (b) {
          var th = b.parentElement;
          if (b.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
          else th.removeAttribute("aria-sort");
        });
        pager.replaceChildren(
          pagerButton("Previous", state.page - 1, state.page === 0),
          node("span", { class: "pc-pager__where" }, "Page " + (state.page + 1) + " of " + pages),
          pagerButton("Next", state.page + 1, state.page >= pages - 1)
        );
        remember();
      }

      sorters.forEach(function (b) {
        b.addEventListener("click", function () {
          var key = b.dataset.sort;
          if (state.sort === key) state.dir = -state.dir;
          else { state.sort = key; state.dir = key === "title" ? 1 : -1; } // newest first
          state.page = 0;
          render();
        });
      });
      filter.addEventListener("input", function () { state.q = filter.value; state.page = 0; render(); });
      topic.addEventListener("change", function () { state.topic = topic.value; state.page = 0; render(); });
      render();
    }).catch(function (error) {
      controls.classList.add("pc-browse__controls--off"); // nothing to filter
      status.textContent = "Could not load the full list (" + error.message + "); showing the first papers by title.";
    });
  }

  /* ---------- Map ---------- */

  // The map's own script (papercat-map.js, named by this script's data-map) is loaded
  // the first time a page has a map, so other pages do not carry it.
  // Resolved now: the attribute is relative to the page this script was loaded on, and
  // instant navigation changes the page's address without loading scripts again.
  var mapScript = document.currentScript && document.currentScript.dataset.map &&
    new URL(document.currentScript.dataset.map, document.baseURI).href;
  var mapLoaded = null;

  function initMap(root) {
    if (!mapScript || root.dataset.ready) return;
    if (!mapLoaded) {
      mapLoaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = mapScript;
        script.onload = resolve;
        script.onerror = function () { mapLoaded = null; reject(new Error(mapScript)); };
        document.head.appendChild(script);
      });
    }
    mapLoaded.then(function () { window.pcMap(root); }, function (error) {
      var status = root.querySelector(".pc-map__status");
      if (status) status.textContent = "Could not load the map (" + error.message + ").";
    });
  }

  function init() {
    document.querySelectorAll(".pc-browse[data-src]").forEach(initTable);
    document.querySelectorAll(".pc-mapview").forEach(initMap);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
