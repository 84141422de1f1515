// newsdesk service worker: offline reading of recently opened articles and stories.
// Pages: network first, the copy kept for offline use (the newest MAX_PAGES). Static files: cache first
// (their URLs carry a content hash). The API is never cached here.
"use strict";
var PAGES = "newsdesk-pages";
var STATIC = "newsdesk-static-v1";
var MAX_PAGES = 60;
var OFFLINE_URL = "/offline";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.add(OFFLINE_URL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== PAGES && n !== STATIC; }).map(function (n) {
      return caches.delete(n);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function trim(cache) {
  return cache.keys().then(function (keys) {
    if (keys.length <= MAX_PAGES) return null;
    return Promise.all(keys.slice(0, keys.length - MAX_PAGES).map(function (k) { return cache.delete(k); }));
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) {
        return cache.delete(request.url).then(function () { return cache.put(request.url, copy); }).then(function () {
          return trim(cache);
        });
      });
    }
    return response;
  }).catch(function () {
    return caches.match(request.url, { ignoreVary: true }).then(function (hit) {
      return hit || caches.match(OFFLINE_URL, { ignoreVary: true });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || (request.headers.get("accept") || "").indexOf("text/html") >= 0) {
    event.respondWith(networkFirst(request));
  }
});
