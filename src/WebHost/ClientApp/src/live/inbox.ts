// The signed-in person's inbox, shared by the desk's bell and the app's tab: the unread count, kept
// live over the console hub (WatchInbox, then inboxChanged), and the calls that read and mark it.
// The count loads with a plain GET; SignalR is imported only after that, so the first page never
// waits for it.
import { reactive } from "vue";
import { api, num, type Schemas } from "../api/client";
import { hubToken, onSigningOut, session } from "../api/session";
import { dateTime, number } from "../i18n/format";

export type InboxItem = Schemas["InboxItem"];

interface InboxChange {
  username: string;
  item: InboxItem | null;
  unread: number | string;
}

export const inbox = reactive({
  unread: 0,
  live: false,
  /** Bumped on every change: an open list reloads on it. */
  changes: 0,
});

let started: Promise<void> | null = null;
let startedFor: string | null = null;
let stopPrevious: (() => Promise<void>) | null = null;
let arrived: ((item: InboxItem) => void) | null = null;
let onPhone = false;

// Signing out closes the live connection (it would only be refused from then on); the next
// sign-in, whoever it is, starts a new one.
onSigningOut(async () => {
  const stop = stopPrevious;
  started = null;
  startedFor = null;
  stopPrevious = null;
  inbox.live = false;
  inbox.unread = 0;
  await stop?.();
});

/** Called with each new notice as it arrives live (the desk shows a toast). */
export function onNotice(listener: (item: InboxItem) => void): void {
  arrived = listener;
}

/**
 * Loads the unread count, then keeps it live; once per person signed in, whoever asks (after a
 * sign-out and someone else's sign-in, the old connection is closed and a new one started).
 * The volunteer app passes `phone`: each offer its live connection brings, and each unread offer
 * waiting when it starts listening, is acknowledged (NoticeReceived), so the offer's answer time
 * counts from its arrival on the phone.
 * `live: false` (a unit's contact, a department's account: the hub refuses them) loads the count
 * only; the list loads afresh each time it is opened.
 */
export function startInbox(options: { phone?: boolean; live?: boolean } = {}): Promise<void> {
  onPhone ||= options.phone === true;
  const me = session();
  if (!me) return Promise.resolve();
  if (started && startedFor === me.username) return started;
  startedFor = me.username;
  inbox.unread = 0;
  inbox.live = false;
  const previous = stopPrevious;
  started = (async () => {
    await previous?.();
    try {
      inbox.unread = num((await api.get("/api/inbox", { query: { pageSize: "1" } })).unread);
    } catch {
      // The count shows once the hub answers.
    }
    if (options.live === false) return;
    try {
      const { HubConnectionBuilder, LogLevel } = await import("@microsoft/signalr");
      const connection = new HubConnectionBuilder()
        .withUrl("/hubs/console", { accessTokenFactory: hubToken })
        .withAutomaticReconnect()
        // Failures are handled here (the count still comes with each list); nothing for the console.
        .configureLogging(LogLevel.None)
        .build();
      stopPrevious = () => connection.stop().catch(() => undefined);
      connection.on("inboxChanged", (change: InboxChange) => {
        inbox.unread = num(change.unread);
        inbox.changes++;
        if (change.item) arrived?.(change.item);
        if (onPhone && change.item?.kind === "offered") {
          // Best effort: without the acknowledgement the offer simply lapses as offered.
          void connection.invoke("NoticeReceived", num(change.item.id)).catch(() => undefined);
        }
      });
      const watch = async () => {
        inbox.unread = num(await connection.invoke<number>("WatchInbox"));
        inbox.live = true;
        // What arrived before the connection listened (or while it was away) came with no push:
        // the pages that follow the inbox load once more now.
        inbox.changes++;
        // Offers that came while the phone was not listening reached it now: acknowledged like live ones.
        if (onPhone && inbox.unread > 0) {
          const waiting = await api.get("/api/inbox", { query: { unread: "true", pageSize: "50" } });
          for (const item of waiting.items) {
            if (item.kind === "offered") void connection.invoke("NoticeReceived", num(item.id)).catch(() => undefined);
          }
        }
      };
      connection.onreconnecting(() => (inbox.live = false));
      connection.onreconnected(() => void watch().catch(() => undefined));
      await connection.start();
      await watch();
    } catch {
      // Without the hub the count still comes with every list load.
      inbox.live = false;
    }
  })();
  return started;
}

export async function loadInbox(unreadOnly: boolean, page: number, pageSize = 20): Promise<Schemas["InboxPage"]> {
  const answer = await api.get("/api/inbox", { query: { unread: unreadOnly ? "true" : undefined, page: String(page), pageSize: String(pageSize) } });
  inbox.unread = num(answer.unread);
  return answer;
}

export async function markRead(id: number | string): Promise<void> {
  await api.post("/api/inbox/{id}/read", { path: { id: String(id) } });
}

export async function markAllRead(): Promise<void> {
  await api.post("/api/inbox/read-all");
  inbox.unread = 0;
  inbox.changes++;
}

/** A notice in words, in the reader's language: names and titles, dates in their locale. */
export function noticeText(t: (key: string, values?: Record<string, unknown>) => string, item: InboxItem): string {
  return t(`inbox.kinds.${item.kind}`, {
    subject: item.subject,
    by: item.by ?? "",
    until: item.until ? dateTime(item.until) : "",
    level: item.level ?? "",
    amount: item.amount === null || item.amount === undefined ? "" : number(item.amount),
  });
}
