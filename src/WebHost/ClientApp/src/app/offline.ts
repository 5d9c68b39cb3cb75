// The app without a network: the service worker (public/app/sw.js, served as /app/sw.js) keeps
// the shell and the last answers of the API reads; this side registers it, hands it what the
// first visit loaded before it took control, and hears how old the answers it served are.
import { state } from "./state";

export function installOffline(): void {
  if (!("serviceWorker" in navigator)) return;
  // Set as a property (not addEventListener), so that messages sent before the page listened are
  // delivered, not held back.
  navigator.serviceWorker.onmessage = (event: MessageEvent<{ type?: string; at?: string | null }>) => {
    if (event.data?.type !== "offline-read" || !event.data.at) return;
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
      .register("/app/sw.js", { scope: "/app/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // The built files this page loaded before the worker watched its requests.
        const urls = performance
          .getEntriesByType("resource")
          .map((entry) => entry.name)
          .filter((name) => new URL(name).pathname.startsWith("/ui/"));
        registration.active?.postMessage({ type: "shell", urls });
      })
      .catch(() => undefined); // without a worker the app still works online
  });
}

/** Signed out: what this person read must not be what the next one sees offline. */
export function forgetOfflineReads(): void {
  navigator.serviceWorker?.controller?.postMessage({ type: "signed-out" });
}
