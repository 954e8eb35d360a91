/* Petits Pas — the service worker, served at /sw.js (web.views.service_worker) so that its
   scope covers the field pages. Hand-written, no build step. Read docs/security.md, "Offline".

   What it keeps, and for whom:
   - a page only when the server's answer carries the Petits-Pas-Offline header (today's
     sessions, the sheets of the coming week): the header's value is the signed-in person's
     key, the page goes to that person's cache, and every other person's cache is deleted;
     nothing else is ever kept (family files, lists, the API, anything posted);
   - the static files (styles, scripts, icons, fonts) the kept pages need.
   How it answers:
   - a field page: the network first, the kept copy when the network fails (never one
     older than {{ days }} days), a short French page when there is none;
   - a static file: the network (and the browser's HTTP cache) first, the kept copy offline;
   - anything else is left to the browser.
   Messages from the pages (web/offline.js):
   - {type: "keep", list}: fetch the list of pages to keep (attendance:offline-sheets) and
     keep them, with their static files; answers {kept: n} or {error};
   - {type: "forget"}: delete every page kept (signing out, a signed-out page). */
"use strict";

var PAGES = "petitspas-pages-";
var STATIC = "petitspas-static-v1";
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";
var FIELD_PREFIX = "{{ field_prefix|escapejs }}";
var HEADER = "{{ header|escapejs }}";
var STORED_AT = "Petits-Pas-Stored-At";
var MAX_AGE = {{ days }} * 24 * 3600 * 1000;
var OFFLINE_PAGE =
  '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  "<title>Pas de connexion — Petits Pas</title></head><body>" +
  "<h1>Pas de connexion</h1>" +
  "<p>Cette page n'a pas été gardée sur ce téléphone. Les feuilles de vos séances des " +
  "{{ days }} prochains jours le sont quand « Aujourd'hui » ou « Ma semaine » a été ouvert avec une connexion.</p>" +
  '<p><a href="' + FIELD_PREFIX + '">Revenir à « Aujourd\'hui »</a></p></body></html>';

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        // Caches of an older version of this worker.
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("petitspas-static-") === 0 && name !== STATIC;
            })
            .map(function (name) {
              return caches.delete(name);
            }),
        );
      })
      .then(dropExpired)
      .then(function () {
        return self.clients.claim();
      }),
  );
});

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) {
      return name.indexOf(PAGES) === 0;
    });
  });
}

function forget() {
  return pageCaches().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  });
}

// The one person whose pages are kept: any other's are deleted first.
function cacheFor(key) {
  return pageCaches()
    .then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name !== PAGES + key; })
          .map(function (name) { return caches.delete(name); }),
      );
    })
    .then(function () {
      return caches.open(PAGES + key);
    });
}

function isExpired(response) {
  var storedAt = Number(response.headers.get(STORED_AT));
  return !storedAt || Date.now() - storedAt > MAX_AGE;
}

function dropExpired() {
  return pageCaches().then(function (names) {
    return Promise.all(
      names.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(
              requests.map(function (request) {
                return cache.match(request).then(function (response) {
                  if (!response || isExpired(response)) return cache.delete(request);
                  return null;
                });
              }),
            );
          });
        });
      }),
    );
  });
}

function isKeepable(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(FIELD_PREFIX) === 0;
}

// Keep a field page's answer when the server opted it in; the copy is stamped with the
// time it was kept (the worker, not the HTTP cache, decides how long it lives).
function keep(request, response) {
  var key = response.headers.get(HEADER);
  var url = new URL(request.url);
  if (!key || !response.ok || response.redirected || !isKeepable(url)) return Promise.resolve(false);
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(STORED_AT, String(Date.now()));
    var copy = new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
    return cacheFor(key).then(function (cache) {
      return cache.put(url.pathname, copy).then(function () {
        return body.text();
      });
    });
  });
}

function keptPage(url) {
  return pageCaches().then(function (names) {
    if (!names.length) return null;
    return caches.open(names[0]).then(function (cache) {
      return cache.match(url.pathname).then(function (response) {
        if (response && isExpired(response)) {
          return cache.delete(url.pathname).then(function () { return null; });
        }
        return response || null;
      });
    });
  });
}

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function fieldPage(event) {
  var url = new URL(event.request.url);
  return fetch(event.request)
    .then(function (response) {
      if (response.headers.get(HEADER)) {
        event.waitUntil(keep(event.request, response.clone()).catch(function () {}));
      }
      return response;
    })
    .catch(function () {
      return keptPage(url).then(function (response) {
        return response || offlinePage();
      });
    });
}

function staticFile(request) {
  return fetch(request)
    .then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    })
    .catch(function () {
      return caches.open(STATIC).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (response) {
          return response || Response.error();
        });
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && isKeepable(url)) {
    event.respondWith(fieldPage(event));
  }
});

