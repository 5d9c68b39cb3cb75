// A live feed of one place over the console hub (/hubs/console): a snapshot, then changes in order.
// The hub's method and message names (Watch, Resume, Unwatch; requestChanged, alertRaised,
// countersChanged, resync) are its public contract. It reconnects by itself and resumes from the
// last sequence number it saw, so nothing is missed.
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import type { Schemas } from "../api/client";
import { hubToken, session } from "../api/session";

export type Summary = Schemas["RequestSummary"];
export type Counters = Schemas["PlaceCounters"];

export interface Snapshot {
  placeId: string;
  counters: Counters;
  requests: Summary[];
  alerts: Summary[];
  seq: number;
}

export interface FeedEvent {
  placeId: string;
  seq: number;
  at?: string;
  request: Summary | null;
  counters: Counters;
}

export interface FeedHandlers {
  snapshot(snapshot: Snapshot): void;
  change(event: FeedEvent, alert: boolean): void;
  counters(counters: Counters): void;
  status(live: boolean): void;
}

export class LiveFeed {
  private readonly connection: HubConnection;
  private placeId: string | null = null;
  private seq = 0;
  private resuming: Promise<void> | null = null;
  private resumeAgain = false;
  private stopped = false;
  private restartTimer: number | undefined;

  constructor(private readonly on: FeedHandlers) {
    this.connection = new HubConnectionBuilder()
      .withUrl("/hubs/console", { accessTokenFactory: hubToken })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => Math.min(1000 * 2 ** retry.previousRetryCount, 30_000) })
      // A lost or refused connection is handled here (the page says it is offline, reconnects and
      // catches up), as the inbox's is: nothing for the browser's console.
      .configureLogging(LogLevel.None)
      .build();
    this.connection.on("requestChanged", (event: FeedEvent) => this.apply(event, false));
    // An escalation arrives both as requestChanged and as alertRaised (same seq): the second marks it an alert.
    this.connection.on("alertRaised", (event: FeedEvent) => {
      if (event.placeId === this.placeId && event.request) this.on.change(event, true);
    });
    this.connection.on("countersChanged", (event: FeedEvent) => this.applyCounters(event));
    this.connection.on("resync", () => void this.resume());
    this.connection.onreconnecting(() => this.on.status(false));
    this.connection.onreconnected(() => void this.restart());
    this.connection.onclose(() => {
      this.on.status(false);
      this.retryLater();
    });
  }

  private retryLater(): void {
    if (this.stopped) return;
    window.clearTimeout(this.restartTimer);
    this.restartTimer = window.setTimeout(() => void this.restart(), 5000);
  }

  /** Connects again after a lost or failed connection: catches up, or watches afresh if it never got a snapshot. */
  private restart(): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.stopped || !session()) return;
      try {
        await this.connected();
        if (this.seq) {
          this.on.status(true);
          await this.resume();
        } else if (this.placeId) await this.subscribe();
      } catch {
        if (this.connection.state !== HubConnectionState.Connected) this.retryLater(); // a refusal is not retried
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private queue: Promise<void> = Promise.resolve();
  private starting: Promise<void> | null = null;

  /** Starts the connection once, however many callers ask at the same time. */
  private async connected(): Promise<void> {
    if (this.connection.state === HubConnectionState.Connected) return;
    if (this.connection.state === HubConnectionState.Disconnected) {
      this.starting ??= this.connection.start().finally(() => (this.starting = null));
    }
    if (this.starting) await this.starting;
  }

  /**
   * Watches one place (and stops watching the previous one); calls run one after another. When
   * the hub cannot be reached the page shows it is offline and keeps trying: only the hub's
   * refusal of the place (notFound, forbidden) rejects.
   */
  watch(placeId: string): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.placeId === placeId && this.seq && this.connection.state === HubConnectionState.Connected) return;
      if (this.placeId && this.placeId !== placeId && this.connection.state === HubConnectionState.Connected) {
        await this.connection.invoke("Unwatch", this.placeId);
      }
      this.placeId = placeId;
      this.seq = 0;
      if (this.connection.state === HubConnectionState.Reconnecting) return; // watched once reconnected
      try {
        await this.connected();
      } catch {
        this.on.status(false);
        this.retryLater();
        return;
      }
      await this.subscribe();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async subscribe(): Promise<void> {
    const snapshot = await this.connection.invoke<Snapshot>("Watch", this.placeId);
    this.seq = snapshot.seq;
    this.on.snapshot(snapshot);
    this.on.status(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.clearTimeout(this.restartTimer);
    await this.connection.stop();
  }

  /** Catches up from the last number seen; one at a time (a call while one runs asks for one more). */
  private async resume(): Promise<void> {
    if (!this.placeId) return;
    if (this.resuming) {
      this.resumeAgain = true;
      return this.resuming;
    }
    this.resuming = (async () => {
      do {
        this.resumeAgain = false;
        try {
          const caughtUp = await this.connection.invoke<{ events: FeedEvent[]; snapshot: Snapshot | null }>("Resume", this.placeId, this.seq);
          if (caughtUp.snapshot) {
            this.seq = caughtUp.snapshot.seq;
            this.on.snapshot(caughtUp.snapshot);
          }
          for (const event of caughtUp.events) this.take(event, event.request?.lastAction === "escalated");
          this.on.status(true);
        } catch {
          this.on.status(false);
        }
      } while (this.resumeAgain);
      this.resuming = null;
    })();
    return this.resuming;
  }

  private apply(event: FeedEvent, alert: boolean): void {
    if (event.placeId !== this.placeId || event.seq <= this.seq) return;
    if (event.seq > this.seq + 1 || this.resuming) {
      void this.resume();
      return;
    }
    this.take(event, alert);
  }

  private take(event: FeedEvent, alert: boolean): void {
    if (event.seq <= this.seq) return;
    this.seq = event.seq;
    if (event.request) this.on.change(event, alert);
    this.on.counters(event.counters);
  }

  private applyCounters(event: FeedEvent): void {
    if (event.placeId !== this.placeId || event.seq < this.seq) return;
    if (event.seq === this.seq) {
      this.on.counters(event.counters);
      return;
    }
    if (event.seq === this.seq + 1 && !this.resuming) {
      this.take({ ...event, request: null }, false);
      return;
    }
    void this.resume();
  }
}
