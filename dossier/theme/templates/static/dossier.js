// Previews: hovering or focusing a cross-reference shows a small preview of what it points to —
// the fact or note box, or the heading and summary of a page. Without JavaScript the links
// simply work as links; nothing on the page depends on this file.
(function () {
  "use strict";
  var pages = new Map();
  var tip = null;
  var timer = null;
  var current = null;

  function load(url) {
    if (!pages.has(url)) {
      pages.set(url, fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); }));
    }
    return pages.get(url);
  }

  function extract(doc, hash) {
    var box = document.createElement("div");
    var target = hash ? doc.getElementById(decodeURIComponent(hash)) : null;
    if (target) {
      box.appendChild(document.importNode(target, true));
    } else {
      ["main .kicker", "main h1", "main .summary", "main .verdict", "main .topic-body p", "main .commentary p"]
        .forEach(function (selector) {
          var found = doc.querySelector(selector);
          if (found) { box.appendChild(document.importNode(found, true)); }
        });
    }
    box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    box.querySelectorAll("[aria-labelledby]").forEach(function (el) { el.removeAttribute("aria-labelledby"); });
    box.querySelectorAll("a, button").forEach(function (el) { el.setAttribute("tabindex", "-1"); });
    return box;
  }

  function hide() {
    clearTimeout(timer);
    if (tip) { tip.remove(); tip = null; }
    if (current) { current.removeAttribute("aria-describedby"); current = null; }
  }

  function show(link) {
    var url = new URL(link.href, document.baseURI);
    if (url.origin !== location.origin) { return; }
    var hash = url.hash.slice(1);
    var samePage = url.pathname === location.pathname;
    var ready = samePage ? Promise.resolve(document) : load(url.pathname);
    ready.then(function (doc) {
      if (current !== link) { return; }
      var content = extract(doc, hash);
      if (!content.childNodes.length) { return; }
      hide();
      current = link;
      tip = document.createElement("div");
      tip.className = "preview";
      tip.id = "dossier-preview";
      tip.setAttribute("role", "tooltip");
      tip.appendChild(content);
      document.body.appendChild(tip);
      var rect = link.getBoundingClientRect();
      var left = Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
      tip.style.left = Math.max(8, left) + "px";
      tip.style.top = (window.scrollY + rect.bottom + 6) + "px";
      link.setAttribute("aria-describedby", tip.id);
    });
  }

  function schedule(link) {
    if (link === current) { return; }
    hide();
    current = link;
    timer = setTimeout(function () { show(link); }, 150);
  }

  function xref(event) {
    return event.target.closest ? event.target.closest("a.xref") : null;
  }

  document.addEventListener("mouseover", function (event) { var link = xref(event); if (link) { schedule(link); } });
  document.addEventListener("focusin", function (event) { var link = xref(event); if (link) { schedule(link); } else { hide(); } });
  document.addEventListener("mouseout", function (event) {
    var link = xref(event);
    if (link && !(event.relatedTarget && tip && tip.contains(event.relatedTarget))) { hide(); }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });

  // Permalinks: a button beside each one copies the full address of the fact or note.
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("a.permalink").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-link";
      button.textContent = "Copy link";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(link.href).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy link"; }, 1500);
        });
      });
      link.after(" ", button);
    });
  }
})();

// On narrow screens, and on paper, each fact box and note is moved to just after the paragraph
// that holds its passage, so it is read where it belongs; on wide screens they stand in the column
// beside the text. Without JavaScript they follow the text, and the markers link both ways.
(function () {
  "use strict";
  var column = document.querySelector(".annotations");
  var text = document.querySelector(".seed-text");
  if (!column || !text) { return; }
  var boxes = Array.prototype.slice.call(column.querySelectorAll("article.fact, aside.note"));
  var homes = boxes.map(function (box) { return { box: box, parent: box.parentNode }; });
  var narrow = window.matchMedia("(max-width: 63.99rem)");
  var inline = false;

  function paragraphOf(box) {
    var anchor = document.getElementById("q-" + box.id);
    return anchor ? anchor.closest("p") : null;
  }

  function place(wanted) {
    if (wanted === inline) { return; }
    inline = wanted;
    if (wanted) {
      var after = new Map();
      boxes.forEach(function (box) {
        var paragraph = paragraphOf(box);
        if (!paragraph) { return; }
        var last = after.get(paragraph) || paragraph;
        last.after(box);
        after.set(paragraph, box);
        box.classList.add("inline");
      });
    } else {
      // back to the column, in their first order (each section holds its heading, then its boxes)
      homes.forEach(function (home) {
        home.box.classList.remove("inline");
        home.parent.appendChild(home.box);
      });
    }
    column.classList.toggle("moved", wanted);
  }

  function update() { place(narrow.matches); }
  update();
  narrow.addEventListener("change", update);
  window.addEventListener("beforeprint", function () { place(true); });
  window.addEventListener("afterprint", update);
})();
