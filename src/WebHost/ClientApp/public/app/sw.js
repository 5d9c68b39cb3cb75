// The volunteer app's service worker (served as /app/sw.js, its scope /app: the server allows the
// address without the slash, so that /app opens offline as well as /app/). It keeps the
// app's shell and what the app last read, so the app opens without a network and shows that,
// marked as offline. Plain JavaScript: the browser runs this file as it is, outside Vite's build.
const SHELL = "dispatch-app-shell-v1";
const READS = "dispatch-app-reads-v1";
// Shop pictures: public, and a new picture has a new address (its tag in `v`), so a kept copy is
// shown without asking; kept across sign-outs (nothing in them is anyone's).
const PICTURES = "dispatch-app-pictures-v1";
const PICTURE = /^\/api\/shop\/items\/[0-9a-f-]+\/picture$/i;

self.addEventListener("install", (event) => {
  // The page itself: every /app/** address answers the same HTML.
  event.waitUntil(caches.open(SHELL).then((cache) => cache.add("/app/")).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("dispatch-app-") && name !== SHELL && name !== READS && name !== PICTURES).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// The page tells what it loaded before this worker took control (the first visit), and when the
// person signs out (what they read must not be shown to the next one).
self.addEventListener("message", (event) => {
  const data = event.data ?? {};
  if (data.type === "shell" && Array.isArray(data.urls)) {
    const urls = data.urls.filter((url) => new URL(url, self.location.origin).pathname.startsWith("/ui/"));
    event.waitUntil(caches.open(SHELL).then((cache) => Promise.all(urls.map((url) => cache.match(url).then((hit) => hit ?? cache.add(url).catch(() => undefined))))));
  } else if (data.type === "signed-out") {
    event.waitUntil(caches.delete(READS));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === "/app" || url.pathname.startsWith("/app/"))) {
    event.respondWith(networkFirst(request, SHELL, "/app/", null));
  } else if (url.pathname.startsWith("/ui/")) {
    event.respondWith(cacheFirst(request));
  } else if (PICTURE.test(url.pathname) && url.searchParams.has("v")) {
    event.respondWith(picture(request, url));
  } else if (url.pathname.startsWith("/api/") && !url.pathname.startsWith("/api/auth/")) {
    event.respondWith(networkFirst(request, READS, request.url, event.clientId));
  }
});

// Built files carry a hash in their name: once cached, they never change.
async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// A picture at its versioned address never changes: the kept copy, or the network's, which then
// replaces the item's older copies.
async function picture(request, url) {
  const cache = await caches.open(PICTURES);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const older = (await cache.keys()).filter((kept) => new URL(kept.url).pathname === url.pathname);
    await Promise.all(older.map((kept) => cache.delete(kept)));
    await cache.put(request, response.clone());
  }
  return response;
}

// Fresh when the network answers; otherwise what was kept, and the page is told how old it is.
async function networkFirst(request, name, key, clientId) {
  const cache = await caches.open(name);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(key);
    if (!hit) throw error;
    if (clientId) {
      const client = await self.clients.get(clientId);
      client?.postMessage({ type: "offline-read", at: hit.headers.get("date") });
    }
    return hit;
  }
}
