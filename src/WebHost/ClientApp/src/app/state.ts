// What the whole app shares: signed in or not, online or not, how many offers wait, and a
// counter that live changes bump so that each page reloads what it shows.
import { reactive } from "vue";
import { session } from "../api/session";

export const state = reactive({
  signedIn: session() !== null,
  online: navigator.onLine,
  offers: 0,
  /** Open requests that arrived live since I last looked at the list: the requests tab's badge. */
  newRequests: 0,
  changes: 0,
  /** Offline, the oldest kept answer the page shows came from the server at this time (ms). */
  offlineAsOf: null as number | null,
});

// Requests this phone has heard of (from the feed's snapshot, or a change): only unknown ones are new.
const known = new Set<string>();

/** A request the list showed is not new when it next changes. */
export function knownRequest(id: string): void {
  known.add(id);
}

/** The list of open requests is on screen: what arrived is seen. */
export function requestsSeen(): void {
  state.newRequests = 0;
}

window.addEventListener("online", () => {
  state.online = true;
  state.offlineAsOf = null;
  state.changes++;
});
window.addEventListener("offline", () => {
  state.online = false;
});

let watching: Promise<void> | null = null;

/** Live changes of my community (the console hub), loaded after the first page is shown. */
export function watchCommunity(): Promise<void> {
  const me = session();
  if (!me || me.role !== "volunteer") return Promise.resolve();
  // Opened without a network (from the service worker's copy): the hub is out of reach; connect
  // once the network is back instead of failing now.
  if (!navigator.onLine) {
    window.addEventListener("online", () => void watchCommunity(), { once: true });
    return Promise.resolve();
  }
  watching ??= (async () => {
    const { LiveFeed } = await import("../live/feed");
    const bump = () => state.changes++;
    const feed = new LiveFeed({
      snapshot: (snapshot) => {
        for (const request of snapshot.requests) known.add(String(request.id));
        bump();
      },
      change: (event) => {
        const request = event.request;
        if (request && !known.has(String(request.id))) {
          known.add(String(request.id));
          if (request.status === "open") state.newRequests++;
        }
        bump();
      },
      counters: () => undefined,
      status: (live) => {
        if (live) bump();
      },
    });
    try {
      await feed.watch(me.place);
    } catch {
      // The app still works without live updates: each page loads when opened.
      watching = null;
    }
  })();
  return watching;
}

/** Says what a refused call means, in the reader's language when the reason is known. */
export function problemText(t: (key: string, values?: Record<string, unknown>) => string, te: (key: string) => boolean, error: unknown): string {
  const problem = (error as { problem?: { reason?: string; detail?: string } }).problem;
  if (problem?.reason && te(`reasons.${problem.reason}`)) return t(`reasons.${problem.reason}`);
  return t("volunteerApp.failed", { detail: problem?.detail ?? String((error as Error).message ?? error) });
}
