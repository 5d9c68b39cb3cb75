// The board of the watched place: its unfinished requests (kept current by the live feed), its
// counters and its alerts, shared by the board, the alerts page and the request drawer.
import { computed, reactive, ref } from "vue";
import { api, num, type Schemas } from "../api/client";
import { session } from "../api/session";
import { LiveFeed, type Counters, type Summary } from "../live/feed";

export const board = reactive({
  placeId: "" as string,
  requests: new Map<string, Summary>(),
  alerts: new Map<string, Summary>(),
  counters: null as Counters | null,
  live: false,
  loaded: false,
  /** Request ids whose handover waits for the signed-in staff member. */
  handovers: new Set<string>(),
  /** Bumped on every change of a request: an open drawer reloads on it. */
  changes: new Map<string, number>(),
  newAlerts: 0,
});

export const soundOn = ref(localStorage.getItem("dispatch.sound") !== "off");
export function setSound(on: boolean): void {
  soundOn.value = on;
  localStorage.setItem("dispatch.sound", on ? "on" : "off");
}

const finished = new Set(["verified", "cancelled"]);
let feed: LiveFeed | null = null;
/** The watch under way: signing out waits for it, since stopping a connection still starting is logged as an error. */
let watching: Promise<void> = Promise.resolve();
let alertListener: ((summary: Summary) => unknown) | null = null;

export function onNewAlert(listener: (summary: Summary) => unknown): void {
  alertListener = listener;
}

function put(summary: Summary): void {
  if (finished.has(summary.status)) board.requests.delete(summary.id);
  else board.requests.set(summary.id, summary);
  if (summary.overdue && !finished.has(summary.status)) board.alerts.set(summary.id, summary);
  else board.alerts.delete(summary.id);
  board.changes.set(summary.id, (board.changes.get(summary.id) ?? 0) + 1);
  if (summary.lastAction === "handoverOffered" || summary.lastAction === "handoverAccepted") void checkHandover(summary.id);
}

/** A summary does not say to whom a handover is offered: the request does. */
async function checkHandover(id: string): Promise<void> {
  const me = session()?.username;
  try {
    const request = await api.get("/api/requests/{id}", { path: { id } });
    if (request.handoverTo && request.handoverTo === me) board.handovers.add(id);
    else board.handovers.delete(id);
  } catch {
    board.handovers.delete(id);
  }
}

export async function watch(placeId: string): Promise<void> {
  feed ??= new LiveFeed({
    snapshot(snapshot) {
      board.requests.clear();
      board.alerts.clear();
      for (const summary of snapshot.requests) put(summary);
      for (const summary of snapshot.alerts) board.alerts.set(summary.id, summary);
      board.counters = snapshot.counters;
      board.loaded = true;
    },
    change(event, alert) {
      if (!event.request) return;
      const known = board.alerts.has(event.request.id);
      put(event.request);
      if (alert) {
        board.alerts.set(event.request.id, event.request);
        if (!known) {
          board.newAlerts += 1;
          alertListener?.(event.request);
        }
      }
    },
    counters(counters) {
      board.counters = counters;
    },
    status(live) {
      board.live = live;
    },
  });
  if (board.placeId !== placeId) {
    board.loaded = false;
    board.requests.clear();
    board.alerts.clear();
    board.handovers.clear();
  }
  board.placeId = placeId;
  const next = feed.watch(placeId);
  watching = next.catch(() => undefined);
  await next;
}

export async function stopWatching(): Promise<void> {
  await watching;
  const current = feed;
  feed = null;
  board.placeId = "";
  board.loaded = false;
  board.live = false;
  await current?.stop();
}

/** The request as an action answered it: on the board at once, before the feed's event. */
export function applyRequest(request: Schemas["RequestView"]): void {
  const existing = board.requests.get(request.id) ?? board.alerts.get(request.id);
  if (!existing) return;
  put({
    ...existing,
    status: request.status,
    claimants: request.claimants,
    claimantCount: request.claims.length,
    escalationLevel: request.escalationLevel,
    overdue: request.overdue,
    owner: request.owner,
    offerTo: request.offer?.volunteer ?? null,
    freePlaces: request.freePlaces,
    version: request.version,
    updatedAt: request.updatedAt,
  });
}

export const alertCount = computed(() => board.alerts.size);
export const requestsList = computed(() => [...board.requests.values()]);
export { num };