/* ---- Keeping the coming week ---- */

var STATIC_IN_PAGE = /(?:href|src)="([^"]+)"/g;
var URL_IN_CSS = /url\(\s*["']?([^"')]+)["']?\s*\)/g;
var ICON_CLASS = /fr-icon-[a-z0-9-]+/g;

function matches(pattern, text) {
  var found = [];
  var match;
  pattern.lastIndex = 0;
  while ((match = pattern.exec(text))) found.push(match[1] === undefined ? match[0] : match[1]);
  return found;
}

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(STATIC_PREFIX) === 0;
}

// What a style sheet needs for the kept pages: its fonts (woff2) and images, except the
// icons of classes no kept page uses (DSFR's utility sheet names a thousand).
function neededByCss(css, base, icons) {
  var urls = [];
  css.split("}").forEach(function (chunk) {
    var parts = chunk.split("{");
    if (parts.length < 2) return;
    var selector = parts[parts.length - 2];
    var classes = matches(ICON_CLASS, selector);
    if (classes.length && !classes.some(function (name) { return icons[name]; })) return;
    matches(URL_IN_CSS, parts[parts.length - 1]).forEach(function (ref) {
      if (ref.indexOf("data:") === 0 || /\.(woff|ttf|eot)$/.test(ref)) return;
      var url = new URL(ref, base);
      if (isStatic(url)) urls.push(url.href);
    });
  });
  return urls;
}

function fetchInto(cache, url) {
  return cache.match(url).then(function (found) {
    if (found) return found.clone();
    return fetch(url).then(function (response) {
      if (!response.ok) return null;
      return cache.put(url, response.clone()).then(function () { return response; });
    });
  });
}

// The static files the kept pages name (styles, scripts), and what their styles need.
function keepStatic(pages) {
  var urls = [];
  var icons = {};
  pages.forEach(function (html) {
    matches(STATIC_IN_PAGE, html).forEach(function (ref) {
      var url = new URL(ref.replace(/&amp;/g, "&"), self.location.origin);
      if (isStatic(url) && urls.indexOf(url.href) === -1) urls.push(url.href);
    });
    matches(ICON_CLASS, html).forEach(function (name) { icons[name] = true; });
  });
  return caches.open(STATIC).then(function (cache) {
    return Promise.all(
      urls.map(function (url) {
        return fetchInto(cache, url).then(function (response) {
          if (!response || !/\.css$/.test(new URL(url).pathname)) return [];
          return response.text().then(function (css) { return neededByCss(css, url, icons); });
        });
      }),
    ).then(function (lists) {
      var needed = [];
      lists.forEach(function (list) {
        list.forEach(function (url) { if (needed.indexOf(url) === -1) needed.push(url); });
      });
      return Promise.all(needed.map(function (url) { return fetchInto(cache, url).catch(function () {}); }));
    });
  });
}

function keepList(listUrl) {
  return fetch(listUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok || response.redirected) throw new Error("list " + response.status);
      return response.json();
    })
    .then(function (list) {
      // Only this person's pages stay; a sheet no longer in the week goes too.
      return cacheFor(list.key).then(function (cache) {
        var wanted = list.urls.map(function (url) { return new URL(url, self.location.origin).pathname; });
        return cache
          .keys()
          .then(function (requests) {
            return Promise.all(
              requests
                .filter(function (request) { return wanted.indexOf(new URL(request.url).pathname) === -1; })
                .map(function (request) { return cache.delete(request); }),
            );
          })
          .then(function () { return wanted; });
      });
    })
    .then(function (wanted) {
      var pages = [];
      return wanted
        .reduce(function (previous, path) {
          // One after the other: a phone on a weak network, a server shared by many.
          return previous.then(function () {
            var request = new Request(path, { credentials: "same-origin", cache: "no-store" });
            return fetch(request).then(function (response) {
              return keep(request, response).then(function (html) {
                if (html) pages.push(html);
              });
            });
          });
        }, Promise.resolve())
        .then(function () {
          return keepStatic(pages);
        })
        .then(function () {
          return pages.length;
        });
    })
    .then(function (kept) {
      return dropExpired().then(function () { return kept; });
    });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  function answer(message) {
    if (port) port.postMessage(message);
  }
  if (data.type === "keep" && typeof data.list === "string") {
    var listUrl = new URL(data.list, self.location.origin);
    if (listUrl.origin !== self.location.origin) return;
    event.waitUntil(
      keepList(listUrl.href)
        .then(function (kept) { answer({ kept: kept }); })
        .catch(function (error) { answer({ error: String(error) }); }),
    );
  } else if (data.type === "forget") {
    event.waitUntil(forget().then(function () { answer({ forgotten: true }); }));
  }
});
