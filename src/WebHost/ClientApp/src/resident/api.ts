// The residents' pages call three anonymous routes; plain fetch, no session.
import type { components } from "../api/schema";

export type TrackingView = components["schemas"]["TrackingView"];
export type IntakeForm = components["schemas"]["IntakeForm"];
export type IntakeReceipt = components["schemas"]["IntakeReceipt"];

export interface Refusal {
  status: number;
  reason?: string;
  errors: Record<string, string[]>;
}

export async function call<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw { status: response.status, reason: json?.reason, errors: json?.errors ?? {} } satisfies Refusal;
  }
  return json as T;
}
