/* digestgen default theme: the light/dark toggle (remembered), copy buttons on code blocks,
   the table of contents' current heading, and comments loaded when the reader gets near them.
   Small and dependency-free; every page works without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "digestgen-theme";
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function theme() {
    var chosen = root.dataset.theme;
    if (chosen === "light" || chosen === "dark") return chosen;
    return system && system.matches ? "dark" : "light";
  }

  function announce() {
    var button = document.querySelector(".theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme() === "dark" ? "true" : "false");
    document.dispatchEvent(new CustomEvent("digestgen:theme", { detail: theme() }));
  }

  // -- light/dark toggle ------------------------------------------------------------------
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var next = theme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
      announce();
    });
    announce();
  }
  if (system && system.addEventListener) {
    system.addEventListener("change", function () { if (!root.dataset.theme) announce(); });
  }
  // Another tab changed the choice.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    if (event.newValue === "light" || event.newValue === "dark") root.dataset.theme = event.newValue;
    else delete root.dataset.theme;
    announce();
  });

  // -- copy buttons -----------------------------------------------------------------------
  var template = document.getElementById("copy-button");
  if (template) {
    document.querySelectorAll(".doc-body pre.highlight").forEach(function (pre) {
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = template.content.firstElementChild.cloneNode(true);
      var label = button.textContent;
      button.addEventListener("click", function () {
        var text = pre.querySelector("code") ? pre.querySelector("code").textContent : pre.textContent;
        copy(text).then(function () {
          button.textContent = button.dataset.copied;
          setTimeout(function () { button.textContent = label; }, 1600);
        });
      });
      wrap.appendChild(button);
    });
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http: the old way, through a selected, off-screen text area.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  // -- the table of contents marks the section being read ----------------------------------
  var toc = document.querySelector(".toc-rail .toc");
  if (toc && "IntersectionObserver" in window) {
    var links = {};
    toc.querySelectorAll('a[href^="#"]').forEach(function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var headings = Array.prototype.filter.call(
      document.querySelectorAll(".doc-body [id]"), function (h) { return links[h.id]; });
    var current = null;
    var observer = new IntersectionObserver(function () {
      // Only while pinned beside the text (wide screens).
      if (getComputedStyle(toc).position !== "sticky") {
        if (current) current.removeAttribute("aria-current");
        current = null;
        return;
      }
      // The last heading above the upper third of the window.
      var line = window.innerHeight / 3, found = headings[0];
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line) found = headings[i]; else break;
      }
      var link = found && links[found.id];
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) {
        link.setAttribute("aria-current", "true");
        // A long contents list scrolls itself to keep the mark in sight (not the page).
        var l = link.getBoundingClientRect(), t = toc.getBoundingClientRect();
        if (l.top < t.top || l.bottom > t.bottom) toc.scrollTop += l.top - t.top - t.height / 3;
      }
      current = link;
    }, { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
  }

  // -- comments: the provider's script, once the reader is near ----------------------------
  var box = document.querySelector(".comments-box");
  if (box) {
    var load = function () {
      var d = box.dataset, s = document.createElement("script");
      s.async = true;
      s.crossOrigin = "anonymous";
      if (d.provider === "giscus") {
        s.src = "https://giscus.app/client.js";
        ["repo", "repo-id", "category", "category-id", "mapping", "reactions-enabled", "lang"]
          .forEach(function (k) { s.setAttribute("data-" + k, d[camel(k)] || ""); });
        s.setAttribute("data-emit-metadata", "0");
        s.setAttribute("data-input-position", "bottom");
        s.setAttribute("data-loading", "lazy");
        s.setAttribute("data-theme", theme() === "dark" ? "dark" : "light");
      } else {
        s.src = "https://utteranc.es/client.js";
        s.setAttribute("repo", d.repo);
        s.setAttribute("issue-term", d.issueTerm || "pathname");
        if (d.label) s.setAttribute("label", d.label);
        s.setAttribute("theme", theme() === "dark" ? "github-dark" : "github-light");
      }
      box.appendChild(s);
    };
    if ("IntersectionObserver" in window) {
      var near = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { near.disconnect(); load(); }
      }, { rootMargin: "600px 0px" });
      near.observe(box);
    } else {
      load();
    }
    // The comments follow the toggle.
    document.addEventListener("digestgen:theme", function (event) {
      var frame = box.querySelector("iframe");
      if (!frame) return;
      if (box.dataset.provider === "giscus") {
        frame.contentWindow.postMessage({ giscus: { setConfig: { theme: event.detail } } },
                                        "https://giscus.app");
      } else {
        frame.contentWindow.postMessage({ type: "set-theme", theme: "github-" + event.detail },
                                        "https://utteranc.es");
      }
    });
  }

  function camel(name) {
    return name.replace(/-([a-z])/g, function (_, c) { return c.toUpperCase(); });
  }
})();
