// What a volunteer did without a network: a completion (note and check-in code) or an activity
// check-in waits here, per account, in localStorage (so that it survives a reload or a closed
// app), and is sent when the network is back or the app next starts. Each action keeps the
// Idempotency-Key it was given when it was queued: however often it is sent (a lost answer, two
// tabs, a restart mid-send), the server acts on it once. A refusal (the claim was released
// meanwhile) is told to the volunteer in words and the action leaves the queue.
import { reactive } from "vue";
import { api, ApiError, type Problem } from "../api/client";
import { freshToken, session } from "../api/session";
import { state } from "./state";

export type QueuedKind = "complete" | "checkIn";

export interface QueuedAction {
  /** The Idempotency-Key: one per action, kept until the server answered. */
  key: string;
  kind: QueuedKind;
  /** The request (or the activity, whose id is its request's). */
  id: string;
  /** What the volunteer saw, to name the action in a notice. */
  title: string;
  note: string | null;
  code: string | null;
  queuedAt: string;
}

export interface OutboxNotice {
  key: string;
  kind: QueuedKind;
  title: string;
  id: string;
  /** Absent: sent and done; present: the server's refusal. */
  problem?: Problem;
}

export const outbox = reactive({
  items: [] as QueuedAction[],
  notices: [] as OutboxNotice[],
});

function storageKey(): string | null {
  const me = session();
  return me ? `dispatch.app.outbox.${me.username}` : null;
}

/** The signed-in account's queue, as kept on this phone. */
export function loadOutbox(): void {
  const key = storageKey();
  if (!key) {
    outbox.items = [];
    return;
  }
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown;
    outbox.items = Array.isArray(kept) ? (kept as QueuedAction[]) : [];
  } catch {
    outbox.items = [];
  }
}

function save(): void {
  const key = storageKey();
  if (!key) return;
  if (outbox.items.length === 0) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(outbox.items));
}

/** The action of this kind waiting for this request, if any. */
export function waiting(kind: QueuedKind, id: string): QueuedAction | undefined {
  return outbox.items.find((item) => item.kind === kind && item.id === id);
}

/** Queues an action (one of each kind per request: a second replaces the first, not yet sent). */
export function enqueue(action: Omit<QueuedAction, "key" | "queuedAt">): void {
  loadOutbox();
  outbox.items = [
    ...outbox.items.filter((item) => !(item.kind === action.kind && item.id === action.id)),
    { ...action, key: crypto.randomUUID(), queuedAt: new Date().toISOString() },
  ];
  save();
}

/** A fetch that never reached the server (no network): the action stays queued. */
export function unreachable(error: unknown): boolean {
  return !(error instanceof ApiError);
}

async function send(item: QueuedAction): Promise<void> {
  const path = { id: item.id };
  if (item.kind === "complete") {
    await api.post("/api/requests/{id}/complete", { path, body: { note: item.note, checkInCode: item.code }, idempotencyKey: item.key });
  } else {
    await api.post("/api/activities/{id}/check-in", { path, body: { code: item.code }, idempotencyKey: item.key });
  }
}

/** Answers that say "not now" rather than "no": the action is tried again later. */
function retryLater(error: ApiError): boolean {
  return error.status === 401 || error.status === 429 || error.status >= 500 || error.reason === "idempotencyKeyInUse";
}

let flushing: Promise<void> | null = null;
let retryTimer: number | undefined;
let retryDelay = 0;

/** "Online" is not always reachable (a captive portal, a network still coming up): try again later, less and less often. */
function retrySoon(): void {
  window.clearTimeout(retryTimer);
  retryDelay = Math.min(retryDelay === 0 ? 2_000 : retryDelay * 2, 60_000);
  retryTimer = window.setTimeout(() => void flushOutbox(), retryDelay);
}

/** Sends what waits, oldest first, one at a time (one run at a time, whoever asks). */
export async function flushOutbox(): Promise<void> {
  // Not `flushing ??= (async () => …)()`: a run that ends before its first await would clear
  // `flushing` before the assignment, and the finished run would then block every later one.
  if (flushing) return flushing;
  flushing = sendWaiting();
  try {
    await flushing;
  } finally {
    flushing = null;
  }
}

/** Stops at the first action the network cannot carry, and tries again later. */
async function sendWaiting(): Promise<void> {
  if (!navigator.onLine) return;
  // Opened without a network, the app has no access token yet: the refresh cookie gets one.
  await freshToken().catch(() => "");
  loadOutbox();
  if (outbox.items.length === 0) return;
  if (!session()?.token) {
    retrySoon();
    return;
  }
  for (const item of [...outbox.items]) {
    try {
      await send(item);
      outbox.notices.push({ key: item.key, kind: item.kind, title: item.title, id: item.id });
    } catch (error) {
      if (unreachable(error) || retryLater(error as ApiError)) {
        retrySoon();
        return;
      }
      outbox.notices.push({ key: item.key, kind: item.kind, title: item.title, id: item.id, problem: (error as ApiError).problem });
    }
    outbox.items = outbox.items.filter((kept) => kept.key !== item.key);
    save();
    state.changes++;
  }
  retryDelay = 0;
}

/** A notice read: it goes. */
export function dismissNotice(key: string): void {
  outbox.notices = outbox.notices.filter((notice) => notice.key !== key);
}

/** Sends on start and whenever the network comes back. */
export function installOutbox(): void {
  loadOutbox();
  window.addEventListener("online", () => void flushOutbox());
  void flushOutbox();
}
