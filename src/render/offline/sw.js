// wardbook's service worker (written at the site root when book.toml has [offline] enabled).
// It keeps the whole edition listed in offline.json for use without signal, answers every
// request from that copy, and looks for a newer edition whenever it can (offline.json's
// "edition" changed): it then fetches the new edition, swaps it in and tells the open pages.
// When it last reached the site is kept beside the copy, for the pages' lockout notice.
"use strict";
const META = "wardbook-meta";
const PREFIX = "wardbook-edition-";
const base = new URL("./", self.registration.scope);
let checking = null;
let lastCheck = 0;

async function readMeta() {
  const cache = await caches.open(META);
  const res = await cache.match(new URL("__wardbook/meta.json", base));
  return res ? res.json() : {};
}

async function writeMeta(meta) {
  const cache = await caches.open(META);
  await cache.put(
    new URL("__wardbook/meta.json", base),
    new Response(JSON.stringify(meta), { headers: { "content-type": "application/json" } }),
  );
}

// Fetches offline.json; on a new edition, caches every file of it, then drops the old copy.
async function check() {
  let manifest;
  try {
    const res = await fetch(new URL("offline.json", base), { cache: "no-store" });
    if (!res.ok) return;
    manifest = await res.json();
  } catch {
    return; // no signal: keep the copy we have
  }
  const meta = await readMeta();
  meta.reached = Date.now();
  if (meta.edition !== manifest.edition) {
    const cache = await caches.open(PREFIX + manifest.edition);
    await cache.addAll(manifest.files.map((f) => new Request(new URL(f, base), { cache: "no-store" })));
    const previous = meta.edition;
    meta.edition = manifest.edition;
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== PREFIX + manifest.edition) await caches.delete(name);
    }
    if (previous) {
      for (const c of await self.clients.matchAll({ includeUncontrolled: true })) {
        c.postMessage({ type: "wardbook-updated", edition: manifest.edition });
      }
    }
  }
  await writeMeta(meta);
}

// One check at a time, and not more often than every 30 seconds.
function checkSoon() {
  if (!checking && Date.now() - lastCheck > 30000) {
    lastCheck = Date.now();
    checking = check().finally(() => {
      checking = null;
    });
  }
  return checking || Promise.resolve();
}

self.addEventListener("install", (event) => {
  event.waitUntil(check().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", (event) => {
  if (event.data === "wardbook-check") event.waitUntil(checkSoon());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !url.href.startsWith(base.href)) return;
  if (url.pathname.endsWith("/offline.json")) return;
  event.respondWith(
    (async () => {
      const meta = await readMeta();
      const cache = meta.edition ? await caches.open(PREFIX + meta.edition) : null;
      const path = url.pathname.endsWith("/") ? new URL("index.html", url) : url;
      const hit = cache && (await cache.match(path, { ignoreSearch: true }));
      event.waitUntil(checkSoon());
      return hit || fetch(event.request);
    })(),
  );
});
