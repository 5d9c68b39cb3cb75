// What the whole app shares: signed in or not, online or not, how many offers wait, and a
// counter that live changes bump so that each page reloads what it shows.
import { reactive } from "vue";
import { session } from "../api/session";

export const state = reactive({
  signedIn: session() !== null,
  online: navigator.onLine,
  offers: 0,
  changes: 0,
});

window.addEventListener("online", () => {
  state.online = true;
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
  watching ??= (async () => {
    const { LiveFeed } = await import("../live/feed");
    const bump = () => state.changes++;
    const feed = new LiveFeed({
      snapshot: bump,
      change: bump,
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
