// The escalation policies (kind × urgency), loaded once: a card's countdown is estimated from them,
// since a board summary carries no deadline of its own.
import { ref } from "vue";
import { api, type Schemas } from "../api/client";
import { timeSpan } from "../i18n/format";
import type { Summary } from "../live/feed";

const policies = ref<Schemas["PolicyEntry"][]>([]);
let loading: Promise<void> | null = null;

export function loadPolicies(): Promise<void> {
  loading ??= api.get("/api/policies").then((list) => {
    policies.value = list;
  }).catch(() => undefined);
  return loading;
}

/** When the request's current stage is due, estimated: null when it cannot be told. */
export function estimatedDue(summary: Summary): number | null {
  const entry = policies.value.find((p) => p.kind === summary.kind && p.urgency === summary.urgency);
  if (!entry) return null;
  const policy = entry.policy;
  switch (summary.status) {
    case "open":
      return Date.parse(summary.createdAt) + timeSpan(policy.claimWithin);
    case "claimed":
      return summary.firstClaimedAt ? Date.parse(summary.firstClaimedAt) + timeSpan(policy.startWithin) : null;
    case "inProgress":
      return Date.parse(summary.updatedAt) + timeSpan(policy.completeWithin);
    case "completed":
      return summary.completedAt ? Date.parse(summary.completedAt) + timeSpan(policy.verifyWithin) : null;
    default:
      return null;
  }
}
