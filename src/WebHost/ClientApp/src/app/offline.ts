// The app without a network: the service worker (public/app/sw.js, served as /app/sw.js) keeps
// the shell and the last answers of the API reads; this side registers it, hands it what the
// first visit loaded before it took control, and hears how old the answers it served are.
import { state } from "./state";

let staleReads = 0;

export function installOffline(): void {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("online", () => (staleReads = 0));
  // Set as a property (not addEventListener), so that messages sent before the page listened are
  // delivered, not held back.
  navigator.serviceWorker.onmessage = (event: MessageEvent<{ type?: string; at?: string | null }>) => {
    if (event.data?.type !== "offline-read" || !event.data.at) return;
    if (navigator.onLine) {
      // Online, yet the worker answered from what it kept: the network is still coming up (the
      // "online" event can come first). Read again shortly, a few times, instead of showing old news.
      if (staleReads < 5) {
        staleReads++;
        window.setTimeout(() => state.changes++, 1000 * staleReads);
      }
      return;
    }
    const at = Date.parse(event.data.at);
    if (Number.isNaN(at)) return;
    state.offlineAsOf = state.offlineAsOf === null ? at : Math.min(state.offlineAsOf, at);
  };
  // The first visit read its lists before the worker took control: read them again through it, so
  // that they are kept for the next time the app opens without a network.
  const hadWorker = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!hadWorker) state.changes++;
  });
  window.addEventListener("load", () => {
    navigator.serviceWorker
      // "/app", not "/app/": the address without the slash (typed, or a printed link) is the
      // worker's too, so it opens offline as well; the server allows it (Service-Worker-Allowed).
      .register("/app/sw.js", { scope: "/app" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => keepShell(registration.active))
      .catch(() => undefined); // without a worker the app still works online
  });
}

/**
 * Hands the worker the built files this page has loaded (it keeps those it does not have yet): on
 * the first visit, those loaded before it watched the page's requests; after each navigation, a
 * page's part that was loaded while it was taking over.
 */
export function keepShell(worker: ServiceWorker | null | undefined = navigator.serviceWorker?.controller): void {
  if (!worker) return;
  const urls = performance
    .getEntriesByType("resource")
    .map((entry) => entry.name)
    .filter((name) => new URL(name).pathname.startsWith("/ui/"));
  worker.postMessage({ type: "shell", urls });
}

/** Signed out: what this person read must not be what the next one sees offline. */
export function forgetOfflineReads(): void {
  navigator.serviceWorker?.controller?.postMessage({ type: "signed-out" });
}
