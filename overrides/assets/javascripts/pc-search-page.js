/* papercat's full results page (/search/?q=...): status, matching topics, authors and
 * venues, topic and year facets, results with a way to each paper, more on request.
 * The same engine and the same answers as the header box (pc-search.js's query).
 */
(function () {
  "use strict";
  var api = window.pcSearch;
  if (!api || api.mountPage) return; // loaded once; instant navigation keeps it alive
  var query = api.query, el = api.el, paperUrl = api.paperUrl, searchUrl = api.searchUrl;
  var entityUrl = api.entityUrl, entityBody = api.entityBody, filterText = api.filterText;
  var resultBody = api.resultBody;
  var PAGE = 50;

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
      // A tiered index may fetch the postings of the query's words first: say so.
      var searching = function () { if (!shown) status.textContent = "Searching…"; };
      query(q, { offset: shown, limit: PAGE, facets: shown === 0 }, searching).then(function (res) {
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

  api.mountPage = mountPage;
  mountPage();
  window.addEventListener("popstate", function () { mountPage(); });
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(mountPage);
})();
