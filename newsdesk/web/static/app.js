// newsdesk reader: theme toggle, keyboard shortcuts (j/k/o, /, ?), edition picker, ask box, streamed LLM summary,
// service worker, offline page, install button. Every feature works without script; this only makes it smoother.
(function () {
  "use strict";
  var root = document.documentElement;

  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function toggleTheme() {
    var next = currentTheme() === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    try { localStorage.setItem("theme", next); } catch (e) { /* ignore */ }
    syncThemeButton();
  }

  function syncThemeButton() {
    var button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
  }

  function items() { return Array.prototype.slice.call(document.querySelectorAll("[data-nav-item]")); }

  function select(delta) {
    var list = items();
    if (!list.length) return;
    var index = list.findIndex(function (el) { return el.classList.contains("is-current"); });
    var next = Math.max(0, Math.min(list.length - 1, index < 0 ? 0 : index + delta));
    list.forEach(function (el) { el.classList.remove("is-current"); });
    var item = list[next];
    item.classList.add("is-current");
    var link = item.querySelector("[data-open]") || item.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function openCurrent() {
    var item = document.querySelector("[data-nav-item].is-current");
    var link = item && (item.querySelector("[data-open]") || item.querySelector("a"));
    if (link) window.location.href = link.href;
  }

  function showHelp() {
    var dialog = document.getElementById("help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var actions = {
      j: function () { select(1); },
      k: function () { select(-1); },
      o: openCurrent,
      "/": function () { var q = document.getElementById("q"); if (q) { q.focus(); q.select(); } },
      "?": showHelp
    };
    var action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    syncThemeButton();
    var toggle = document.getElementById("theme-toggle");
    if (toggle) toggle.addEventListener("click", toggleTheme);
    document.querySelectorAll("#help-open, [data-help]").forEach(function (el) { el.addEventListener("click", showHelp); });
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    listOfflinePages();
    enhanceAskForms();
    streamSummary();
  });

  // Ask about this story: post the form with fetch and show the answer fragment in place.
  function enhanceAskForms() {
    document.querySelectorAll("form[data-ask]").forEach(function (form) {
      var out = document.getElementById("ask-answer");
      var button = form.querySelector("button[type=submit]");
      form.addEventListener("submit", function (event) {
        if (!out || !window.fetch) return;
        event.preventDefault();
        button.disabled = true;
        out.setAttribute("aria-busy", "true");
        fetch(form.action, {
          method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
          headers: { "X-Requested-With": "fetch" }
        }).then(function (response) {
          // Only our own fragment (_ask_answer.html, escaped by the template) goes into the page; a server error
          // page or anything else falls back to the plain form post, which shows it whole.
          var type = response.headers.get("Content-Type") || "";
          if (response.status >= 500 || type.indexOf("text/html") !== 0) throw new Error("no answer fragment");
          return response.text();
        }).then(function (html) {
          out.innerHTML = html;  // parsed as inert markup: no script in it runs, and the CSP forbids inline script
        }).catch(function () { form.submit(); }).finally(function () {
          button.disabled = false;
          out.removeAttribute("aria-busy");
        });
      });
    });
  }

  // LLM summary: stream the model's draft while it writes, then swap in the checked summary (or keep the quoted one).
  function streamSummary() {
    var panel = document.querySelector("section.summary[data-stream]");
    if (!panel || !window.EventSource) return;
    var box = panel.querySelector(".stream");
    var text = panel.querySelector(".stream-text");
    var source = new EventSource(panel.getAttribute("data-stream"));
    source.addEventListener("delta", function (event) {
      if (box) box.hidden = false;
      if (text) text.textContent += JSON.parse(event.data);
    });
    source.addEventListener("summary", function (event) {
      source.close();
      var data = JSON.parse(event.data);
      if (data.html) {
        panel.outerHTML = data.html;  // the summary panel rendered by our template (_summary.html), escaped there
      } else if (box) {
        box.hidden = true;
      }
    });
    source.onerror = function () { source.close(); if (box) box.hidden = true; };
  }

  // The offline page: the stories and articles kept for offline reading, by their titles (read from the cached
  // pages themselves), newest first.
  function listOfflinePages() {
    var lists = { stories: document.getElementById("offline-stories"), articles: document.getElementById("offline-articles") };
    if (!lists.stories || !lists.articles || !window.caches) return;
    caches.open("newsdesk-pages").then(function (cache) {
      return cache.keys().then(function (keys) {
        var pages = keys.filter(function (r) { return /^\/(stories|articles)\/\d+$/.test(new URL(r.url).pathname); });
        return Promise.all(pages.reverse().map(function (r) {
          return cache.match(r).then(function (hit) { return hit ? hit.text() : ""; }).then(function (html) {
            return { url: r.url, kind: new URL(r.url).pathname.split("/")[1], title: pageTitle(html) };
          });
        }));
      });
    }).then(function (pages) {
      pages.forEach(function (page) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = page.url;
        a.setAttribute("dir", "auto");
        a.textContent = page.title || new URL(page.url).pathname;
        li.appendChild(a);
        lists[page.kind].appendChild(li);
      });
      Object.keys(lists).forEach(function (kind) {
        var section = lists[kind].closest("section");
        if (section) section.hidden = !lists[kind].children.length;
      });
    });
  }

  function pageTitle(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");  // inert: nothing in it runs or loads
    var heading = doc.querySelector("main h1");
    return ((heading && heading.textContent) || doc.title || "").trim();
  }

  // Install the app where the browser offers it (Chromium's beforeinstallprompt): a button, shown only then.
  function offerInstall() {
    var button = document.getElementById("install-app");
    var offer = null;
    if (!button) return;
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      offer = event;
      button.hidden = false;
    });
    button.addEventListener("click", function () {
      if (!offer) return;
      button.hidden = true;
      offer.prompt();
      offer = null;
    });
    window.addEventListener("appinstalled", function () { button.hidden = true; offer = null; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", offerInstall);
  } else {
    offerInstall();
  }

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* offline reading unavailable */ });
    });
  }
})();
