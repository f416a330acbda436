/* papercat map: every paper on a canvas, loaded in files as the reader zooms in.
   Loaded by papercat-readers.js on the Map page only; plain JS, no dependencies.

   The files (generator/render/maptiles.py) form a quadtree over the unit square: "r"
   holds a sample of the whole field and a density grid of every paper, "r" + q (0 top
   left, 1 top right, 2 bottom left, 3 bottom right) a sample of the rest of that
   quarter, and so on; each paper is in one file. A file is drawn once its square is
   in view and at least MIN_BOX pixels wide on screen, so a phone draws the first
   file alone, and every paper appears as the reader zooms in. */
(function () {
  "use strict";

  var MIN_BOX = 200; // CSS pixels a file's square needs on screen to be loaded
  var LIST_MAX = 40; // papers in view listed as links below the map
  var MAX_SCALE = 4096;
  var PAD = 0.016; // of the canvas width, around the plot
  var SCALE = 10000; // coordinates in the files are integers: 4 decimals
  var HIT = { mouse: 8, pen: 10, touch: 18 }; // CSS pixels from a dot that still hit it
  var cache = {}; // file URL -> promise of its parsed data, kept across pages
  var current = null, scheme = null; // the map on the page, and the palette's observer

  function fetchFile(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      }).then(function (json) {
        var n = json.id.length;
        json.u = new Float64Array(n);
        json.v = new Float64Array(n);
        for (var i = 0; i < n; i++) { json.u[i] = json.x[i] / SCALE; json.v[i] = json.y[i] / SCALE; }
        return json;
      });
      cache[url].catch(function () { delete cache[url]; }); // let a later view try again
    }
    return cache[url];
  }

  function MapView(root) {
    var self = this;
    this.root = root;
    this.canvas = root.querySelector(".pc-map__canvas");
    this.ctx = this.canvas.getContext("2d");
    this.tip = root.querySelector(".pc-map__tip");
    this.status = root.querySelector(".pc-map__status");
    this.list = root.querySelector(".pc-map__list");
    this.select = root.querySelector(".pc-map__topic");
    this.legend = Array.prototype.slice.call(root.querySelectorAll(".pc-legend__toggle"));
    this.base = root.dataset.base;
    this.total = parseInt(root.dataset.total, 10) || 0;
    this.topics = root.dataset.topics.split(" ");
    this.nodes = {}; // path -> {path, url, x0, y0, size, data}
    root.dataset.files.split(" ").forEach(function (name) {
      var path = name.split(".")[0], x0 = 0, y0 = 0, size = 1;
      for (var k = 1; k < path.length; k++) {
        size /= 2;
        var q = +path[k];
        x0 += (q % 2) * size;
        y0 += (q >> 1) * size;
      }
      self.nodes[path] = { path: path, url: root.dataset.folder + name + ".json", x0: x0, y0: y0, size: size, data: null };
    });
    this.view = { s: 1, cx: 0.5, cy: 0.5 };
    this.drawn = []; // [file data, index, x, y] of every dot on screen, for hits
    this.hover = null;
    this.pointers = {};
    this.pending = false;
    this.bind();
    root.classList.add("pc-map--ready");
    this.resize();
  }

  MapView.prototype.size = function () {
    var w = this.canvas.clientWidth, h = this.canvas.clientHeight, pad = w * PAD;
    return { w: w, h: h, pw: Math.max(1, w - 2 * pad), ph: Math.max(1, h - 2 * pad) };
  };

  MapView.prototype.toScreen = function (u, v, g) {
    var view = this.view;
    return [g.w / 2 + (u - view.cx) * view.s * g.pw, g.h / 2 + (v - view.cy) * view.s * g.ph];
  };

  MapView.prototype.toMap = function (x, y, g) {
    var view = this.view;
    return [view.cx + (x - g.w / 2) / (view.s * g.pw), view.cy + (y - g.h / 2) / (view.s * g.ph)];
  };

  // The view stays on the map: zoomed out, centred; zoomed in, no further than its edges.
  MapView.prototype.clamp = function () {
    var view = this.view, g = this.size();
    view.s = Math.min(MAX_SCALE, Math.max(1, view.s));
    var hw = g.w / 2 / (view.s * g.pw), hh = g.h / 2 / (view.s * g.ph);
    view.cx = hw >= 0.5 ? 0.5 : Math.min(1 - hw, Math.max(hw, view.cx));
    view.cy = hh >= 0.5 ? 0.5 : Math.min(1 - hh, Math.max(hh, view.cy));
  };

  MapView.prototype.zoom = function (factor, x, y) {
    var g = this.size();
    this.showTip(null); // the dot under the pointer moves away
    if (x == null) { x = g.w / 2; y = g.h / 2; }
    var at = this.toMap(x, y, g);
    this.view.s *= factor;
    this.clamp();
    var s = this.view.s;
    this.view.cx = at[0] - (x - g.w / 2) / (s * g.pw);
    this.view.cy = at[1] - (y - g.h / 2) / (s * g.ph);
    this.clamp();
    this.request();
  };

  MapView.prototype.pan = function (dx, dy) {
    var g = this.size();
    this.showTip(null);
    this.view.cx -= dx / (this.view.s * g.pw);
    this.view.cy -= dy / (this.view.s * g.ph);
    this.clamp();
    this.request();
  };

  MapView.prototype.resize = function () {
    var dpr = window.devicePixelRatio || 1, g = this.size();
    this.canvas.width = Math.round(g.w * dpr);
    this.canvas.height = Math.round(g.h * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.clamp();
    this.request();
  };

  MapView.prototype.request = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(function () { self.pending = false; self.draw(); });
  };

  // The files to draw for this view, parents first; "complete" when no file in view
  // is left out, so that every paper in view is drawn once they have loaded.
  MapView.prototype.wanted = function (g) {
    var self = this, out = [], complete = true;
    var lo = this.toMap(0, 0, g), hi = this.toMap(g.w, g.h, g);
    (function visit(path) {
      var node = self.nodes[path];
      if (!node) return;
      if (node.x0 > hi[0] || node.x0 + node.size < lo[0] || node.y0 > hi[1] || node.y0 + node.size < lo[1]) return;
      if (path !== "r" && node.size * self.view.s * g.pw < MIN_BOX) { complete = false; return; }
      out.push(node);
      for (var q = 0; q < 4; q++) visit(path + q);
    })("r");
    return { nodes: out, complete: complete };
  };

  MapView.prototype.colours = function () {
    var style = getComputedStyle(this.root), out = [];
    for (var c = 0; c <= 10; c++) out.push(style.getPropertyValue("--pc-c" + c).trim() || "#888");
    out.bg = style.getPropertyValue("--md-default-bg-color").trim() || "#fff";
    out.fg = style.getPropertyValue("--md-default-fg-color").trim() || "#000";
    return out;
  };

  // Which dots stand out: the legend's pressed colours and the chosen topic.
  MapView.prototype.filter = function () {
    var pressed = {}, any = false;
    this.legend.forEach(function (b) {
      if (b.getAttribute("aria-pressed") === "true") { pressed[b.dataset.colour] = true; any = true; }
    });
    var topic = this.select.value ? this.topics.indexOf(this.select.value) : -1;
    return {
      active: any || topic >= 0, anyColour: any, topic: topic,
      on: function (data, i) {
        return (!any || pressed[data.c[i]]) && (topic < 0 || data.t[i].indexOf(topic) >= 0);
      },
      cell: function (c) { return topic < 0 && (!any || pressed[c]); },
    };
  };

  MapView.prototype.draw = function () {
    if (!this.root.isConnected) return;
    var self = this, g = this.size(), ctx = this.ctx, colours = this.colours(), filter = this.filter();
    var want = this.wanted(g), loading = 0;
    want.nodes.forEach(function (node) {
      if (node.data) return;
      loading++;
      if (node.requested) return;
      node.requested = true;
      fetchFile(node.url).then(function (data) { node.data = data; self.request(); },
        function (error) { node.requested = false; self.say("Could not load part of the map (" + error.message + ")."); });
    });
    ctx.clearRect(0, 0, g.w, g.h);
    var first = this.nodes.r.data;
    if (first && first.grid && !want.complete) this.drawGrid(first.grid, g, colours, filter);
    // Dots as big as the first file's number allows (a small catalogue's are easy to
    // point at), growing as the map zooms in.
    var few = first ? 2 + 50 / Math.sqrt(Math.max(1, first.id.length)) : 3;
    var r = Math.min(7, Math.max(2.5, Math.min(5.5, few)) + 0.6 * Math.log2(this.view.s));
    var layers = {}, drawn = [], inView = [];
    want.nodes.forEach(function (node) {
      var data = node.data;
      if (!data) return;
      for (var i = 0; i < data.id.length; i++) {
        var p = self.toScreen(data.u[i], data.v[i], g);
        if (p[0] < -r || p[1] < -r || p[0] > g.w + r || p[1] > g.h + r) continue;
        var on = filter.on(data, i), key = (on ? "1" : "0") + data.c[i];
        (layers[key] = layers[key] || []).push(p[0], p[1]);
        drawn.push([data, i, p[0], p[1]]);
        if (p[0] >= 0 && p[1] >= 0 && p[0] <= g.w && p[1] <= g.h) inView.push([data, i]);
      }
    });
    ["0", "1"].forEach(function (on) {
      for (var c = 0; c <= 10; c++) {
        var xy = layers[on + c];
        if (!xy) continue;
        ctx.globalAlpha = filter.active && on === "0" ? 0.15 : 0.85;
        ctx.fillStyle = colours[c];
        ctx.beginPath();
        for (var k = 0; k < xy.length; k += 2) {
          ctx.moveTo(xy[k] + r, xy[k + 1]);
          ctx.arc(xy[k], xy[k + 1], r, 0, 2 * Math.PI);
        }
        ctx.fill();
        if (r >= 3 && (!filter.active || on === "1")) {
          ctx.globalAlpha = 1;
          ctx.lineWidth = 1;
          ctx.strokeStyle = colours.bg;
          ctx.stroke();
        }
      }
    });
    ctx.globalAlpha = 1;
    this.drawn = drawn;
    if (this.hover) {
      var h = this.hover, at = this.toScreen(h[0].u[h[1]], h[0].v[h[1]], g);
      ctx.beginPath();
      ctx.arc(at[0], at[1], r + 2, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = colours.fg;
      ctx.stroke();
    }
    this.canvas.setAttribute("aria-busy", loading > 0 ? "true" : "false");
    this.report(inView, want.complete && loading === 0, loading > 0);
  };

  // Where the papers not drawn are: each cell of the first file's grid, shaded by how
  // many papers it holds, in its commonest colour; it fades out as the map zooms in.
  MapView.prototype.drawGrid = function (grid, g, colours, filter) {
    var fade = 1 - Math.log2(this.view.s) / 4;
    if (fade <= 0) return;
    var ctx = this.ctx, max = 1;
    grid.n.forEach(function (n) { max = Math.max(max, n); });
    var a = this.toScreen(0, 0, g), b = this.toScreen(1 / grid.cols, 1 / grid.rows, g);
    var cw = b[0] - a[0], ch = b[1] - a[1];
    for (var k = 0; k < grid.cell.length; k++) {
      var col = grid.cell[k] % grid.cols, row = Math.floor(grid.cell[k] / grid.cols);
      var x = a[0] + col * cw, y = a[1] + row * ch;
      if (x > g.w || y > g.h || x + cw < 0 || y + ch < 0) continue;
      var shade = 0.08 + 0.4 * Math.log(1 + grid.n[k]) / Math.log(1 + max);
      ctx.globalAlpha = fade * shade * (filter.cell(grid.c[k]) ? 1 : 0.2);
      ctx.fillStyle = colours[grid.c[k]];
      ctx.fillRect(x, y, cw + 0.5, ch + 0.5);
    }
    ctx.globalAlpha = 1;
  };

  MapView.prototype.say = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  // Below the map: how much of it is drawn, and the papers in view once few enough.
  MapView.prototype.report = function (inView, complete, loading) {
    var n = inView.length, listed = complete && n > 0 && n <= LIST_MAX;
    if (loading && !n) this.say("Loading the map…");
    else if (!complete) this.say("Showing a sample of " + plural(n, "paper") + " here, out of " + this.total.toLocaleString("en") + ": zoom in to see every paper.");
    else if (!n) this.say("No paper in this part of the map.");
    else if (listed) this.say(plural(n, "paper") + " in view, listed below.");
    else this.say(plural(n, "paper") + " in view" + (n === this.total ? " (all of them)" : "") + ": zoom in to list them below the map.");
    var key = listed ? inView.map(function (d) { return d[0].id[d[1]]; }).sort().join(" ") : "";
    if (key === this.listKey) return;
    this.listKey = key;
    this.list.hidden = !listed;
    var base = this.base, items = document.createDocumentFragment();
    if (listed) {
      inView.slice().sort(function (a, b) {
        return a[0].title[a[1]].localeCompare(b[0].title[b[1]], "en");
      }).forEach(function (d) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.className = "pc-item";
        a.className = "pc-item__title";
        a.href = base + "papers/" + d[0].id[d[1]] + "/";
        a.textContent = d[0].title[d[1]];
        li.appendChild(a);
        items.appendChild(li);
      });
    }
    this.list.replaceChildren(items);
  };

  // The dot nearest to (x, y) within ``reach`` CSS pixels, as [file data, index].
  MapView.prototype.hit = function (x, y, reach) {
    var best = null, bestD = reach * reach;
    for (var k = 0; k < this.drawn.length; k++) {
      var d = this.drawn[k], dx = d[2] - x, dy = d[3] - y, dist = dx * dx + dy * dy;
      if (dist <= bestD) { bestD = dist; best = d; }
    }
    return best && [best[0], best[1]];
  };

  MapView.prototype.showTip = function (found) {
    var same = found && this.hover && found[0] === this.hover[0] && found[1] === this.hover[1];
    if (same || (!found && !this.hover)) return;
    this.hover = found;
    if (!found) { this.tip.hidden = true; this.canvas.style.cursor = ""; this.request(); return; }
    var g = this.size(), at = this.toScreen(found[0].u[found[1]], found[0].v[found[1]], g);
    var off = this.canvas.offsetTop + this.canvas.clientTop, left = this.canvas.offsetLeft + this.canvas.clientLeft;
    this.tip.textContent = found[0].title[found[1]];
    this.tip.hidden = false;
    var half = this.tip.offsetWidth / 2;
    this.tip.style.left = Math.min(Math.max(left + at[0], half), left + g.w - half) + "px";
    this.tip.style.top = off + at[1] - 6 + "px";
    this.canvas.style.cursor = "pointer";
    this.request();
  };

  MapView.prototype.open = function (found) {
    location.assign(this.base + "papers/" + found[0].id[found[1]] + "/");
  };

  MapView.prototype.bind = function () {
    var self = this, canvas = this.canvas, start = null;
    function local(e) {
      var box = canvas.getBoundingClientRect(); // the border's box; drawing is inside it
      return [e.clientX - box.left - canvas.clientLeft, e.clientY - box.top - canvas.clientTop];
    }
    function spread() {
      var ps = Object.keys(self.pointers).map(function (k) { return self.pointers[k]; });
      if (ps.length < 2) return null;
      return { d: Math.hypot(ps[0][0] - ps[1][0], ps[0][1] - ps[1][1]), x: (ps[0][0] + ps[1][0]) / 2, y: (ps[0][1] + ps[1][1]) / 2 };
    }
    canvas.addEventListener("pointerdown", function (e) {
      canvas.setPointerCapture(e.pointerId);
      self.pointers[e.pointerId] = local(e);
      start = Object.keys(self.pointers).length === 1 ? { at: local(e), moved: false } : null;
      self.pinch = spread();
    });
    canvas.addEventListener("pointermove", function (e) {
      var at = local(e), was = self.pointers[e.pointerId];
      if (!was) { // hovering
        self.showTip(self.hit(at[0], at[1], HIT[e.pointerType] || 8));
        return;
      }
      self.pointers[e.pointerId] = at;
      var pinch = spread();
      if (pinch && self.pinch) {
        self.zoom(pinch.d / Math.max(1, self.pinch.d), pinch.x, pinch.y);
        self.pan(pinch.x - self.pinch.x, pinch.y - self.pinch.y);
        self.pinch = pinch;
        return;
      }
      if (start && !start.moved && Math.hypot(at[0] - start.at[0], at[1] - start.at[1]) > 5) start.moved = true;
      if (start && start.moved) self.pan(at[0] - was[0], at[1] - was[1]);
    });
    function up(e) {
      var at = local(e);
      if (e.type === "pointerup" && start && !start.moved && self.pointers[e.pointerId]) {
        var found = self.hit(at[0], at[1], HIT[e.pointerType] || 8);
        if (found) self.open(found);
      }
      delete self.pointers[e.pointerId];
      self.pinch = spread();
      start = null;
    }
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    canvas.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") self.showTip(null); });
    canvas.addEventListener("wheel", function (e) {
      e.preventDefault();
      var at = local(e), dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      self.zoom(Math.exp(-Math.max(-300, Math.min(300, dy)) * 0.002), at[0], at[1]);
    }, { passive: false });
    canvas.addEventListener("keydown", function (e) {
      var step = 60, keys = {
        ArrowLeft: function () { self.pan(step, 0); }, ArrowRight: function () { self.pan(-step, 0); },
        ArrowUp: function () { self.pan(0, step); }, ArrowDown: function () { self.pan(0, -step); },
        "+": function () { self.zoom(2); }, "=": function () { self.zoom(2); },
        "-": function () { self.zoom(0.5); }, "0": function () { self.all(); },
      };
      if (keys[e.key] && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); keys[e.key](); }
    });
    this.root.querySelectorAll(".pc-map__button").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.zoom === "all") self.all(); else self.zoom(b.dataset.zoom === "in" ? 2 : 0.5);
      });
    });
    this.legend.forEach(function (b) {
      b.addEventListener("click", function () {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        self.request();
      });
    });
    this.select.addEventListener("change", function () { self.request(); });
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(function () {
        if (!self.root.isConnected) { watch.disconnect(); return; }
        self.resize();
      });
      watch.observe(canvas);
    }
    current = this;
    if (!scheme) {
      // The palette switch changes the colours the canvas reads. One observer for the
      // page's map: <body> stays across instant navigation, maps come and go.
      scheme = new MutationObserver(function () {
        if (current && current.root.isConnected) current.request();
      });
      scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }
  };

  MapView.prototype.all = function () {
    this.view = { s: 1, cx: 0.5, cy: 0.5 };
    this.request();
  };

  window.pcMap = function (root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    new MapView(root);
  };
})();
